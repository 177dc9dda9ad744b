import type { NotEstablished } from '../../../app/check.js';
import type { AppraisalTier } from '../../../app/report/result.js';

/**
 * Plain words for the jargon the views show: appraisal tiers, TCB statuses, what a verdict leaves unshown
 * and the decoded field names. Pure data, so a unit test can check every status the core emits has words.
 */

export interface Gloss {
  /** A few words shown beside the term. */
  short: string;
  /** One or two sentences shown on hover and keyboard focus. */
  explain: string;
}

export const TIER_GLOSSARY: Readonly<Record<AppraisalTier, Gloss>> = {
  affirming: {
    short: 'all checks and comparisons passed',
    explain: 'Affirming: every mandatory check passed, nothing warned, and every reference value given matched.',
  },
  warning: {
    short: 'verified, with reservations',
    explain: 'Warning: the evidence verifies, but something is weaker than it should be (a check warned, or the TCB is not fully up to date or not evaluated).',
  },
  contraindicated: {
    short: 'do not trust this evidence',
    explain: 'Contraindicated: a mandatory check failed or a reference value did not match; the evidence must not be relied on.',
  },
  none: {
    short: 'no appraisal made',
    explain: 'None: no appraisal was made, so nothing is said about whether this platform should be trusted.',
  },
};

/** Every TCB status the core can report (Intel's seven, plus NotEvaluated where no minimum TCB was given). */
export const TCB_GLOSSARY: Readonly<Record<string, Gloss>> = {
  UpToDate: { short: 'up to date', explain: 'UpToDate: the platform runs the latest security patches the vendor has published for it.' },
  SWHardeningNeeded: {
    short: 'patched; software mitigations needed',
    explain: 'SWHardeningNeeded: the platform is patched, but some advisories need software mitigations in the enclave or trust domain.',
  },
  ConfigurationNeeded: {
    short: 'patched; configuration change needed',
    explain: 'ConfigurationNeeded: the platform is patched, but its BIOS configuration leaves it exposed to known advisories.',
  },
  ConfigurationAndSWHardeningNeeded: {
    short: 'patched; configuration and software mitigations needed',
    explain: 'ConfigurationAndSWHardeningNeeded: the platform is patched, but needs both a configuration change and software mitigations.',
  },
  OutOfDate: {
    short: 'missing security patches',
    explain: 'OutOfDate: the platform misses security patches; known vulnerabilities apply until it is updated.',
  },
  OutOfDateConfigurationNeeded: {
    short: 'missing patches; configuration change needed',
    explain: 'OutOfDateConfigurationNeeded: the platform misses security patches and also needs a configuration change.',
  },
  Revoked: { short: 'revoked', explain: 'Revoked: the vendor has revoked this TCB level; the platform must not be trusted.' },
  NotEvaluated: {
    short: 'not evaluated (no minimum TCB given)',
    explain: 'NotEvaluated: whether this TCB is current was not judged, because no minimum TCB (reference value) was given to compare it with.',
  },
};

/** What a verdict does not show (result.notEstablished), as a sentence someone deciding on trust can act on. */
export const NOT_ESTABLISHED_GLOSSARY: Readonly<Record<NotEstablished, string>> = {
  freshness: 'Freshness: no nonce was given, so this could be a replay of an old quote.',
  measurements: 'Measurements: no reference values were compared, so the measured code is not shown to be the code you meant to run.',
  revocation: 'Revocation: a revocation list was missing, so a revoked key or certificate would not have been noticed.',
  'tcb-currency': 'TCB currency: no minimum TCB was given, so an outdated or rolled-back firmware would not have been noticed.',
  'ak-trust': "Attestation key: the TPM attestation key is not tied to trusted hardware, so the TPM quote's origin is not established.",
};

