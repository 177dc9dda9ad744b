import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Stand-in tpm2-tools for the collector tests: shell scripts named like the real tools, put first on the
 * collector's PATH. They act on a state directory instead of a TPM:
 * - nv-0x01400001 (the HCL report) is what tpm2_nvread returns for that index; an index with no file fails
 *   as on a TPM where it is not defined;
 * - tpm2_nvwrite fails until tpm2_nvdefine defined the index (Azure's 0x01400002 starts undefined), then
 *   stores the bytes in nv-INDEX;
 * - tpm2_quote checks it was called exactly as Azure's tooling calls it (AK 0x81000003, all SHA-256 PCRs,
 *   bare signature, raw PCR values), records the qualifying data in quote-q, and writes quote-message,
 *   quote-signature and quote-pcrs to the files it was given;
 * - a file `denied` makes every tool fail as tpm2-tools does for a user who may not open /dev/tpmrm0.
 * Every call is appended to `calls`.
 */
export interface StandInTpm {
  /** Put this first on the collector's PATH. */
  bin: string;
  state: string;
}

export interface StandInTpmContents {
  hcl?: Uint8Array;
  quote?: { message: Uint8Array; signature: Uint8Array; pcrs: Uint8Array };
  /** Which tools exist (default: all five). */
  tools?: readonly ToolName[];
  denied?: boolean;
}

export type ToolName = 'tpm2_nvread' | 'tpm2_nvwrite' | 'tpm2_nvdefine' | 'tpm2_nvundefine' | 'tpm2_quote';

const DENIED = `if [ -e "$S/denied" ]; then echo "ERROR:tcti:src/tss2-tcti/tcti-device.c:452:Tss2_Tcti_Device_Init() Failed to open specified TCTI device file /dev/tpmrm0: Permission denied" >&2; exit 1; fi`;

const SCRIPTS: Record<ToolName, string> = {
  tpm2_nvread: `[ "$1 $2 $3" = "-C o -o" ] || { echo "stand-in tpm2_nvread: unexpected arguments: $*" >&2; exit 2; }
[ -e "$S/nv-$5" ] || { echo "ERROR:esys:src/tss2-esys/api/Esys_NV_ReadPublic.c:309:Esys_NV_ReadPublic_Finish() Received TPM Error; ERROR: the handle is not correct for the use" >&2; exit 1; }
cat "$S/nv-$5" > "$4"`,
  tpm2_nvwrite: `[ "$1 $2 $3" = "-C o -i" ] || { echo "stand-in tpm2_nvwrite: unexpected arguments: $*" >&2; exit 2; }
[ -e "$S/defined-$5" ] || { echo "ERROR: Esys_NV_Write(0x18B) - tpm:handle(1):the handle is not correct for the use" >&2; exit 1; }
[ "$(wc -c < "$4")" -le "$(cat "$S/defined-$5")" ] || { echo "ERROR: Esys_NV_Write(0x146) - tpm:error(2.0): NV offset + size is out of range" >&2; exit 1; }
cat "$4" > "$S/nv-$5"`,
  tpm2_nvdefine: `[ "$1 $2 $3 $5 $6" = "-C o -s -a ownerread|ownerwrite" ] || { echo "stand-in tpm2_nvdefine: unexpected arguments: $*" >&2; exit 2; }
[ ! -e "$S/defined-$7" ] || { echo "ERROR: Esys_NV_DefineSpace(0x14C) - tpm:error(2.0): NV Index or persistent object already defined" >&2; exit 1; }
echo "$4" > "$S/defined-$7"; echo "nv-index: $7"`,
  tpm2_nvundefine: `[ -e "$S/defined-$3" ] || { echo "ERROR: the handle is not correct for the use" >&2; exit 1; }
rm -f "$S/defined-$3" "$S/nv-$3"`,
  tpm2_quote: `[ "$1 $2 $3 $4 $5" = "-c 0x81000003 -l sha256:all -q" ] && [ "$7 $9 \${11} \${12} \${13} \${15} \${16} \${17} \${18}" = "-m -s -f plain -o -F values -g sha256" ] || { echo "stand-in tpm2_quote: unexpected arguments: $*" >&2; exit 2; }
printf '%s' "$6" > "$S/quote-q"
cat "$S/quote-message" > "$8"; cat "$S/quote-signature" > "\${10}"; cat "$S/quote-pcrs" > "\${14}"
echo "quoted: (yaml on stdout, as the real tool prints)"`,
};

export function standInTpm(c: StandInTpmContents): StandInTpm {
  const dir = mkdtempSync(join(tmpdir(), 'tee-tpm2-'));
  const bin = join(dir, 'bin');
  const state = join(dir, 'state');
  mkdirSync(bin);
  mkdirSync(state);
  for (const name of c.tools ?? (Object.keys(SCRIPTS) as ToolName[])) {
    const file = join(bin, name);
    writeFileSync(file, `#!/bin/sh\nS='${state}'\necho "${name} $*" >> "$S/calls"\n${DENIED}\n${SCRIPTS[name]}\n`);
    chmodSync(file, 0o755);
  }
  if (c.hcl) writeFileSync(join(state, 'nv-0x01400001'), c.hcl);
  if (c.quote) {
    writeFileSync(join(state, 'quote-message'), c.quote.message);
    writeFileSync(join(state, 'quote-signature'), c.quote.signature);
    writeFileSync(join(state, 'quote-pcrs'), c.quote.pcrs);
  }
  if (c.denied) writeFileSync(join(state, 'denied'), '');
  // Readable by a collector that runs as an unprivileged user.
  for (const d of [dir, bin, state]) chmodSync(d, 0o777);
  return { bin, state };
}
