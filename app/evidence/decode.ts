import { TeeError } from '../errors.js';
import { fromHex } from '../bytes/hex.js';
import { fromBase64 } from '../bytes/base64.js';
import { detectModule } from '../tee/registry.js';
import type { TeeModule } from '../tee/module.js';
import { isTrusteeSnpEvidence, trusteeSnpEvidence } from '../tee/snp/trustee-json.js';

export type EvidenceEncoding = 'binary' | 'hex' | 'base64' | 'json';

export interface DecodedEvidence {
  bytes: Uint8Array;
  encoding: EvidenceEncoding;
  module: TeeModule;
  /** Certificates that travelled inside the evidence (trustee SnpEvidence cert_chain): collateral. */
  certs?: { name: string; bytes: Uint8Array }[];
}

/** JSON members that carry the evidence itself in the bundles we accept (ours, trustee, go-tdx-guest tooling). */
const EVIDENCE_KEYS = ['quote', 'tdQuote', 'td_quote', 'sgxQuote', 'sgx_quote', 'evidence', 'report', 'attestationReport', 'attestation_report'];
const MAX_EVIDENCE = 16 * 1024 * 1024;

/** Raw bytes, hex text, base64 text, or a JSON bundle holding one of them: detected, never guessed from a file name. */
export function decodeEvidence(input: Uint8Array): DecodedEvidence {
  if (input.length > MAX_EVIDENCE) throw new TeeError('MALFORMED_EVIDENCE', `evidence is larger than ${MAX_EVIDENCE} bytes`);
  const raw = detectModule(input);
  if (raw) return { bytes: input, encoding: 'binary', module: raw };
  const text = new TextDecoder().decode(input).trim();
  const fromText = decodeText(text);
  if (fromText) return fromText;
  if (text.startsWith('{')) return decodeJson(text);
  throw new TeeError('MALFORMED_EVIDENCE', 'not recognised as attestation evidence: expected a binary quote or report, hex or base64 text of one, or a JSON evidence bundle', { field: 'evidence', offset: 0 });
}

function decodeText(text: string): DecodedEvidence | undefined {
  const compact = text.replace(/\s+/g, '').replace(/^0x/i, '');
  const hex = /^[0-9a-fA-F]+$/.test(compact) ? fromHex(compact) : undefined;
  const hexModule = hex && detectModule(hex);
  if (hex && hexModule) return { bytes: hex, encoding: 'hex', module: hexModule };
  const b64 = /^[A-Za-z0-9+/_-]+=*$/.test(compact) ? fromBase64(compact) : undefined;
  const b64Module = b64 && detectModule(b64);
  if (b64 && b64Module) return { bytes: b64, encoding: 'base64', module: b64Module };
  return undefined;
}

function decodeJson(text: string): DecodedEvidence {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new TeeError('MALFORMED_EVIDENCE', `evidence JSON does not parse: ${(e as Error).message}`);
  }
  if (isTrusteeSnpEvidence(doc)) {
    const { report, certs } = trusteeSnpEvidence(doc);
    const module = detectModule(report);
    if (!module) throw new TeeError('MALFORMED_EVIDENCE', 'SnpEvidence JSON does not hold a valid SEV-SNP report (version 2, 3 or 5; signature algorithm 1)');
    return { bytes: report, encoding: 'json', module, certs };
  }
  if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
    for (const key of EVIDENCE_KEYS) {
      const v = (doc as Record<string, unknown>)[key];
      const found = typeof v === 'string' ? decodeText(v.trim()) : undefined;
      if (found) return { ...found, encoding: 'json' };
    }
  }
  throw new TeeError('MALFORMED_EVIDENCE', `evidence JSON holds no recognised quote or report (looked for ${EVIDENCE_KEYS.join(', ')})`);
}
