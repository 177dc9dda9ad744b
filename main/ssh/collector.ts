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
 * The default remote collector (POSIX sh, dash-compatible, run on the target). It finds the TEE interface
 * and asks it for evidence over the verifier's 64-byte nonce:
 * - Azure confidential VMs (SEV-SNP or TDX behind Microsoft's paravisor; found by tpm2_nvread reading vTPM
 *   NV index 0x01400001): the nonce is written to NV index 0x01400002 (the HCL report's user data, as
 *   Azure's tooling does), the HCL report read back after 3 s, a vTPM quote made by the AK (0x81000003)
 *   over all SHA-256 PCRs with the nonce as qualifying data (tpm2-tools); then from IMDS the TD quote for
 *   the HCL report's TDREPORT (TDX) or the VCEK and AMD chain (SNP, THIM).
 * - Linux configfs-tsm (6.7+; TDX and SEV-SNP): nonce to inblob, outblob (and auxblob, SNP's certificate
 *   table) back, `generation` re-read to detect a concurrent request; `provider` names the TEE.
 * - Gramine's /dev/attestation (SGX enclaves): nonce to user_report_data, the DCAP quote from `quote`.
 * - /dev/tdx_guest or /dev/sev-guest without configfs-tsm (older kernels) need an ioctl no shell can
 *   make: the collector says so, and the target names its own collector command instead.
 * Beside the report it collects the event logs: the CCEL table and log (TDX), the TPM's
 * binary_bios_measurements when there is a TPM; each at most 16 MiB. What it cannot collect is listed
 * in `missing` with the reason (absent, permission-denied, too-large, tool-absent, failed) and the tool's
 * own message; splitCollected turns these into notes.
 * TSM_ROOT / TSM_ENTRY (a prepared report entry), ATTESTATION_DIR, SYSFS_ROOT (instead of /sys),
 * AZURE_IMDS (instead of http://169.254.169.254), AZURE_HCL_WAIT (seconds) and PATH (stand-in tpm2-tools)
 * override the paths (the tests' stand-in trees). Output: one JSON object with base64 fields. The verifier
 * runs it under the watchdog; it also stands alone as a script on the target (without one, so that a
 * closed stdin does not stop it).
 */
export const TSM_COLLECTOR = `set -eu
made=''
tmp=''
cleanup() { [ -z "\${watchdog:-}" ] || kill -KILL "$watchdog" 2>/dev/null || true; [ -z "$made" ] || rmdir "$made" 2>/dev/null || true; [ -z "$tmp" ] || rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 143' TERM HUP INT
root="\${TSM_ROOT:-/sys/kernel/config/tsm/report}"
gramine="\${ATTESTATION_DIR:-/dev/attestation}"
sys="\${SYSFS_ROOT:-/sys}"
imds="\${AZURE_IMDS:-http://169.254.169.254}"
nonce='{nonce}'
[ -n "$nonce" ] || nonce=$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \\n')
# Hex to bytes with POSIX printf only (octal escapes: dash's printf has no \\x).
unhex() {
  h="$1"
  case "$h" in *[!0-9a-fA-F]*) echo "nonce is not hex" >&2; exit 5;; esac
  [ $((\${#h} % 2)) -eq 0 ] || { echo "nonce has an odd number of hex digits" >&2; exit 5; }
  while [ -n "$h" ]; do b=\${h%"\${h#??}"}; h=\${h#??}; printf "\\\\$(printf '%03o' "0x$b")"; done
}
tmp=$(mktemp -d)
: > "$tmp/logs"
missing=''
has() { command -v "$1" >/dev/null 2>&1; }
# Text for a JSON string: no quote, backslash or control character; one line of at most 300 characters.
jtext() { printf '%s' "$1" | tr -d '"\\\\\\000-\\037' | cut -c1-300; }
# What could not be collected, and why (absent, permission-denied, too-large, tool-absent, failed).
miss() { missing="$missing\${missing:+,}{\\"item\\":\\"$1\\",\\"path\\":\\"$(jtext "$2")\\",\\"reason\\":\\"$3\\",\\"detail\\":\\"$(jtext "\${4:-}")\\"}"; }
# A root-only file copied into $tmp, at most 16 MiB. 1 absent, 2 permission denied, 3 too large, 4 other.
grab() {
  if [ ! -e "$1" ]; then [ -d "\${1%/*}" ] && [ ! -x "\${1%/*}" ] && return 2; return 1; fi
  if ! head -c 16777217 "$1" > "$2" 2>"$tmp/err"; then grep -qi 'permission denied' "$tmp/err" && return 2; return 4; fi
  [ "$(wc -c < "$2")" -le 16777216 ] || return 3
}
# An event log as {name, path, data}, or the reason it is missing.
log_file() {
  rc=0
  grab "$2" "$tmp/log" || rc=$?
  case $rc in
    0) [ ! -s "$tmp/logs" ] || printf ',' >> "$tmp/logs"
       { printf '{"name":"%s","path":"%s","data":"' "$1" "$(jtext "$2")"; base64 -w0 < "$tmp/log"; printf '"}'; } >> "$tmp/logs";;
    1) miss "$1" "$2" absent;;
    2) miss "$1" "$2" permission-denied;;
    3) miss "$1" "$2" too-large;;
    *) miss "$1" "$2" failed "$(cat "$tmp/err")";;
  esac
}
# TDX: the ACPI CCEL table (where the log lives) and the log itself; a TPM's event log when there is a TPM.
collect_logs() {
  ccel="$sys/firmware/acpi/tables/data/CCEL"
  if [ -e "$ccel" ] || [ -e "$sys/firmware/acpi/tables/CCEL" ]; then
    log_file ccel "$ccel"
    if grab "$sys/firmware/acpi/tables/CCEL" "$tmp/ccel-table"; then ccel_table=$(base64 -w0 < "$tmp/ccel-table"); fi
  else miss ccel "$ccel" absent; fi
  tpm_log="$sys/kernel/security/tpm0/binary_bios_measurements"
  if [ -e "$sys/class/tpm/tpm0" ] || [ -e "$tpm_log" ]; then log_file tpm "$tpm_log"; fi
}
ccel_table=''
# Azure confidential VMs: the paravisor's HCL report in vTPM NV index 0x01400001 is the evidence.
nvread() { tpm2_nvread -C o -o "$2" "$1" 2>"$tmp/err"; }
microsoft_vm() { grep -q 'Microsoft Corporation' "$sys/class/dmi/id/sys_vendor" 2>/dev/null && [ -e "$sys/class/tpm/tpm0" ]; }
# The nonce as the HCL report's user data (NV index 0x01400002, as Azure's tooling does), then a new report.
azure_fresh() {
  unhex "$nonce" > "$tmp/nonce"
  size=$(wc -c < "$tmp/nonce")
  if ! tpm2_nvwrite -C o -i "$tmp/nonce" 0x01400002 2>"$tmp/err"; then
    tpm2_nvundefine -C o 0x01400002 >/dev/null 2>&1 || true
    if ! tpm2_nvdefine -C o -s "$size" -a 'ownerread|ownerwrite' 0x01400002 >/dev/null 2>"$tmp/err" || ! tpm2_nvwrite -C o -i "$tmp/nonce" 0x01400002 2>"$tmp/err"; then
      miss hcl-nonce 0x01400002 failed "$(cat "$tmp/err")"
      return 0
    fi
  fi
  # Azure's tooling waits 3 s: the paravisor updates the report asynchronously.
  sleep "\${AZURE_HCL_WAIT:-3}"
  if nvread 0x01400001 "$tmp/hcl2"; then mv "$tmp/hcl2" "$tmp/hcl"; else miss hcl-nonce 0x01400001 failed "$(cat "$tmp/err")"; fi
}
# A vTPM quote by the AK (persistent handle 0x81000003) over all SHA-256 PCRs, the nonce as qualifying data.
azure_quote() {
  has tpm2_quote || { miss tpm-quote 0x81000003 tool-absent tpm2_quote; return 0; }
  if tpm2_quote -c 0x81000003 -l sha256:all -q "$nonce" -m "$tmp/msg" -s "$tmp/sig" -f plain -o "$tmp/pcrs" -F values -g sha256 >/dev/null 2>"$tmp/err"; then
    tpm_quote="{\\"message\\":\\"$(base64 -w0 < "$tmp/msg")\\",\\"signature\\":\\"$(base64 -w0 < "$tmp/sig")\\",\\"pcrs\\":\\"$(base64 -w0 < "$tmp/pcrs")\\"}"
  else miss tpm-quote 0x81000003 failed "$(cat "$tmp/err")"; fi
}
# Azure IMDS (inside the VM only; never through a proxy), at most 1 MiB: GET, or POST of a JSON file.
imds_call() {
  if has curl; then
    if [ -n "\${3:-}" ]; then curl -fsS --noproxy '*' --max-time 10 --max-filesize 1048576 -H 'Metadata: true' -H 'Content-Type: application/json' --data-binary "@$3" -o "$2" "$1" 2>"$tmp/err"
    else curl -fsS --noproxy '*' --max-time 10 --max-filesize 1048576 -H 'Metadata: true' -o "$2" "$1" 2>"$tmp/err"; fi
  elif has wget; then
    if [ -n "\${3:-}" ]; then wget -q --no-proxy -T 10 --header='Metadata: true' --header='Content-Type: application/json' --post-file="$3" -O "$2" "$1" 2>"$tmp/err"
    else wget -q --no-proxy -T 10 --header='Metadata: true' -O "$2" "$1" 2>"$tmp/err"; fi
  else return 127; fi
}
# The answer of an IMDS endpoint (base64 of its JSON) in $answer, or the reason there is none.
imds_answer() {
  answer=''
  rc=0
  imds_call "$imds$2" "$tmp/answer" "\${3:-}" || rc=$?
  case $rc in
    0) answer=$(base64 -w0 < "$tmp/answer");;
    127) miss "$1" "$imds$2" tool-absent 'curl or wget';;
    *) miss "$1" "$imds$2" failed "$(cat "$tmp/err")";;
  esac
}
azure=''
if has tpm2_nvread; then
  if nvread 0x01400001 "$tmp/hcl"; then azure=1
  elif microsoft_vm; then miss hcl 0x01400001 failed "$(cat "$tmp/err")"; fi
elif microsoft_vm; then miss hcl 0x01400001 tool-absent tpm2_nvread; fi
if [ -n "$azure" ]; then
  if has tpm2_nvwrite && has tpm2_nvdefine; then azure_fresh; else miss hcl-nonce 0x01400002 tool-absent tpm2_nvwrite; fi
  tpm_quote=''
  azure_quote
  hcl=$(base64 -w0 < "$tmp/hcl")
  # The hardware report's type in the HCL report's IGVM request data (offset 0x20 + 1184 + 8): 2 SNP, 4 TDX.
  extra=''
  case "$(od -An -tu1 -j 1224 -N 1 "$tmp/hcl" | tr -d ' ')" in
    4) provider=azure-tdx-vtpm
       # The TDREPORT (1024 bytes at 0x20) goes to IMDS, which answers with the TD quote.
       printf '{"report":"%s"}' "$(tail -c +33 "$tmp/hcl" | head -c 1024 | base64 -w0 | tr '+/' '-_' | tr -d '=')" > "$tmp/tdreport.json"
       imds_answer td-quote /acc/tdquote "$tmp/tdreport.json"
       [ -z "$answer" ] || extra=",\\"tdQuoteResponse\\":\\"$answer\\"";;
    2) provider=azure-snp-vtpm
       imds_answer vcek /metadata/THIM/amd/certification
       [ -z "$answer" ] || extra=",\\"thim\\":\\"$answer\\"";;
    *) provider=azure-vtpm;;
  esac
  collect_logs
  printf '{"provider":"%s","quote":"","auxblob":"","hcl":"%s"%s' "$provider" "$hcl" "$extra"
  [ -z "$tpm_quote" ] || printf ',"tpmQuote":%s' "$tpm_quote"
  printf ',"eventlogs":['; cat "$tmp/logs"; printf '],"ccelTable":"%s","missing":[%s]}' "$ccel_table" "$missing"
  exit 0
fi
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
  if microsoft_vm && ! has tpm2_nvread; then echo "a Microsoft VM with a TPM but no tpm2_nvread (apt install tpm2-tools): if this is an Azure confidential VM, its evidence is the vTPM's HCL report" >&2; exit 3; fi
  if microsoft_vm; then echo "a Microsoft VM with a TPM, but tpm2_nvread could not read the HCL report (NV index 0x01400001): $(jtext "$(cat "$tmp/err")")" >&2; exit 3; fi
  echo "no TEE interface found: no configfs-tsm at $root, no $gramine, no /dev/tdx_guest or /dev/sev-guest, no Azure HCL report in the vTPM (is this a TDX or SEV-SNP guest, an Azure confidential VM, or a Gramine enclave?)" >&2
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
collect_logs
printf '{"provider":"%s","quote":"%s","auxblob":"%s","eventlogs":[' "$provider" "$out" "$aux"
cat "$tmp/logs"
printf '],"ccelTable":"%s","missing":[%s]}' "$ccel_table" "$missing"
`;
