import { toHex } from '../../bytes/hex.js';
import type { HclReport } from './hcl.js';
import type { RuntimeData } from './runtime-data.js';

/** The HCL header and request data, in the vector manifest's names (fields.hcl). */
export function describeHcl(hcl: HclReport, varDigest: Uint8Array): Record<string, unknown> {
  return {
    version: hcl.version,
    reportSize: hcl.reportSize,
    requestType: hcl.requestType,
    status: hcl.status,
    reportType: hcl.reportType,
    hardware: hcl.kind === 'snp' ? 'SEV-SNP report' : 'TDREPORT',
    dataVersion: hcl.dataVersion,
    hashType: hcl.hashType,
    varDataSize: hcl.varData.length,
    varDataSha256: toHex(varDigest),
    trailingBytes: hcl.trailing,
  };
}

/** The runtime data as shown: key ids and digests (the JWKs themselves are long), settings, user-data. */
export async function describeRuntime(rt: RuntimeData, digest: (b: Uint8Array) => Promise<Uint8Array>): Promise<Record<string, unknown>> {
  return {
    keys: rt.keyIds,
    akSpkiSha256: toHex(await digest(rt.akSpki)),
    ...(rt.ekSpki ? { ekSpkiSha256: toHex(await digest(rt.ekSpki)) } : {}),
    vmConfiguration: rt.vmConfiguration,
    ...(rt.userDataText !== undefined ? { userData: rt.userDataText } : {}),
  };
}

/** Claims from the runtime data (bound to the hardware report by azure.hcl.binding). */
export function runtimeClaims(rt: RuntimeData, akSpkiSha256: string): Record<string, unknown> {
  return { vmConfiguration: rt.vmConfiguration, ...(rt.userData ? { userData: toHex(rt.userData) } : {}), akSpkiSha256 };
}
