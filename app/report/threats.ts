import { threatMatrix } from '../threat/matrix.js';
import { SEED_FILES } from '../threat/seeds.js';
import type { InstanceStatus, MatrixRow } from '../threat/types.js';
import type { TrustBoundaryView } from './boundary.js';
import type { VerificationResult } from './result.js';

/**
 * The threat rows as the report states them: the threat matrix of app/threat for this result, its six
 * instance statuses folded into the report's four, each row citing its seed document by title and author.
 */
export type ThreatStatus = 'mitigated' | 'open-by-policy' | 'not-mitigated' | 'no-tee-mitigates';

export interface ThreatSource {
  title: string;
  author: string;
  /** The slide or section of the seed the row is taken from. */
  locator?: string;
}

export interface ThreatView {
  id: string;
  title: string;
  status: ThreatStatus;
  because: string;
  source: ThreatSource;
  /** Claim names and check ids the sentence relies on. */
  basis: string[];
}

const PRODUCT: ThreatSource = { title: 'TEE Inspector', author: 'TEE Inspector' };

/**
 * `open-tcb` (the TCB level lists the advisory) is not mitigated on this platform; `unknown` (this evidence
 * cannot tell) is never counted as mitigated either, so both become not-mitigated, the sentence saying which.
 */
const STATUS: Readonly<Record<InstanceStatus, ThreatStatus>> = {
  mitigated: 'mitigated',
  'open-by-policy': 'open-by-policy',
  'not-mitigated': 'not-mitigated',
  'open-tcb': 'not-mitigated',
  'not-by-any-tee': 'no-tee-mitigates',
  unknown: 'not-mitigated',
};

export function threatsView(result: VerificationResult, boundary: TrustBoundaryView): ThreatView[] {
  const unproven = unprovenClaims(boundary);
  return threatMatrix(result).rows.map((m) => consistent(view(m), unproven));
}

function view(m: MatrixRow): ThreatView {
  const { row } = m;
  const because = m.instanceStatus === 'unknown' ? `Not established by this evidence: ${m.because}` : m.because;
  const out: ThreatView = { id: row.id, title: row.threat, status: STATUS[m.instanceStatus], because, source: PRODUCT, basis: [...m.basis] };
  if (row.source === 'product') {
    if (row.justification) out.because = `${because} Why TEE Inspector lists this row: ${row.justification}`;
  } else {
    const seed = SEED_FILES[row.source.file];
    out.source = { title: seed.title, author: seed.author, locator: row.source.locator };
  }
  return out;
}

/** Claims the trust boundary shows as only measured (or not measured): signed, but compared with nothing. */
function unprovenClaims(boundary: TrustBoundaryView): Map<string, string> {
  const out = new Map<string, string>();
  for (const layer of boundary.layers) for (const i of layer.items) if (i.state === 'measured' || i.state === 'not-measured') out.set(i.claim, i.state);
  return out;
}

/**
 * The two views must never disagree: a row may not be mitigated by a claim the boundary shows as only
 * measured, since a signature alone does not say the measured code is the code meant to run.
 */
function consistent(t: ThreatView, unproven: ReadonlyMap<string, string>): ThreatView {
  if (t.status !== 'mitigated') return t;
  const weak = t.basis.filter((b) => unproven.has(b));
  if (weak.length === 0) return t;
  const said = weak.map((c) => (unproven.get(c) === 'measured' ? `${c} is signed but was compared with no reference value` : `${c} measured nothing`));
  return { ...t, status: 'open-by-policy', because: `${t.because} But ${said.join('; ')} (trust boundary), so this is not shown to be mitigated.` };
}
