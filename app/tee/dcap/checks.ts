import type { CheckCatalogue, CheckSpec } from '../../check.js';

const check = (id: string, title: string, fix: string, crypto = false): CheckSpec => ({ id, title, crypto, mandatory: true, fix });
const REFETCH = 'Fetch current collateral from Intel PCS (or your PCCS) and verify again.';

/**
 * Every check the DCAP module reports, in the order it runs them. `crypto`: the four signatures and
 * bindings inside the quote, which decide `cryptoValid`. All are mandatory: a failure rejects.
 */
export const DCAP_CHECKS = {
  quoteFormat: check('dcap.quote.format', 'Quote structure is well formed', 'Check that the file is a complete quote; re-export it from the platform.'),
  pckChain: check(
    'dcap.pck.chain',
    'PCK certificate chain leads to the pinned Intel SGX Root CA',
    'Obtain the quote again from the platform; if it persists, the quote or its certificates were altered or come from a non-Intel signer.',
    true,
  ),
  pckValidity: check(
    'dcap.pck.validity',
    'PCK certificates are within their validity period',
    'Check the verification time; a platform with an expired PCK certificate must be re-provisioned.',
  ),
  pckExtensions: check('dcap.pck.extensions', 'PCK certificate carries Intel SGX extensions', 'The PCK certificate is malformed; obtain the quote again.'),
  rootCrl: check('dcap.crl.root', 'Intel SGX Root CA CRL: no intermediate CA revoked', 'Supply the Intel SGX Root CA CRL as Intel PCS serves it.'),
  pckRevocation: check('dcap.pck.revocation', 'PCK certificate is not revoked', 'Supply the PCK CA CRL (pckcrl?ca=platform|processor) as Intel PCS serves it.'),
  qeReportSignature: check(
    'dcap.qe-report.signature',
    "QE report is signed by the platform's PCK key",
    'Obtain a fresh quote from the platform; this one was altered in transit or storage.',
    true,
  ),
  qeReportBinding: check(
    'dcap.qe-report.binding',
    'QE report binds the attestation key',
    'Obtain a fresh quote; the attestation key or QE authentication data was replaced.',
    true,
  ),
  quoteSignature: check(
    'dcap.quote.signature',
    'Quote is signed by the attestation key',
    'Obtain a fresh quote from the platform and compare it with this one.',
    true,
  ),
  qeIdentitySignature: check('dcap.qe-identity.signature', 'QE identity is signed by Intel', REFETCH),
  qeIdentityValidity: check('dcap.qe-identity.validity', 'QE identity is current', REFETCH),
  qeIdentityMatch: check(
    'dcap.qe-identity.match',
    "Quoting Enclave is Intel's",
    'The platform runs a non-Intel or modified quoting enclave; do not trust its quotes.',
  ),
  qeIdentityTcb: check('dcap.qe-identity.tcb', 'Quoting Enclave TCB level', 'Update the platform software (DCAP quoting enclave) to a supported version.'),
  tcbInfoSignature: check('dcap.tcb-info.signature', 'TCB info is signed by Intel', REFETCH),
  tcbInfoValidity: check('dcap.tcb-info.validity', 'TCB info is current', REFETCH),
  tcbInfoPlatform: check('dcap.tcb-info.platform', 'TCB info is for this platform', "Supply the TCB info for this platform's FMSPC from Intel PCS."),
  tcbLevel: check('dcap.tcb.level', 'Platform TCB level', 'Update the platform firmware and microcode (BIOS) and the TDX module to a supported level.'),
  tdxModule: check('dcap.tdx-module', "TDX module is Intel's and supported", 'Update the TDX module to a version Intel supports.'),
  tcbStatus: check(
    'dcap.tcb.status',
    'TCB status (platform, QE and TDX module combined)',
    'Review the listed Intel security advisories and apply the BIOS, microcode or configuration updates they describe.',
  ),
  policyDebug: check('dcap.policy.debug', 'Debug mode is off', 'Launch the workload in production mode; never provision secrets to a debug enclave or TD.'),
  nonce: check('dcap.nonce', "The quote's REPORT_DATA carries the verifier's nonce", 'Request a fresh quote with this nonce in REPORT_DATA.'),
} as const satisfies CheckCatalogue;
