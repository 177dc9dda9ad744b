import type { CheckCatalogue, CheckSpec } from '../../check.js';

const check = (id: string, title: string, fix: string, crypto = false): CheckSpec => ({ id, title, crypto, mandatory: true, fix });

/**
 * Every check the SEV-SNP module reports. `crypto`: the endorsement key chain and the report signature,
 * which decide `cryptoValid`. All are mandatory: a failure rejects.
 */
export const SNP_CHECKS = {
  reportFormat: check(
    'snp.report.format',
    'Report structure is well formed',
    'Supply an ATTESTATION_REPORT version 2, 3 or 5 signed with ECDSA P-384 (SIGNATURE_ALGO 1), exactly as the guest received it.',
  ),
  vekChain: check(
    'snp.vek.chain',
    'Endorsement key (VCEK/VLEK) chains to the pinned AMD root',
    'Supply the VCEK (AMD KDS) or VLEK (cloud provider) of the chip that produced the report, and its ASK/ASVK.',
    true,
  ),
  vekValidity: check(
    'snp.vek.validity',
    'Endorsement key certificates are within their validity period',
    'Check the verification time; fetch a current certificate from AMD KDS.',
  ),
  crl: check('snp.crl', 'AMD CRL: no key in the chain is revoked', "Supply the CRL of this chain's ARK as AMD KDS serves it."),
  reportSignature: check(
    'snp.report.signature',
    'Report is signed by the endorsement key',
    'Request a fresh report from the guest and supply the VCEK of the chip it ran on.',
    true,
  ),
  vekKind: check('snp.vek.kind', 'The certificate is the kind of key that signed the report', 'Supply the certificate of the key KEY_INFO.SIGNING_KEY names.'),
  tcbMatch: check('snp.tcb.match', 'Reported TCB matches the endorsement key', 'Fetch the VCEK for the REPORTED_TCB from AMD KDS.'),
  chipId: check('snp.chip-id', 'Chip ID matches the VCEK', 'Supply the VCEK of the chip that produced this report, as AMD KDS serves it for this CHIP_ID.'),
  tcbStatus: check(
    'snp.tcb.status',
    'Reported TCB is not below the committed TCB',
    'Ask the provider to report the committed TCB (SNP_COMMIT / SET_REPORTED_TCB), or review AMD security bulletins for the versions in between.',
  ),
  policyDebug: check(
    'snp.policy.debug',
    'Debug is not allowed by the guest policy',
    'Launch the guest with a policy that forbids debugging; never provision secrets to it.',
  ),
  nonce: check('snp.nonce', "The report's REPORT_DATA carries the verifier's nonce", 'Request a fresh report with this nonce in REPORT_DATA.'),
  reserved: check(
    'snp.report.reserved',
    'Reserved fields are as the ABI requires',
    'Use the report exactly as the guest received it from the firmware (1184 bytes from SNP_GET_REPORT or configfs-tsm), not a re-encoded copy.',
  ),
} as const satisfies CheckCatalogue;
