import { toHex } from '../../bytes/hex.js';
import { iso } from '../../pki/chain.js';
import type { Certificate } from '../../pki/x509.js';
import { sgxClaims } from '../sgx/claims.js';
import { tdxClaims } from '../tdx/claims.js';
import type { Quote } from './quote.js';
import type { PckExtensions } from './pck-extensions.js';

/** Every decoded field of a quote, for the field viewer and the report (not only the appraised claims). */
export function claimsOf(q: Quote): Record<string, unknown> {
  return q.body.kind === 'sgx' ? sgxClaims(q.body.report) : tdxClaims(q.body.report);
}

export function describeQuote(q: Quote, pckChain?: readonly Certificate[], pck?: PckExtensions): Record<string, unknown> {
  const h = q.header;
  const qe = q.qe.report;
  const fields: Record<string, unknown> = {
    quoteVersion: h.version,
    attestationKeyType: h.attestationKeyType,
    teeType: `0x${h.teeType.toString(16)}`,
    qeSvn: h.qeSvn,
    pceSvn: h.pceSvn,
    qeVendorId: toHex(h.qeVendorId),
    userData: toHex(h.userData),
  };
  if (q.bodyDescriptor) Object.assign(fields, { bodyType: q.bodyDescriptor.type, bodySize: q.bodyDescriptor.size });
  Object.assign(fields, claimsOf(q));
  fields.qeReport = {
    mrEnclave: toHex(qe.mrEnclave),
    mrSigner: toHex(qe.mrSigner),
    isvProdId: qe.isvProdId,
    isvSvn: qe.isvSvn,
    cpuSvn: toHex(qe.cpuSvn),
    attributes: toHex(qe.attributes),
    miscSelect: `0x${qe.miscSelect.toString(16).padStart(8, '0')}`,
  };
  fields.attestationKey = toHex(q.attestationKey);
  fields.certificationData = {
    ...(q.qe.outerType ? { outerType: q.qe.outerType } : {}),
    innerType: q.qe.innerType,
    ...(pckChain ? { pckChainLength: pckChain.length } : {}),
  };
  const leaf = pckChain?.[0];
  if (leaf && pck) fields.pck = describePck(leaf, pck);
  fields.signedLength = q.signed.length;
  fields.trailingBytes = q.trailingBytes;
  return fields;
}

function describePck(leaf: Certificate, pck: PckExtensions): Record<string, unknown> {
  const out: Record<string, unknown> = {
    issuerCn: leaf.issuer.cn,
    serial: leaf.serialHex,
    notBefore: iso(leaf.notBefore),
    notAfter: iso(leaf.notAfter),
    fmspc: toHex(pck.fmspc),
    pceId: toHex(pck.pceId),
    pceSvn: pck.pceSvn,
    cpuSvn: toHex(pck.cpuSvn),
    tcbComponents: pck.tcbComponents,
    sgxType: pck.sgxType,
    ppid: toHex(pck.ppid),
  };
  if (pck.platformInstanceId) out.platformInstanceId = toHex(pck.platformInstanceId);
  if (pck.configuration) out.configuration = pck.configuration;
  return out;
}
