import { TeeError } from '../../app/errors.js';

export const REFERENCE_USAGE = `usage: tee-inspect reference create --report REPORT.json|TOKEN.jwt [--report ...]... [--key PUB.pem] [output flags]
       tee-inspect reference create --measure snp --ovmf FILE --vcpus N [the other measure snp flags] [output flags]
       tee-inspect reference create --measure boot --technology T --boot qemu-direct|uefi|grub --kernel F [--initrd F] [--append S] [--memory SIZE]
       tee-inspect reference create --measure tdx --ovmf FILE [--page-add-order single|two-pass]
                                    [--boot qemu-direct|uefi|grub [--kernel FILE] [--initrd FILE] [--append STR] [--memory SIZE]] [output flags]
output flags: [--set NAME] [--name NAME] [--note TEXT] [--into FILE [--into-key PUB.pem]] [--out FILE] [--sign-key KEY.pem] [--format text|json]`;

/** The flags of `reference create` itself; every other flag belongs to the measure kind and is passed on. */
export interface ReferenceCreateArgs {
  reports: string[];
  key?: string;
  measure?: 'snp' | 'tdx' | 'boot';
  /** The measure flags, as `measure snp|tdx` takes them. */
  measureArgv: string[];
  set?: string;
  name?: string;
  note?: string;
  into?: string;
  intoKey?: string;
  out?: string;
  signKey?: string;
  format: 'text' | 'json';
}

const OWN = ['report', 'key', 'measure', 'set', 'name', 'note', 'into', 'into-key', 'out', 'sign-key', 'format'] as const;
type Own = (typeof OWN)[number];

export const usage = (message: string) => new TeeError('USAGE_ERROR', message);

export function parseReferenceCreateArgs(argv: readonly string[]): ReferenceCreateArgs {
  const { own, rest } = split(argv);
  const single = (flag: Own): string | undefined => {
    const list = own.get(flag) ?? [];
    if (list.length > 1) throw usage(`--${flag} is given ${list.length} times; give it once`);
    return list[0];
  };
  const format = single('format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw usage(`--format must be text or json, not "${format}"`);
  const measure = single('measure');
  const reports = own.get('report') ?? [];
  if (measure === 'sev-es')
    throw usage(
      'SEV-ES launch measurements cannot be reference values: no module here verifies SEV-ES evidence, so a set could never match (use measure sev-es to compute one)',
    );
  if (measure !== undefined && measure !== 'snp' && measure !== 'tdx' && measure !== 'boot')
    throw usage(`--measure must be snp, tdx or boot, not "${measure}"`);
  if ((measure === undefined) === (reports.length === 0)) throw usage('give either --report FILE (one or more) or --measure snp|tdx|boot with its flags');
  if (measure === undefined && rest.length > 0) throw usage(`${rest[0]} is not a reference create flag (measure flags go with --measure)`);
  if (single('into-key') !== undefined && single('into') === undefined) throw usage('--into-key goes with --into (the key of a signed file to merge into)');
  if (single('key') !== undefined && measure !== undefined) throw usage('--key is the EAR token key of --report; artefacts need none');
  const args: ReferenceCreateArgs = { reports, measureArgv: rest, format };
  for (const [flag, field] of [
    ['key', 'key'],
    ['set', 'set'],
    ['name', 'name'],
    ['note', 'note'],
    ['into', 'into'],
    ['into-key', 'intoKey'],
    ['out', 'out'],
    ['sign-key', 'signKey'],
  ] as const) {
    const v = single(flag);
    if (v !== undefined) args[field] = v;
  }
  if (args.set !== undefined && (args.set.trim() === '' || args.set.length > 200)) throw usage('--set NAME must be 1 to 200 characters');
  if (args.name !== undefined && (args.name.trim() === '' || args.name.length > 200)) throw usage('--name NAME must be 1 to 200 characters');
  if (measure) args.measure = measure;
  return args;
}

/**
 * Picks out this command's flags (`--flag VALUE` or `--flag=VALUE`). Every flag either command knows takes a
 * value, so an unknown flag is passed on with the token after it: a value such as `--append "--x"` stays a value.
 */
function split(argv: readonly string[]): { own: Map<Own, string[]>; rest: string[] } {
  const own = new Map<Own, string[]>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!token.startsWith('--')) throw usage(`unexpected argument "${token}"`);
    const eq = token.indexOf('=');
    const flag = token.slice(2, eq < 0 ? undefined : eq);
    const inline = eq < 0 ? undefined : token.slice(eq + 1);
    if (!(OWN as readonly string[]).includes(flag)) {
      rest.push(token);
      if (inline === undefined && i + 1 < argv.length) rest.push(argv[++i]!);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw usage(`--${flag} needs a value`);
    own.set(flag as Own, [...(own.get(flag as Own) ?? []), value]);
  }
  return { own, rest };
}
