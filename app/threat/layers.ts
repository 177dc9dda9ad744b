import type { VerificationResult } from '../report/result.js';
import { EVIDENCE_SPECS } from './evidence-specs.js';
import { evaluate, layerState } from './evidence.js';
import { factsOf, failingIds } from './facts.js';
import type { Facts } from './facts.js';
import { ISOLATION_MODELS, ISOLATION_OF, isInside, LAYERS, TECH_LAYERS } from './model.js';
import { roleOf } from './roles.js';
import { TECHNOLOGY_LABELS } from './seeds.js';
import type { IsolationModel, Technology, TrustLayer } from './types.js';

export { ISOLATION_MODELS, LAYERS } from './model.js';

/** The seed picture this technology's isolation follows: VM isolation for TDX and SEV-SNP, process isolation for SGX. */
export function isolationModel(technology: Technology): IsolationModel {
  return ISOLATION_MODELS[ISOLATION_OF[technology]];
}

/**
 * The layers for one technology, outermost first (the seed's order), each inside or outside the trust
 * boundary, with what this result's evidence proved for it. Without a result — or with a result for
 * another technology — every state is 'unknown'.
 */
export function trustBoundary(technology: Technology, result?: VerificationResult): TrustLayer[] {
  const facts = result ? factsOf(result) : null;
  const f = facts && facts.technology === technology ? facts : null;
  const foreign = facts && !f ? `This result is for ${result?.technology}, not ${TECHNOLOGY_LABELS[technology]}: nothing in it applies here.` : undefined;
  const specs = EVIDENCE_SPECS[technology];
  return TECH_LAYERS[technology].map((id) => {
    const def = LAYERS[id];
    const inside = isInside(technology, id);
    const evidence = (specs[id] ?? []).map((s) => evaluate(s, f));
    const state = layerState(inside, evidence, f);
    const layer: TrustLayer = { ...def, inside, role: roleOf(technology, id), evidence, state };
    const note = foreign ?? layerNote(inside, state, f);
    if (note) layer.note = note;
    return layer;
  });
}

/** Why a layer is in its state when the items alone do not say it (the root failed, or it is excluded). */
function layerNote(inside: boolean, state: TrustLayer['state'], f: Facts | null): string | undefined {
  if (!f) return undefined;
  if (!inside)
    return f.debug?.on
      ? 'Meant to be excluded, but debug mode lets the host read and change the protected memory.'
      : 'Excluded by the hardware isolation, if the evidence holds.';
  if (!f.cryptoValid) return `Nothing is proven: the evidence's signatures or chain do not verify (failing: ${failingIds(f)}).`;
  if (f.revoked) return `The platform is revoked (${f.revoked.basis.join(', ')}): the hardware root of this boundary cannot be trusted.`;
  if (state === 'not-covered') return 'Inside the boundary, but this evidence measures nothing here.';
  return undefined;
}
