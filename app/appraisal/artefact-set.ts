import type { ReferenceSetJson, ValueProvenanceJson } from './create-reference.js';
import type { Technology } from './catalogue.js';
import { technologyInfo } from '../tee/registry.js';

/** Values a technology's measure code predicted from build artefacts, each with its provenance entry. */
export interface PredictedValues {
  technology: Technology;
  claims: Record<string, string[]>;
  provenance: ValueProvenanceJson[];
}

/**
 * A reference set of predicted values, as `reference create --measure` and the app's "Derive golden values"
 * write it: named after its first value unless named, debug not allowed, and a note that says a prediction
 * approves nothing until verified evidence matches it.
 */
export function artefactSet(values: PredictedValues, tool: string, setName?: string): ReferenceSetJson {
  const first = Object.values(values.claims)[0]?.[0] ?? '';
  const what = technologyInfo(values.technology)?.name ?? values.technology;
  return {
    name: setName?.trim() || `${values.technology}-build-${first.slice(0, 12)}`,
    note: `Predicted by ${tool} from build artefacts (${Object.keys(values.claims).join(', ')}); each value's inputs and parameters are in provenance. A prediction says nothing about a running ${what} guest until it matches verified evidence.`,
    technology: values.technology,
    claims: values.claims,
    allowDebug: false,
    provenance: values.provenance,
  };
}
