import type { ClaimSchema } from '../claim-schema.js';
import { boolClaim as bool, hexClaim as hex, intClaim as int } from '../claim-schema.js';

/** SEV-SNP claims (describe.ts snpClaims) and the minimum reported TCB a reference set may name. */
export const SNP_CLAIM_SCHEMA: ClaimSchema = {
  claims: {
    measurement: hex(48),
    hostData: hex(32),
    idKeyDigest: hex(48),
    authorKeyDigest: hex(48),
    reportId: hex(32),
    chipId: hex(64),
    reportData: hex(64),
    vmpl: int(3),
    // Guest policy bits (the claims' `policy` object), so a set can require e.g. no SMT or no migration agent.
    'policy.abiMajor': int(255),
    'policy.abiMinor': int(255),
    'policy.smt': bool,
    'policy.migrateMa': bool,
    'policy.singleSocket': bool,
    'policy.cxlAllow': bool,
    'policy.memAes256Xts': bool,
    'policy.raplDis': bool,
    'policy.ciphertextHiding': bool,
    'policy.pageSwapDisable': bool,
  },
  minimums: { reportedTcb: { kind: 'tcb', parts: ['bootloader', 'tee', 'snp', 'microcode', 'fmc'] } },
};
