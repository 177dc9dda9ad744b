import type { CheckCatalogue, CheckSpec } from '../../check.js';

const check = (id: string, title: string, fix: string): CheckSpec => ({ id, title, crypto: false, mandatory: true, fix });

/**
 * The checks that tie Azure's three parts together (DESIGN.md, Measured boot): the hardware report (SNP
 * report or TD quote), the runtime data the HCL wrote at boot, and the vTPM quote. The hardware report's
 * and the TPM quote's own checks come from their modules; all of these are mandatory, as one broken link
 * leaves the guest's state (in the PCRs) unbound to the hardware.
 */
export const AZURE_CHECKS = {
  hclFormat: check(
    'azure.hcl.format',
    'HCL report and runtime data are well formed',
    'Supply the HCL report exactly as read from vTPM NV index 0x01400001 (tpm2_nvread), with its runtime data intact.',
  ),
  vmpl: check(
    'azure.vmpl',
    'The hardware report was requested at VMPL 0 (by the paravisor)',
    'Only the paravisor (HCL) runs at VMPL 0; a report from a higher VMPL came from the guest and does not vouch for the runtime data.',
  ),
  hclBinding: check(
    'azure.hcl.binding',
    "The hardware report's REPORT_DATA is the SHA-256 of the runtime data",
    'Supply the HCL report and the hardware report of the same boot; if they are, the runtime data (and the AK in it) was altered.',
  ),
  tdReport: check(
    'azure.td-report',
    "The HCL's TDREPORT is the one the TD quote was made from",
    'Supply the TD quote the Azure IMDS endpoint returned for this HCL report, from the same boot.',
  ),
  userData: check(
    'azure.user-data',
    "The runtime data's user-data carries the verifier's nonce",
    'Request new evidence (trustee az-*-vtpm version 2) with this nonce as report data, so the HCL embeds it in user-data.',
  ),
  akBinding: check(
    'azure.ak.binding',
    'The vTPM quote is signed by the AK the runtime data names (HCLAkPub)',
    'Quote with the AK the HCL provisioned (persistent handle 0x81000003), and supply that quote with this HCL report.',
  ),
} as const satisfies CheckCatalogue;

export const AZURE_CHECK_SPECS: readonly CheckSpec[] = Object.values(AZURE_CHECKS);
