import type { Check } from '../../check.js';
import { fail, pass, skip } from '../../check.js';
import { equalBytes, toHex } from '../../bytes/hex.js';
import { TPM_CHECKS } from '../tpm/checks.js';
import { AZURE_CHECKS } from './checks.js';
import type { HclReportKind } from './hcl.js';

const HW_NAME: Record<HclReportKind, string> = { snp: 'SEV-SNP report', tdx: 'TD quote' };

/** azure.hcl.binding: REPORT_DATA[0:32] of the signed hardware report is SHA-256(runtime data); the rest is zero on Azure. */
export function hclBindingCheck(varDigest: Uint8Array, reportData: Uint8Array | undefined, kind: HclReportKind): Check {
  const spec = AZURE_CHECKS.hclBinding;
  if (!reportData) return skip(spec, `the ${HW_NAME[kind]} could not be read, so nothing binds the runtime data.`);
  const head = reportData.subarray(0, 32);
  if (equalBytes(head, varDigest))
    return pass(
      spec,
      `REPORT_DATA[0:32] of the ${HW_NAME[kind]} is ${toHex(varDigest)}, the SHA-256 of the runtime data: the keys and settings in it are the ones the paravisor reported to the hardware.`,
    );
  return fail(
    spec,
    `REPORT_DATA[0:32] of the ${HW_NAME[kind]} is ${toHex(head)}, but the runtime data hashes to ${toHex(varDigest)}: the runtime data (and the AK it names) is not the one the hardware report vouches for.`,
    'BINDING_MISMATCH',
  );
}

/**
 * azure.user-data: trustee's version 2 evidence puts the verifier's report data into the runtime data's
 * user-data, so there it must lead user-data; versions 0 and 1 and raw HCL reports do not promise that, so a
 * different user-data is only reported (freshness then rests on tpm.nonce alone).
 */
export function userDataCheck(userData: Uint8Array | undefined, nonce: Uint8Array | undefined, version: number | undefined): Check {
  const spec = AZURE_CHECKS.userData;
  const required = version !== undefined && version >= 2;
  if (!nonce) return skip(spec, 'no nonce was given.');
  if (userData && nonce.length > 0 && nonce.length <= userData.length && equalBytes(userData.subarray(0, nonce.length), nonce))
    return pass(spec, `user-data begins with the nonce ${toHex(nonce)}: the HCL report was made for this request.`);
  const found = userData ? `user-data is ${toHex(userData)}` : 'the runtime data has no user-data';
  if (required) return fail(spec, `${found}, not the nonce ${toHex(nonce)}, although version ${version} evidence carries the nonce there.`, 'NONCE_MISMATCH');
  return skip(
    spec,
    `${found}; ${version === undefined ? 'a raw HCL report' : `version ${version} evidence`} does not promise the nonce there, so freshness rests on the vTPM quote (tpm.nonce).`,
  );
}

/**
 * tpm.ak.trust on Azure: established, not a warning, when the hardware report is proven (its signatures and
 * chain), it carries the runtime data's digest, and the quote verified with the AK that runtime data names.
 */
export function azureAkTrust(tpm: Check, bound: boolean, kind: HclReportKind): Check {
  if (tpm.status === 'skip' || !bound) return tpm;
  const vendor = kind === 'snp' ? 'AMD' : 'Intel';
  return pass(
    TPM_CHECKS.akTrust,
    `Bound to the hardware report by the HCL runtime data: the ${HW_NAME[kind]}, signed through ${vendor}'s chain, carries the SHA-256 of the runtime data naming this AK (HCLAkPub), and the quote verified with it.`,
  );
}
