import { EVIDENCE_SPECS } from '../threat/evidence-specs.js';
import type { EvidenceSpec } from '../threat/evidence-specs.js';
import { trustBoundary } from '../threat/layers.js';
import { asTechnology } from '../threat/seeds.js';
import type { LayerEvidence, TrustLayer } from '../threat/types.js';
import type { VerificationResult } from './result.js';

/**
 * The trust boundary as the report states it (DESIGN.md "Reports anyone can recheck"), derived from the
 * threat module's layers. The report's states are stricter than the view's: `proven` only for what the
 * vendor's chain vouches for (hardware, TCB, Quoting Enclave, TDX module) or the hardware enforces and a
 * check confirmed (debug off, the nonce); a measurement is `matched` when the appraisal compared it with a
 * reference value and it matched, and only `measured` otherwise — its signature alone proves where it came
 * from, not that it is the code you meant to run.
 */
export type BoundaryState = 'proven' | 'matched' | 'measured' | 'failed' | 'not-measured' | 'excluded';
export type ItemState = Exclude<BoundaryState, 'excluded'>;

export interface BoundaryItem {
  /** The claim name, or for an item made of checks only, its label. */
  claim: string;
  value?: string;
  state: ItemState;
  label: string;
  checks: string[];
  note?: string;
}

export interface BoundaryLayer {
  id: string;
  title: string;
  inside: boolean;
  state: BoundaryState;
  items: BoundaryItem[];
  note?: string;
}

export interface TrustBoundaryView {
  technology: string;
  layers: BoundaryLayer[];
}

export function trustBoundaryView(result: VerificationResult): TrustBoundaryView {
  const technology = asTechnology(result.technology);
  if (!technology) return { technology: result.technology, layers: [] };
  const specs = EVIDENCE_SPECS[technology];
  const layers = trustBoundary(technology, result).map((layer) => {
    const items = layer.evidence.map((ev, i) => item(ev, specs[layer.id]?.[i], layer, result));
    const out: BoundaryLayer = { id: layer.id, title: layer.label, inside: layer.inside, state: layerState(layer, items, result), items };
    if (layer.note) out.note = layer.note;
    return out;
  });
  return { technology, layers };
}

function item(ev: LayerEvidence, spec: EvidenceSpec | undefined, layer: TrustLayer, r: VerificationResult): BoundaryItem {
  const state = itemState(ev, spec, layer, r);
  const out: BoundaryItem = { claim: ev.claim ?? ev.label, state, label: ev.label, checks: ev.checks.map((c) => c.id) };
  if (ev.value !== undefined) out.value = ev.value;
  const note =
    state === 'measured'
      ? `${ev.claim} is signed, but no reference value was compared with it: this says where it came from, not that it is what you meant to run.`
      : ev.note;
  if (note) out.note = note;
  return out;
}

function itemState(ev: LayerEvidence, spec: EvidenceSpec | undefined, layer: TrustLayer, r: VerificationResult): ItemState {
  // A forged or unverifiable quote or report proves nothing, whatever any single item looks like.
  if (!r.cryptoValid || ev.state === 'failed') return 'failed';
  const measurement = spec !== undefined && isMeasurement(spec, layer);
  // Before the zero test: an all-zero register that a reference value expects to be zero is matched.
  if (measurement && matched(r, spec.claim!)) return 'matched';
  if (ev.state !== 'proven' && ev.state !== 'warning') return 'not-measured';
  return measurement ? 'measured' : 'proven';
}

/**
 * A claim that records what was loaded or configured (MRTD, RTMRs, MEASUREMENT, HOST_DATA, REPORT_DATA...).
 * Claims with an expected value (debug: false) are policy the checks enforce; in the root layers the
 * vendor's own collateral judges the claim (MRSEAM against Intel's TDX module identities, the TCB levels).
 */
function isMeasurement(spec: EvidenceSpec, layer: TrustLayer): boolean {
  return spec.claim !== undefined && spec.tcb === undefined && spec.expect === undefined && layer.kind !== 'root';
}

function matched(r: VerificationResult, claim: string): boolean {
  return r.appraisal.diffs.some((d) => d.claim === claim && d.match) && !r.appraisal.diffs.some((d) => d.claim === claim && !d.match);
}

/** Outside layers are excluded; inside ones are only as strong as their weakest item that says anything. */
function layerState(layer: TrustLayer, items: readonly BoundaryItem[], r: VerificationResult): BoundaryState {
  if (!layer.inside) return 'excluded';
  if (!r.cryptoValid || layer.state === 'failed' || items.some((i) => i.state === 'failed')) return 'failed';
  for (const s of ['measured', 'matched', 'proven'] as const) if (items.some((i) => i.state === s)) return s;
  return 'not-measured';
}
