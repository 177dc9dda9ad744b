import type { Evidence, EvidencePart } from '../module.js';
import { TeeError } from '../../errors.js';
import { badJson, jsonBytes, jsonObject } from '../tpm/json-bytes.js';
import { encodeTpmQuoteJson, tpmQuoteFromDoc } from '../tpm/quote-json.js';
import { TPM_QUOTE_ROLE } from '../tpm/evidence-json.js';

/** Part roles of Azure evidence: the TD quote (also 'quote' when the CLI's --collateral holds it) and the envelope's name and version. */
export const TD_QUOTE_ROLES = ['td-quote', 'quote'] as const;
export const ENVELOPE_ROLE = 'envelope';

const HCL_MAX = 64 * 1024;
const TD_QUOTE_MAX = 64 * 1024;
const VCEK_MAX = 16 * 1024;

/** What the envelope said about itself, carried as a part so the module can apply the version's rules. */
export interface EnvelopeInfo {
  format: 'az-snp-vtpm' | 'az-tdx-vtpm';
  version: 0 | 1 | 2;
}

type Doc = Record<string, unknown>;

/**
 * trustee's az-snp-vtpm and az-tdx-vtpm evidence JSON (deps/verifier/src/az_*_vtpm/compat.rs): version 0
 * has no `version` member and carries byte arrays (`quote`/`report`/`vcek` PEM for SNP, `tpm_quote`/
 * `hcl_report`/`td_quote` for TDX); versions 1 and 2 carry base64url strings and a hex tpm_quote, and
 * version 2 also puts the verifier's report data into the runtime data's user-data. Undefined for other JSON.
 */
export function azureEnvelope(doc: object): Evidence | undefined {
  const d = doc as Doc;
  const tdx = 'td_quote' in d && 'hcl_report' in d && 'tpm_quote' in d;
  const snp = ('hcl_report' in d && 'tpm_quote' in d && 'vcek' in d) || ('quote' in d && 'report' in d && 'vcek' in d && isObject(d.quote));
  if (!tdx && !snp) return undefined;
  const info: EnvelopeInfo = { format: tdx ? 'az-tdx-vtpm' : 'az-snp-vtpm', version: versionOf(d) };
  const legacySnp = !tdx && info.version === 0;
  const hcl = jsonBytes(legacySnp ? d.report : d.hcl_report, legacySnp ? 'report' : 'hcl_report', HCL_MAX);
  const quotePath = legacySnp ? 'quote' : 'tpm_quote';
  const parts: EvidencePart[] = [
    { role: TPM_QUOTE_ROLE, kind: 'evidence', name: quotePath, bytes: encodeTpmQuoteJson(tpmQuoteFromDoc(d[quotePath], quotePath)) },
    tdx ? { role: 'td-quote', kind: 'evidence', name: 'td_quote', bytes: jsonBytes(d.td_quote, 'td_quote', TD_QUOTE_MAX) } : vcekPart(d.vcek),
    {
      role: ENVELOPE_ROLE,
      kind: 'evidence',
      name: `${info.format} evidence JSON, version ${info.version}`,
      bytes: new TextEncoder().encode(JSON.stringify(info)),
    },
  ];
  return { primary: hcl, parts };
}

function versionOf(d: Doc): EnvelopeInfo['version'] {
  if (!('version' in d)) return 0;
  if (d.version === 1 || d.version === 2) return d.version;
  throw new TeeError('UNSUPPORTED_EVIDENCE', `Azure vTPM evidence JSON version ${JSON.stringify(d.version)}: versions 0, 1 and 2 are verified`, {
    field: 'version',
    offset: 0,
    format: 'az-vtpm-json',
  });
}

/** The VCEK: PEM text in version 0, base64url DER after; a collateral part either way, loaded like a supplied file. */
function vcekPart(v: unknown): EvidencePart {
  const bytes = typeof v === 'string' && v.includes('-----BEGIN') ? pemText(v) : jsonBytes(v, 'vcek', VCEK_MAX);
  return { role: 'certificate', kind: 'collateral', name: 'vcek (from the evidence JSON)', bytes };
}

function pemText(v: string): Uint8Array {
  if (v.length > 4 * VCEK_MAX) return badJson('vcek', `is longer than ${4 * VCEK_MAX} characters`);
  return new TextEncoder().encode(v);
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The envelope part's content, when the evidence came in one; raw HCL reports have none. */
export function envelopeInfo(parts: readonly EvidencePart[]): { part: EvidencePart; info: EnvelopeInfo } | undefined {
  const part = parts.find((p) => p.role === ENVELOPE_ROLE);
  if (!part) return undefined;
  let o: Doc;
  try {
    o = jsonObject(JSON.parse(new TextDecoder().decode(part.bytes)), 'envelope');
  } catch {
    return badJson('envelope', 'part is not the JSON this module writes');
  }
  if ((o.format !== 'az-snp-vtpm' && o.format !== 'az-tdx-vtpm') || (o.version !== 0 && o.version !== 1 && o.version !== 2))
    return badJson('envelope', 'part names no known Azure evidence format and version');
  return { part, info: { format: o.format, version: o.version } };
}
