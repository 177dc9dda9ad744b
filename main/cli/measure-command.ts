import type { CliIo } from './verify-command.js';
import { measureTdxCommand } from './measure-tdx.js';
import { measureSnpCommand } from './measure-snp.js';

const USAGE = `usage: tee-inspect measure snp --ovmf FILE [--ovmf-hash HEX] --vcpus N [--vcpu-type NAME | --vcpu-sig HEX] [--vmm qemu|ec2|gce]
                           [--guest-features HEX] [--kernel FILE --initrd FILE --append STR] [--format text|json]
       tee-inspect measure sev-es (the snp flags but --ovmf-hash and --guest-features)
       tee-inspect measure tdx --ovmf FILE [--page-add-order single|two-pass] [--format text|json]
`;

/** `tee-inspect measure KIND …`: launch measurements computed from build artefacts (DESIGN.md "Measurement pre-calculation"). */
export async function measureCommand(argv: string[], io: CliIo): Promise<number> {
  const [kind, ...rest] = argv;
  if (kind === 'tdx') return measureTdxCommand(rest, io);
  if (kind === 'snp' || kind === 'sev-es') return measureSnpCommand(rest, io, kind);
  io.stderr(`tee-inspect: measure ${kind === undefined ? 'needs a kind' : `"${kind}" is not a kind this version measures`}\n${USAGE}`);
  return 2;
}
