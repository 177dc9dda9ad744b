import { bootClaimSchema } from '../eventlog/claim-schema.js';
import type { ClaimKind, ClaimSchema } from '../claim-schema.js';
import { hexClaim as hex } from '../claim-schema.js';

/** The SHA-256 PCRs a PC Client TPM has (0 to 23), as the claims' `pcrs` object names them: pcrs.pcr0 ... pcrs.pcr23. */
export const PCR_CLAIMS: Readonly<Record<string, ClaimKind>> = Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`pcrs.pcr${i}`, hex(32)]));

/** TPM quote claims (describe.ts tpmPcrClaims, module.ts): attested PCRs and the AK's SPKI digest, which a set may pin. */
export const TPM_CLAIM_SCHEMA: ClaimSchema = {
  claims: { ...PCR_CLAIMS, akSpkiSha256: hex(32), ...bootClaimSchema(32) },
  minimums: {},
  pins: { akSpkiSha256: 'ak-trust' },
  debugMode: false,
};
