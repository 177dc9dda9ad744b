/**
 * The default remote collector (POSIX sh, run on the target): Linux configfs-tsm, the interface Linux
 * 6.7+ offers for TDX and SEV-SNP. It writes the 64-byte nonce to inblob, reads outblob (and auxblob,
 * the SNP certificate table), and re-reads `generation` to detect a concurrent request. TSM_ROOT
 * overrides the configfs path and TSM_ENTRY names a prepared report entry (the tests' stand-in tree). Output: JSON with base64 fields.
 */
export const TSM_COLLECTOR = `set -eu
root="\${TSM_ROOT:-/sys/kernel/config/tsm/report}"
[ -d "$root" ] || { echo "no configfs-tsm at $root (is this a TDX or SEV-SNP guest with Linux 6.7+?)" >&2; exit 3; }
if [ -n "\${TSM_ENTRY:-}" ]; then d="$TSM_ENTRY"; else
  d="$root/tee-inspector-$$"
  mkdir "$d"
  trap 'rmdir "$d" 2>/dev/null || true' EXIT
fi
nonce='{nonce}'
[ -n "$nonce" ] || nonce=$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \\n')
# Hex to bytes with POSIX printf only (octal escapes: dash's printf has no \\x).
h="$nonce"
case "$h" in *[!0-9a-fA-F]*) echo "nonce is not hex" >&2; exit 5;; esac
[ $((\${#h} % 2)) -eq 0 ] || { echo "nonce has an odd number of hex digits" >&2; exit 5; }
while [ -n "$h" ]; do b=\${h%"\${h#??}"}; h=\${h#??}; printf "\\\\$(printf '%03o' "0x$b")"; done > "$d/inblob"
gen=$(cat "$d/generation" 2>/dev/null || echo 0)
out=$(base64 -w0 < "$d/outblob")
aux=$(base64 -w0 2>/dev/null < "$d/auxblob" || true)
[ "$(cat "$d/generation" 2>/dev/null || echo 0)" = "$gen" ] || { echo "configfs-tsm generation changed during the request" >&2; exit 4; }
provider=$(cat "$d/provider" 2>/dev/null || echo unknown)
printf '{"provider":"%s","quote":"%s","auxblob":"%s"}' "$provider" "$out" "$aux"
`;
