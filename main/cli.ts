import { VERSION } from './version.js';
import { verifyCommand } from './cli/verify-command.js';
import { serveCommand } from './cli/serve-command.js';
import { collateralCommand } from './cli/collateral-command.js';
import { fleetCommand } from './cli/fleet-command.js';
import { hostsCommand } from './cli/hosts-command.js';
import { recheckCommand } from './cli/recheck-command.js';
import { eventlogCommand } from './cli/eventlog-command.js';
import { measureCommand } from './cli/measure-command.js';
import { referenceCommand } from './cli/reference-command.js';
import type { CliIo } from './cli/verify-command.js';

const USAGE = `TEE Inspector — inspect and verify TEE attestation evidence

usage:
  tee-inspect verify EVIDENCE [--collateral FILE]... [--reference FILE] [--nonce HEX]
                     [--product Milan|Genoa|Turin] [--at ISO-8601] [--offline] [--strict]
                     [--pcs-url URL] [--tcb-update standard|early] [--ca-file PEM] [--cache-dir DIR] [--format text|json]
  tee-inspect verify ssh://USER@HOST[:PORT] [--identity FILE] [--known-hosts FILE] [--trust-host-key FP]
                     [--host-key-store FILE] [--collector CMD] [--no-nonce] [other verify options]
  tee-inspect verify https://… --adapter coco-aa|dstack|template [--ca-file PEM] [--no-nonce] [other verify options]
  tee-inspect fleet verify TARGETS.json [--concurrency N] [--format text|json] [--at ISO-8601] [--offline] [--timeout S]
                     [--cache-dir DIR] [--pcs-url URL] [--kds-url URL] [--ca-file PEM] [--host-key-store FILE]
                     [--known-hosts FILE] [--history-dir DIR | --no-history] [--report-dir DIR] [--strict]
                     every target of a targets file (docs/targets.md): one line each, then a summary
  tee-inspect hosts list [--format text|json] | pin HOST[:PORT] SHA256:FP | unpin HOST[:PORT] | import KNOWN_HOSTS_FILE
                     [--host-key-store FILE]   the pinned SSH host keys (changed only by an explicit act)
  tee-inspect serve [--port N] [--no-open]      the app in your browser, on 127.0.0.1 only
  tee-inspect collateral export|import FILE [--cache-dir DIR]   move cached collateral to an offline machine
  tee-inspect recheck REPORT.json|TOKEN.jwt [--key PUB.pem] [--at ISO-8601] [--format text|json]
                     re-verify a report's own inputs offline; exit 0 when it agrees, 1 when not or altered
  tee-inspect eventlog FILE [--format text|json]   parse a TCG/CCEL event log and replay its registers
  tee-inspect measure snp|sev-es --ovmf FILE --vcpus N [--vcpu-type NAME] [--vmm qemu|ec2|gce] [--kernel F --initrd F --append S]
  tee-inspect measure tdx --ovmf FILE [--page-add-order single|two-pass] [--format text|json]
                     the launch measurement (SNP, SEV-ES) or MRTD (TDX) an image gives: golden values
  tee-inspect reference create --report REPORT.json [--report ...]... [--key PUB.pem] | --measure snp|tdx <measure flags>
                     [--set NAME] [--name NAME] [--note TEXT] [--into FILE] [--out FILE] [--sign-key KEY.pem] [--format text|json]
                     a reference file from rechecked reports or build artefacts, each value with its provenance
  tee-inspect --version

EVIDENCE is an SGX/TDX quote or an SEV-SNP report (binary, hex, base64 or a JSON bundle). Each --collateral file
is detected by content: a dcap-qvl collateral bundle, Intel PCS/PCCS responses, certificates, CRLs.
--reference FILE holds golden values (docs/reference-values.md); a mismatch is REFERENCE_MISMATCH.
SSH host keys: --known-hosts FILE is trusted for that run only; --trust-host-key FP pins FP for a host with no pin
(a changed key is refused: \`hosts unpin\` first). EVIDENCE may be - (standard input).
Live targets get a fresh 64-byte nonce that REPORT_DATA must carry; secrets come from the environment:
TEE_INSPECT_SSH_PASSPHRASE (an encrypted key file), TEE_INSPECT_TOKEN (a bearer token for an HTTPS endpoint).
Exit codes: 0 verified, 1 rejected (--strict: also a warning), 2 usage error or unreadable input.
`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'verify') return verifyCommand(rest, io);
  if (command === 'serve') return serveCommand(rest, io, VERSION);
  if (command === 'collateral') return collateralCommand(rest, io);
  if (command === 'fleet') return fleetCommand(rest, io);
  if (command === 'hosts') return hostsCommand(rest, io);
  if (command === 'recheck') return recheckCommand(rest, io);
  if (command === 'eventlog') return eventlogCommand(rest, io);
  if (command === 'measure') return measureCommand(rest, io);
  if (command === 'reference') return referenceCommand(rest, io);
  if (command === '--version' || command === '-V') {
    io.stdout(`tee-inspect ${VERSION}\n`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE);
    return command === undefined ? 2 : 0;
  }
  io.stderr(`tee-inspect: unknown command "${command}"\n${USAGE}`);
  return 2;
}

export { VERSION } from './version.js';

const isEntry = process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href;
if (isEntry) {
  const io: CliIo = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    now: () => new Date(),
  };
  process.exitCode = await main(process.argv.slice(2), io);
}
