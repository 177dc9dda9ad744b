import { claimText, failingIds, isZeroHex } from './facts.js';
import type { Facts } from './facts.js';
import type { EvidenceSpec } from './evidence-specs.js';
import type { EvidenceState, LayerEvidence, LayerState } from './types.js';

type Verdict = { state: EvidenceState; note?: string };

/** One layer's evidence item, judged against this result; without a result everything is 'unknown'. */
export function evaluate(spec: EvidenceSpec, f: Facts | null): LayerEvidence {
  const checks = f
    ? (spec.checks ?? []).map((p) => f.find(p)).map(({ id, status }) => ({ id, status }))
    : (spec.checks ?? []).map((id) => ({ id, status: 'missing' as const }));
  const value = f && spec.claim ? claimText(f.claim(spec.claim)) : undefined;
  const v: Verdict = f ? judge(spec, f, checks, value) : { state: 'unknown' };
  const out: LayerEvidence = { label: spec.label, checks, how: spec.how, state: v.state };
  if (spec.claim) out.claim = spec.claim;
  if (value !== undefined) out.value = value;
  if (v.note) out.note = v.note;
  return out;
}

function judge(spec: EvidenceSpec, f: Facts, checks: LayerEvidence['checks'], value: string | undefined): Verdict {
  if (!f.cryptoValid)
    return {
      state: 'failed',
      note: `The evidence's signatures or certificate chain do not verify (failing: ${failingIds(f)}), so nothing in it is authentic.`,
    };
  const failed = checks.find((c) => c.status === 'fail');
  if (failed) return { state: 'failed', note: `${failed.id} failed.` };
  if (spec.expect !== undefined && spec.claim && f.claim(spec.claim) !== undefined && f.claim(spec.claim) !== spec.expect) {
    return { state: 'failed', note: `${spec.claim} is ${value}, not ${String(spec.expect)}.` };
  }
  if (spec.tcb) {
    const t = tcbVerdict(spec.tcb, f);
    if (t) return t;
  }
  const claimed = claimVerdict(spec, f, value);
  if (claimed) return claimed;
  const warned = checks.find((c) => c.status === 'warn');
  if (warned) return { state: 'warning', note: `${warned.id} passed with a warning.` };
  if (checks.length > 0 && checks.every((c) => c.status === 'skip' || c.status === 'missing')) {
    return { state: 'not-covered', note: `Not checked: ${checks.map((c) => `${c.id} ${c.status === 'skip' ? 'skipped' : 'absent'}`).join(', ')}.` };
  }
  if (checks.length === 0 && !spec.claim) return { state: 'not-covered' };
  return { state: 'proven' };
}

function claimVerdict(spec: EvidenceSpec, f: Facts, value: string | undefined): Verdict | undefined {
  if (!spec.claim || spec.tcb) return undefined;
  if (value === undefined) return { state: 'not-covered', note: `This evidence carries no ${spec.claim}.` };
  const diff = f.diff(spec.claim);
  if (diff && !diff.match) return { state: 'failed', note: `${spec.claim} differs from the reference values (${diff.expected.join(' or ')}).` };
  if (isZeroHex(f.claim(spec.claim))) return { state: 'not-covered', note: `${spec.claim} is all zeros: nothing was measured or set here.` };
  if (diff?.match) return { state: 'proven', note: `${spec.claim} matches the reference values.` };
  if (spec.expect !== undefined) return undefined;
  return { state: 'proven', note: `${spec.claim} is authentic; no reference value was given to compare it with.` };
}

function tcbVerdict(which: 'status' | 'tdxModule', f: Facts): Verdict | undefined {
  const status = which === 'status' ? f.tcb?.status : f.tcb?.parts.tdxModule;
  if (status === undefined) return which === 'status' ? { state: 'not-covered', note: 'No TCB status could be established for this evidence.' } : undefined;
  const what = which === 'status' ? 'TCB status' : 'TDX module TCB status';
  if (status === 'UpToDate') return { state: 'proven', note: `${what} UpToDate.` };
  if (status === 'NotEvaluated') return { state: 'not-covered', note: `${what} not evaluated: no minimum TCB was given to compare the reported TCB with.` };
  if (status === 'Revoked') return { state: 'failed', note: `${what} Revoked: the platform's keys or firmware were revoked.` };
  const adv = which === 'status' && f.tcb && f.tcb.advisories.length > 0 ? `; advisories ${f.tcb.advisories.join(', ')}` : '';
  return { state: 'warning', note: `${what} ${status}${adv}.` };
}

/** A layer's state from its items: inside layers can be proven; outside ones are what the isolation excludes. */
export function layerState(inside: boolean, items: readonly LayerEvidence[], f: Facts | null): LayerState {
  if (!f) return 'unknown';
  if (!inside) return 'untrusted';
  if (!f.cryptoValid || f.revoked || items.some((i) => i.state === 'failed')) return 'failed';
  if (items.some((i) => i.state === 'warning')) return 'warning';
  return items.some((i) => i.state === 'proven') ? 'proven' : 'not-covered';
}
