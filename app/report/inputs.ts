import type { Check } from '../check.js';
import { fail, warn } from '../check.js';
import { INPUT_CHECKS } from './checks.js';
import type { CollateralSource } from '../collateral/types.js';
import type { Certificate } from '../pki/x509.js';
import type { ResultInput } from './result.js';

export type Digest = (bytes: Uint8Array) => Promise<string>;

/** Certificates a verification could rely on by pin: a supplied copy of one is never what made it trusted. */
export interface Pins {
  isPinned(item: object): boolean;
}

/** result.inputs for the supplied collateral: what each file was, and whether anything in it was used. */
export async function collateralInputs(sources: readonly CollateralSource[], used: ReadonlySet<object>, pins: Pins, digest: Digest): Promise<ResultInput[]> {
  return Promise.all(
    sources.map(async (s) => {
      const { role, note } = roleOf(s, used, pins);
      return { name: s.name, role, ...(await sized(s.bytes, digest)), ...(note ? { note } : {}) };
    }),
  );
}

async function sized(bytes: Uint8Array | undefined, digest: Digest): Promise<{ sha256: string; bytes: number }> {
  return bytes ? { sha256: await digest(bytes), bytes: bytes.length } : { sha256: '', bytes: 0 };
}

function roleOf(s: CollateralSource, used: ReadonlySet<object>, pins: Pins): Pick<ResultInput, 'role' | 'note'> {
  if (s.status === 'ignored' && used.has(s))
    return { role: 'collateral', note: 'evidence itself, verified as a part of the main evidence (the report binds to it)' };
  if (s.status === 'ignored') return { role: 'ignored', note: s.note ?? 'not recognised' };
  if (s.status === 'broken') return { role: 'unused', note: s.note ?? 'does not parse' };
  const items = s.items ?? [];
  if (items.some((i) => used.has(i) && !pins.isPinned(i))) return { role: 'collateral' };
  if (items.length > 0 && items.every((i) => pins.isPinned(i)))
    return { role: 'unused', note: `holds only certificates pinned in TEE Inspector (${names(items)}): the built-in pinned copies are what is trusted` };
  return { role: 'unused', note: unusedNote(s.kinds) };
}

function unusedNote(kinds: readonly string[]): string {
  if (kinds.every((k) => k === 'certificate' || k.startsWith('cert-table:')))
    return "not needed: the chain was built from the evidence's own certificates, other supplied ones and the pinned roots";
  return `not needed for this evidence (${kinds.join(', ')}): another item of the same kind was used, or this one belongs to another platform or issuer`;
}

function names(items: readonly object[]): string {
  return items.map((i) => (i as Partial<Certificate>).subject?.cn ?? 'certificate').join(', ');
}

/** result.inputs for the parts the user added beside the evidence; one nothing used is ignored, with why. */
export async function attachmentInputs(
  extra: readonly { part: { role: string; name: string; bytes: Uint8Array }; source?: object }[],
  used: ReadonlySet<object>,
  digest: Digest,
  technology: string | null,
): Promise<ResultInput[]> {
  const attached = extra.filter((x) => !x.source).map((x) => x.part);
  return Promise.all(
    attached.map(async (p) => {
      const sized = { name: p.name, sha256: await digest(p.bytes), bytes: p.bytes.length };
      if (used.has(p)) return { ...sized, role: p.role as ResultInput['role'] };
      return { ...sized, role: 'ignored' as const, note: ignoredNote(p.role, technology) };
    }),
  );
}

const WHAT: Record<string, string> = { eventlog: 'an event log', 'tpm-quote': 'a TPM quote', 'td-quote': 'a TD quote' };

function ignoredNote(role: string, technology: string | null): string {
  const what = WHAT[role] ?? role;
  if (technology === null) return `${what}, not used: the evidence could not be verified`;
  return `${what}, not used: nothing in this ${technology} evidence is signed that ${what} could be compared with or bound to (an event log must be of the quote's kind: a CC event log for a TD quote, a TCG log for a TPM quote)`;
}

/** A supplied file that looked like collateral but could not be read is said, even when it was not needed. */
export function brokenInputChecks(sources: readonly CollateralSource[]): Check[] {
  return sources
    .filter((s) => s.status === 'broken')
    .map((s) => {
      // The note names the file (the loader prefixes its name), so the title can stay the catalogue's.
      if (s.code === 'INTERNAL_ERROR')
        return fail(
          INPUT_CHECKS.collateral,
          s.note ?? `${s.name}: internal error`,
          'INTERNAL_ERROR',
          'This is a bug in TEE Inspector: please report it with the file.',
        );
      return warn(
        INPUT_CHECKS.collateral,
        `${s.note ?? `${s.name} does not parse.`} The verdict was reached without it.`,
        undefined,
        s.code ?? 'MALFORMED_COLLATERAL',
      );
    });
}
