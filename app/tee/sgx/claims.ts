import { toHex } from '../../bytes/hex.js';
import type { SgxReportBody } from './report-body.js';
import { sgxAttributeFlags } from './report-body.js';

/** SGX enclave claims (DESIGN.md claim names), lower-case hex for byte fields. */
export function sgxClaims(r: SgxReportBody): Record<string, unknown> {
  const flags = sgxAttributeFlags(r.attributes);
  return {
    mrEnclave: toHex(r.mrEnclave),
    mrSigner: toHex(r.mrSigner),
    isvProdId: r.isvProdId,
    isvSvn: r.isvSvn,
    attributes: toHex(r.attributes),
    reportData: toHex(r.reportData),
    debug: flags.debug,
    mode64: flags.mode64,
    cpuSvn: toHex(r.cpuSvn),
    miscSelect: `0x${r.miscSelect.toString(16).padStart(8, '0')}`,
    configId: toHex(r.configId),
    configSvn: r.configSvn,
    isvExtProdId: toHex(r.isvExtProdId),
    isvFamilyId: toHex(r.isvFamilyId),
  };
}
