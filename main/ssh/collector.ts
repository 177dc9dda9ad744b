/**
 * Run first on the target, before any collector (sh). When the verifier
 * gives up (timeout, cancel) it closes the channel, which ends the collector's stdin: the watchdog then
 * stops the collector and all it started (its process group, which sshd made for the session): TERM, so
 * the default collector can remove its report entry, then KILL. sshd's own signal request is no
 * substitute: it is refused for root logins, the usual ones for a collector. `$watchdog` is its pid, for
 * the collector to stop it on a normal exit.
 */
export const WATCHDOG = `exec 3<&0
( trap '' TERM; cat <&3 >/dev/null 2>&1; kill -TERM 0 2>/dev/null; sleep 1; kill -KILL 0 2>/dev/null ) </dev/null >/dev/null 2>&1 &
watchdog=$!
exec 3<&-
`;

/** A target's own collector command, run by sh under the watchdog; its exit status is kept. */
export const CUSTOM_COLLECTOR = `${WATCHDOG}trap 'kill -KILL "$watchdog" 2>/dev/null' EXIT
eval "$1"
`;

/**
 * The default remote collector (POSIX sh, run on the target). It finds the TEE interface and asks it for
 * evidence over the verifier's 64-byte nonce:
 * - Linux configfs-tsm (6.7+; TDX and SEV-SNP): nonce to inblob, outblob (and auxblob, SNP's certificate
 *   table) back, `generation` re-read to detect a concurrent request; `provider` names the TEE.
 * - Gramine's /dev/attestation (SGX enclaves): nonce to user_report_data, the DCAP quote from `quote`.
 * - /dev/tdx_guest or /dev/sev-guest without configfs-tsm (older kernels) need an ioctl no shell can
 *   make: the collector says so, and the target names its own collector command instead.
 * TSM_ROOT / TSM_ENTRY (a prepared report entry) and ATTESTATION_DIR override the paths (the tests'
 * stand-in trees). Output: JSON with base64 fields. The verifier runs it under the watchdog; it also
 * stands alone as a script on the target (without one, so that a closed stdin does not stop it).
 */
export const TSM_COLLECTOR = `set -eu
made=''
cleanup() { [ -z "\${watchdog:-}" ] || kill -KILL "$watchdog" 2>/dev/null || true; [ -z "$made" ] || rmdir "$made" 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 143' TERM HUP INT
root="\${TSM_ROOT:-/sys/kernel/config/tsm/report}"
gramine="\${ATTESTATION_DIR:-/dev/attestation}"
nonce='{nonce}'
[ -n "$nonce" ] || nonce=$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \\n')
# Hex to bytes with POSIX printf only (octal escapes: dash's printf has no \\x).
unhex() {
  h="$1"
  case "$h" in *[!0-9a-fA-F]*) echo "nonce is not hex" >&2; exit 5;; esac
  [ $((\${#h} % 2)) -eq 0 ] || { echo "nonce has an odd number of hex digits" >&2; exit 5; }
  while [ -n "$h" ]; do b=\${h%"\${h#??}"}; h=\${h#??}; printf "\\\\$(printf '%03o' "0x$b")"; done
}
if [ ! -d "$root" ] && [ -e "$gramine/quote" ]; then
  unhex "$nonce" > "$gramine/user_report_data"
  out=$(base64 -w0 < "$gramine/quote")
  printf '{"provider":"gramine-%s","quote":"%s","auxblob":""}' "$(cat "$gramine/attestation_type" 2>/dev/null || echo sgx)" "$out"
  exit 0
fi
if [ ! -d "$root" ]; then
  for dev in /dev/tdx_guest /dev/tdx-guest /dev/sev-guest; do
    [ -e "$dev" ] && { echo "found $dev but no configfs-tsm at $root (Linux before 6.7?): this collector cannot make the ioctl; give the target its own collector command" >&2; exit 3; }
  done
  echo "no TEE interface found: no configfs-tsm at $root, no $gramine, no /dev/tdx_guest or /dev/sev-guest (is this a TDX or SEV-SNP guest, or a Gramine enclave?)" >&2
  exit 3
fi
if [ -n "\${TSM_ENTRY:-}" ]; then d="$TSM_ENTRY"; else
  d="$root/tee-inspector-$$"
  mkdir "$d"
  made="$d"
fi
unhex "$nonce" > "$d/inblob"
gen=$(cat "$d/generation" 2>/dev/null || echo 0)
out=$(base64 -w0 < "$d/outblob")
aux=$(base64 -w0 2>/dev/null < "$d/auxblob" || true)
[ "$(cat "$d/generation" 2>/dev/null || echo 0)" = "$gen" ] || { echo "configfs-tsm generation changed during the request" >&2; exit 4; }
provider=$(cat "$d/provider" 2>/dev/null || echo unknown)
printf '{"provider":"%s","quote":"%s","auxblob":"%s"}' "$provider" "$out" "$aux"
`;
