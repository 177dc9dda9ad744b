import { bootClaimSchema } from '../eventlog/claim-schema.js';
import type { ClaimSchema } from '../claim-schema.js';
import { boolClaim as bool, hexClaim as hex } from '../claim-schema.js';
import { SNP_CLAIM_SCHEMA } from '../snp/claim-schema.js';
import { TDX_CLAIM_SCHEMA } from '../dcap/claim-schema.js';
import { PCR_CLAIMS } from '../tpm/claim-schema.js';

/** What Azure adds to the hardware report's claims: attested PCRs, the runtime data's settings and user-data, the AK's digest. */
const AZURE_CLAIMS = {
  ...PCR_CLAIMS,
  userData: hex(64),
  akSpkiSha256: hex(32),
  'vmConfiguration.secure-boot': bool,
  'vmConfiguration.tpm-enabled': bool,
  'vmConfiguration.console-enabled': bool,
  'vmConfiguration.tpm-persisted': bool,
  ...bootClaimSchema(32),
};

export const AZURE_SNP_CLAIM_SCHEMA: ClaimSchema = { claims: { ...SNP_CLAIM_SCHEMA.claims, ...AZURE_CLAIMS }, minimums: SNP_CLAIM_SCHEMA.minimums };
export const AZURE_TDX_CLAIM_SCHEMA: ClaimSchema = { claims: { ...TDX_CLAIM_SCHEMA.claims, ...AZURE_CLAIMS }, minimums: TDX_CLAIM_SCHEMA.minimums };
