import type { Check } from '../../check.js';
import { fail, pass } from '../../check.js';
import type { CollateralSet } from '../../collateral/types.js';
import type { EvidencePart, ModuleResult, VerifyEnv } from '../module.js';
import { snpModule } from '../snp/module.js';
import { verifyPart } from '../parts.js';
import { AZURE_CHECKS } from './checks.js';
import type { HclReport } from './hcl.js';
import { TD_QUOTE_ROLES } from './envelopes.js';
import { compareTdReport } from './td-report.js';

/** The hardware report's verification as the composite uses it. */
export interface HardwareOutcome {
  /** The part's result (its checks stay mandatory and cryptographic through the catalogue); undefined when no report was there to verify. */
  part?: ModuleResult;
  /** Checks of this module about the hardware report (azure.vmpl, azure.td-report). */
  own: Check[];
  /** REPORT_DATA of the signed hardware report (SNP report or TD quote), when it was readable. */
  reportData?: Uint8Array;
}

/** Byte offsets in an SEV-SNP ATTESTATION_REPORT (SNP ABI, table 23). */
const SNP_VMPL = 0x30;
const SNP_REPORT_DATA = 0x50;

/**
 * The SNP report inside the HCL report, verified in full by the SEV-SNP module, without the verifier's
 * nonce: on Azure REPORT_DATA holds the runtime data's digest, and freshness comes from the vTPM quote.
 */
export async function verifySnpHardware(hcl: HclReport, collateral: CollateralSet, env: VerifyEnv): Promise<HardwareOutcome> {
  const report = hcl.hwReport;
  const part = await snpModule.verify({ primary: report, parts: [] }, collateral, withoutNonce(env));
  const vmpl = new DataView(report.buffer, report.byteOffset + SNP_VMPL, 4).getUint32(0, true);
  const own =
    vmpl === 0
      ? pass(AZURE_CHECKS.vmpl, 'VMPL is 0: the report was requested by the paravisor (HCL), the only software at VMPL 0, not by the guest above it.')
      : fail(
          AZURE_CHECKS.vmpl,
          `VMPL is ${vmpl}: the report was requested from a less privileged level than the paravisor, so it does not vouch for the HCL's runtime data.`,
          'BINDING_MISMATCH',
        );
  return { part: withoutFreshness(part, 'snp.nonce'), own: [own], reportData: report.subarray(SNP_REPORT_DATA, SNP_REPORT_DATA + 64) };
}

/** The TD quote (a part) verified by the module its bytes belong to (DCAP), and matched with the HCL's TDREPORT. */
export async function verifyTdxHardware(hcl: HclReport, parts: readonly EvidencePart[], collateral: CollateralSet, env: VerifyEnv): Promise<HardwareOutcome> {
  const quote = parts.find((p) => (TD_QUOTE_ROLES as readonly string[]).includes(p.role));
  if (!quote) {
    const why = 'Azure TDX evidence carries its hardware report as a TD quote from the IMDS endpoint, and none was supplied: nothing here is signed by Intel.';
    return { own: [fail(AZURE_CHECKS.tdReport, why, 'MALFORMED_EVIDENCE', 'Supply the TD quote (az-tdx-vtpm td_quote, or --collateral td-quote.bin).')] };
  }
  env.used.add(quote);
  const part = await verifyPart(quote, collateral, withoutNonce(env));
  if (part.technology !== 'tdx') {
    const why = `The ${quote.role} part is ${part.technology} evidence, not an Intel TDX quote.`;
    return { own: [fail(AZURE_CHECKS.tdReport, why, 'MALFORMED_EVIDENCE')] };
  }
  const compared = compareTdReport(hcl.hwReport, quote.bytes);
  return { part: withoutFreshness(part, 'dcap.nonce'), own: [compared.check], ...(compared.reportData ? { reportData: compared.reportData } : {}) };
}

function withoutNonce(env: VerifyEnv): VerifyEnv {
  const { nonce: _nonce, ...rest } = env;
  return rest;
}

/**
 * The part's own nonce check is left out: on Azure its REPORT_DATA holds the runtime data's digest
 * (azure.hcl.binding), never a nonce, and freshness comes only from the vTPM quote (tpm.nonce). Left in, a
 * skipped snp.nonce would read as "no freshness" beside a passing tpm.nonce.
 */
function withoutFreshness(part: ModuleResult, id: string): ModuleResult {
  return { ...part, checks: part.checks.filter((c) => c.id !== id) };
}