/** Field names (the last part of a decoded field's key) with what they record. */
export const FIELD_GLOSSARY: Readonly<Record<string, string>> = {
  mrTd: 'MRTD: the measurement of the trust domain’s initial memory (its firmware), taken when it was built.',
  mrSeam: 'MRSEAM: the measurement of the Intel TDX module that isolates the trust domain.',
  mrSignerSeam: 'MRSIGNERSEAM: who signed the TDX module (zero for Intel’s own).',
  rtmr0: 'RTMR0: runtime measurement register 0, extended by the firmware (its configuration).',
  rtmr1: 'RTMR1: runtime measurement register 1, usually the OS kernel and boot loader.',
  rtmr2: 'RTMR2: runtime measurement register 2, usually the kernel command line and initrd.',
  rtmr3: 'RTMR3: runtime measurement register 3, free for the guest’s own use.',
  mrOwner: 'MROWNER: an identifier of the trust domain’s owner, set by the host at launch.',
  mrOwnerConfig: 'MROWNERCONFIG: owner-defined configuration, set by the host at launch.',
  mrConfigId: 'MRCONFIGID: an identifier of the guest’s configuration, set by the host at launch.',
  reportData: 'REPORT_DATA: 64 bytes the guest chose to bind into the evidence, e.g. a nonce or a key hash.',
  teeTcbSvn: 'TEE_TCB_SVN: the security version numbers of the TDX module.',
  tdAttributes: 'TD attributes: flags of the trust domain, among them DEBUG.',
  xfam: 'XFAM: the CPU extended features the trust domain may use.',
  mrEnclave: 'MRENCLAVE: the measurement of the enclave’s code and data as loaded.',
  mrSigner: 'MRSIGNER: the hash of the key that signed the enclave.',
  isvProdId: 'ISVPRODID: the product id the enclave’s signer gave it.',
  isvSvn: 'ISVSVN: the security version number the enclave’s signer gave it.',
  attributes: 'Attributes: enclave flags, among them DEBUG.',
  miscSelect: 'MISCSELECT: extra enclave features saved on exits.',
  cpuSvn: 'CPUSVN: the security version of the processor’s microcode and firmware.',
  measurement: 'MEASUREMENT: the launch digest of the guest’s initial memory (its firmware).',
  hostData: 'HOST_DATA: data the host supplied at launch.',
  idKeyDigest: 'ID_KEY_DIGEST: the hash of the key that signed the guest’s identity block.',
  authorKeyDigest: 'AUTHOR_KEY_DIGEST: the hash of the identity block author’s key.',
  familyId: 'FAMILY_ID: a family identifier given in the identity block.',
  imageId: 'IMAGE_ID: an image identifier given in the identity block.',
  policy: 'POLICY: the guest policy the owner required, among them DEBUG and SMT.',
  reportedTcb: 'REPORTED_TCB: the firmware versions the platform reports it runs.',
  committedTcb: 'COMMITTED_TCB: the firmware versions the platform cannot roll back from.',
  currentTcb: 'CURRENT_TCB: the firmware versions currently running.',
  launchTcb: 'LAUNCH_TCB: the firmware versions running when the guest was launched.',
  chipId: 'CHIP_ID: the identifier of the AMD processor that signed the report.',
  vmpl: 'VMPL: the privilege level within the guest that asked for the report.',
  signingKey: 'Signing key: which AMD key signed the report (VCEK per chip, VLEK per cloud provider).',
  version: 'Version: the version of the evidence format.',
  fmspc: 'FMSPC: the platform model and its configuration, used to find its TCB info.',
  pceId: 'PCE-ID: the identifier of the provisioning enclave.',
  pceSvn: 'PCESVN: the security version of the provisioning enclave.',
  qeSvn: 'QESVN: the security version of the quoting enclave.',
  teeType: 'TEE type: which TEE produced the quote (SGX or TDX).',
  debug: 'Debug: whether the TEE is debuggable; a debuggable TEE protects nothing.',
  quoteVersion: 'Quote version: the version of the quote format.',
  attestationKeyType: 'Attestation key type: the signature algorithm of the quoting enclave’s key (ECDSA P-256).',
  qeVendorId: 'QE vendor id: who made the quoting enclave (Intel’s id for Intel’s).',
  userData: 'User data: data the quoting enclave added to the quote header.',
  seamAttributes: 'SEAM attributes: flags of the TDX module.',
  guestSvn: 'GUEST_SVN: the security version the guest’s owner gave it.',
  ppid: 'PPID: the platform provisioning id, which identifies one platform.',
  pckChainLength: 'PCK chain length: how many certificates lead from the platform key to Intel’s root.',
  smt: 'SMT: whether simultaneous multithreading may be enabled on the host.',
};

export function tierGloss(tier: string): Gloss | undefined {
  return (TIER_GLOSSARY as Record<string, Gloss>)[tier];
}

export function tcbGloss(status: string): Gloss | undefined {
  return TCB_GLOSSARY[status];
}

/** The explanation of a dotted field key ("body.rtmr1", "reportedTcb.microcode"): its last part, else the nearest parent's. */
export function fieldGloss(key: string): string | undefined {
  const parts = key.split('.');
  for (let i = parts.length - 1; i >= 0; i--) {
    const hit = FIELD_GLOSSARY[parts[i]!];
    if (hit) return hit;
  }
  return undefined;
}
