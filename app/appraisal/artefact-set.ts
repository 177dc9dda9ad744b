import type { ReferenceSetJson, ValueProvenanceJson } from './create-reference.js';
import type { Technology } from './catalogue.js';
import { technologyInfo } from '../tee/registry.js';
import { toHex } from '../bytes/hex.js';
import { digestSync } from '../crypto/digest-sync.js';
import type { CryptoProvider } from '../crypto/provider.js';
import type { ProvenanceInput } from './reference.js';

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

/** A file as the user named it, with its bytes: the name is recorded, the digest is what counts. */
export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

/** A file's provenance entry: its role in the measurement, its name as given, and its SHA-256 and size. */
export function provenanceInput(role: string, f: NamedBytes, crypto: CryptoProvider): ProvenanceInput {
  return { role, name: f.name, sha256: toHex(digestSync(crypto, 'SHA-256', f.bytes)), bytes: f.bytes.length };
}
