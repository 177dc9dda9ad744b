import { fromBase64 } from '../bytes/base64.js';

/**
 * What a collector printed, split into the evidence and the collateral that came with it: the default
 * configfs-tsm collector prints `{"provider", "quote", "auxblob"}`, and for SEV-SNP the auxblob is the
 * host's certificate table (VCEK/VLEK, ASK, ARK), which verifies the report without asking AMD KDS.
 * Anything else is passed through whole; the evidence decoder says what is wrong with it.
 */
export interface Collected {
  evidence: Uint8Array;
  collateral: { name: string; bytes: Uint8Array }[];
  /** configfs-tsm's provider (e.g. "tdx_guest", "sev_guest"), when the collector said. */
  provider?: string;
}

export function splitCollected(output: Uint8Array): Collected {
  if (output[0] !== 0x7b /* { */ || output.length > 64 * 1024 * 1024) return { evidence: output, collateral: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(output));
  } catch {
    return { evidence: output, collateral: [] };
  }
  if (typeof doc !== 'object' || doc === null || !('auxblob' in doc) || !('quote' in doc)) return { evidence: output, collateral: [] };
  const { quote, auxblob, provider } = doc as Record<string, unknown>;
  const evidence = typeof quote === 'string' ? fromBase64(quote) : undefined;
  if (!evidence || evidence.length === 0) return { evidence: output, collateral: [] };
  const aux = typeof auxblob === 'string' && auxblob.length > 0 ? fromBase64(auxblob) : undefined;
  return {
    evidence,
    collateral: aux && aux.length > 0 ? [{ name: 'auxblob (certificate table from the host)', bytes: aux }] : [],
    ...(typeof provider === 'string' && provider !== 'unknown' ? { provider } : {}),
  };
}
