import { readFileSync } from 'node:fs';
import { parseHclReport } from '../../app/tee/azure-vtpm/hcl.js';
import { parseRuntimeData } from '../../app/tee/azure-vtpm/runtime-data.js';
import { azureEnvelope } from '../../app/tee/azure-vtpm/envelopes.js';
import { parseTpmsAttest } from '../../app/tee/tpm/attest.js';
import { parseTpmtSignature } from '../../app/tee/tpm/signature.js';
import { parseTpmQuoteJson } from '../../app/tee/tpm/quote-json.js';
import { tpmEvidenceEnvelope } from '../../app/tee/tpm/evidence-json.js';
import { vectorBytes, VECTORS_DIR } from '../support/vectors.js';

/** A fuzz target: may return or throw TeeError; anything else (TypeError, RangeError) is a bug. */
export interface FuzzTarget {
  name: string;
  run(bytes: Uint8Array): unknown;
  /** Real inputs to mutate. */
  seeds(): Uint8Array[];
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);
/** JSON.parse's own SyntaxError is the input's fault, not ours: only documents that parse reach the decoders. */
const jsonDoc = (b: Uint8Array): object | undefined => {
  try {
    const d: unknown = JSON.parse(text(b));
    return typeof d === 'object' && d !== null ? d : undefined;
  } catch {
    return undefined;
  }
};
const json = (path: string) => JSON.parse(readFileSync(VECTORS_DIR + path, 'utf8')) as Record<string, unknown>;
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/trustee-az-vtpm/${name}`, import.meta.url)));
const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

function quoteMessages(): Uint8Array[] {
  const azure = json('azure/snp-milan-tpm-quote.json') as { message: string };
  const trustee = (json('tpm/trustee-tpm-evidence.json') as { tpm_quote: { message: string } }).tpm_quote;
  return [hex(azure.message), b64(trustee.message)];
}

export const AZURE_FUZZ_TARGETS: readonly FuzzTarget[] = [
  {
    name: 'azureHclReport',
    run: (b) => parseRuntimeData(parseHclReport(b).varData),
    seeds: () => [vectorBytes('azure/snp-milan-hcl-report.bin')],
  },
  { name: 'tpmsAttest', run: parseTpmsAttest, seeds: quoteMessages },
  {
    name: 'tpmtSignature',
    run: parseTpmtSignature,
    seeds: () => [b64((json('tpm/trustee-tpm-evidence.json') as { tpm_quote: { signature: string } }).tpm_quote.signature)],
  },
  { name: 'tpmQuoteJson', run: (b) => parseTpmQuoteJson(b), seeds: () => [vectorBytes('azure/snp-milan-tpm-quote.json')] },
  {
    name: 'azureEnvelope',
    run: (b) => {
      const d = jsonDoc(b);
      return d && azureEnvelope(d);
    },
    seeds: () => [vectorBytes('azure/snp-milan-evidence-v2.json'), fixture('snp-evidence-v1.json'), fixture('tdx-evidence-v1.json')],
  },
  {
    name: 'tpmEvidenceJson',
    run: (b) => {
      const d = jsonDoc(b);
      return d && tpmEvidenceEnvelope(d);
    },
    seeds: () => [vectorBytes('tpm/trustee-tpm-evidence.json')],
  },
];
