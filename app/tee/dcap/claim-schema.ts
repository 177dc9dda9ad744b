import { bootClaimSchema } from '../eventlog/claim-schema.js';
import type { ClaimSchema } from '../claim-schema.js';
import { hexClaim as hex, intClaim as int } from '../claim-schema.js';

/** SGX enclave claims (app/tee/sgx/claims.ts) and minimums a reference set may name. */
export const SGX_CLAIM_SCHEMA: ClaimSchema = {
  claims: {
    mrEnclave: hex(32),
    mrSigner: hex(32),
    isvProdId: int(0xffff),
    attributes: hex(16),
    configId: hex(64),
    isvExtProdId: hex(16),
    isvFamilyId: hex(16),
    reportData: hex(64),
  },
  minimums: { isvSvn: { kind: 'int', max: 0xffff }, configSvn: { kind: 'int', max: 0xffff } },
};

/** TDX trust-domain claims (app/tee/tdx/claims.ts) and minimums a reference set may name. */
export const TDX_CLAIM_SCHEMA: ClaimSchema = {
  claims: {
    mrTd: hex(48),
    mrConfigId: hex(48),
    mrOwner: hex(48),
    mrOwnerConfig: hex(48),
    mrServiceTd: hex(48),
    rtmr0: hex(48),
    rtmr1: hex(48),
    rtmr2: hex(48),
    rtmr3: hex(48),
    tdAttributes: hex(8),
    xfam: hex(8),
    mrSeam: hex(48),
    mrSignerSeam: hex(48),
    seamAttributes: hex(8),
    reportData: hex(64),
    ...bootClaimSchema(48),
  },
  minimums: { teeTcbSvn: { kind: 'svn16' } },
};
