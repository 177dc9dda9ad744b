import type { Check, CheckSpec } from '../../check.js';
import { pass } from '../../check.js';
import { toHex } from '../../bytes/hex.js';
import type { CollateralSet } from '../../collateral/types.js';
import type { Evidence, ModuleResult, VerifyEnv } from '../module.js';
import { TPM_CHECKS } from '../tpm/checks.js';
import { AZURE_CHECKS, AZURE_CHECK_SPECS } from './checks.js';
import { parseHclReport } from './hcl.js';
import type { HclReport } from './hcl.js';
import { parseRuntimeData } from './runtime-data.js';
import type { RuntimeData } from './runtime-data.js';
import { envelopeInfo } from './envelopes.js';
import { verifySnpHardware, verifyTdxHardware } from './hardware.js';
import type { HardwareOutcome } from './hardware.js';
import { verifyVtpm } from './vtpm.js';
import { azureAkTrust, hclBindingCheck, userDataCheck } from './binding.js';
import { describeHcl, describeRuntime, runtimeClaims } from './describe.js';

/**
 * Azure confidential VM evidence: three linked parts. The hardware report (SNP report inside the HCL report,
 * or the TD quote) is verified by its own module; its REPORT_DATA binds the runtime data; the runtime data
 * names the AK; the vTPM quote by that AK over the verifier's nonce carries the guest's PCRs.
 */
export async function verifyAzureVtpm(evidence: Evidence, collateral: CollateralSet, env: VerifyEnv): Promise<ModuleResult> {
  const hcl = parseHclReport(evidence.primary);
  const runtime = parseRuntimeData(hcl.varData);
  const envelope = envelopeInfo(evidence.parts);
  if (envelope) env.used.add(envelope.part);
  const varDigest = await env.crypto.digest('SHA-256', hcl.varData);
  const hw = hcl.kind === 'snp' ? await verifySnpHardware(hcl, collateral, env) : await verifyTdxHardware(hcl, evidence.parts, collateral, env);
  const binding = hclBindingCheck(varDigest, hw.reportData, hcl.kind);
  const vtpm = await verifyVtpm(evidence.parts, runtime.akSpki, env);
  const bound = binding.status === 'pass' && vtpm.akBinding.status === 'pass' && hardwareProven(hw);
  const tpmChecks = vtpm.checks.map((c) => (c.id === TPM_CHECKS.akTrust.id ? azureAkTrust(c, bound, hcl.kind) : c));
  const own = [...hw.own, binding, userDataCheck(runtime.userData, env.nonce, envelope?.info.version), vtpm.akBinding];
  const akSpkiSha256 = toHex(await env.crypto.digest('SHA-256', runtime.akSpki));
  const hwKey = hcl.kind === 'snp' ? 'snp' : 'tdx';
  return {
    technology: hcl.kind === 'snp' ? 'azure-snp-vtpm' : 'azure-tdx-vtpm',
    format: envelope ? `${envelope.info.format}-v${envelope.info.version}` : `azure-hcl-${hcl.kind}`,
    checks: [formatCheck(hcl, runtime), ...(hw.part?.checks ?? []), ...own, ...tpmChecks],
    catalogue: [...AZURE_CHECK_SPECS, ...(hw.part?.catalogue ?? []), ...vtpm.catalogue] as CheckSpec[],
    claims: { ...(hw.part?.claims ?? {}), ...vtpm.claims, ...runtimeClaims(runtime, akSpkiSha256) },
    fields: {
      hcl: describeHcl(hcl, varDigest),
      ...(hw.part ? { [hwKey]: hw.part.fields } : {}),
      runtimeData: await describeRuntime(runtime, (b) => env.crypto.digest('SHA-256', b)),
      ...(runtime.userDataText !== undefined ? { hclUserData: runtime.userDataText } : {}),
      tpm: vtpm.fields,
      ...(envelope ? { envelope: envelope.info } : {}),
    },
    ...(hw.part?.tcb ? { tcb: hw.part.tcb } : {}),
    ...(vtpm.replays?.length ? { eventLogs: vtpm.replays } : {}),
  };
}

/** Every cryptographic check of the hardware report's module passed: its signature and chain are proven. */
function hardwareProven(hw: HardwareOutcome): boolean {
  if (!hw.part) return false;
  const crypto = hw.part.catalogue.filter((s) => s.crypto).map((s) => s.id);
  return (
    crypto.length > 0 && crypto.every((id) => hw.part!.checks.some((c) => c.id === id) && hw.part!.checks.every((c) => c.id !== id || c.status === 'pass'))
  );
}

function formatCheck(hcl: HclReport, rt: RuntimeData): Check {
  const trailing = hcl.trailing ? ` ${hcl.trailing} bytes after the declared end (NV index padding) were not read.` : '';
  return pass(
    AZURE_CHECKS.hclFormat,
    `HCL report version ${hcl.version} holding ${hcl.kind === 'snp' ? 'an SEV-SNP report' : 'a TDREPORT'}; ${hcl.varData.length} bytes of runtime data (SHA-256), keys ${rt.keyIds.join(', ')}.${trailing}`,
  );
}
