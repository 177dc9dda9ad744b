import type { TeeModule } from '../module.js';
import { toHex } from '../../bytes/hex.js';
import { snpModule } from '../snp/module.js';
import { counterNotes } from '../tpm/counters.js';
import { AZURE_CHECK_SPECS } from './checks.js';
import { AZURE_SNP_CLAIM_SCHEMA, AZURE_TDX_CLAIM_SCHEMA } from './claim-schema.js';
import { looksLikeHclReport, parseHclReport } from './hcl.js';
import { azureEnvelope } from './envelopes.js';
import { verifyAzureVtpm } from './verify.js';

/** Azure confidential VMs (SEV-SNP and TDX) with their vTPM: raw HCL reports and trustee's az-*-vtpm evidence JSON. */
export const azureVtpmModule = {
  id: 'azure-vtpm',
  technologies: [
    { id: 'azure-snp-vtpm', name: 'Azure confidential VM (SEV-SNP, vTPM)', isolation: 'vm', schema: AZURE_SNP_CLAIM_SCHEMA, instance: 'VM' },
    { id: 'azure-tdx-vtpm', name: 'Azure confidential VM (TDX, vTPM)', isolation: 'vm', schema: AZURE_TDX_CLAIM_SCHEMA, instance: 'VM' },
  ] as const,
  // The hardware reports' modules pin the AMD and Intel roots; this composite adds none of its own.
  anchors: { set: 'amd', pinned: () => [] },
  // Its own checks only: each id lives in one module's catalogue; the parts' catalogues travel in each result.
  checks: AZURE_CHECK_SPECS,
  detect: looksLikeHclReport,
  takesEvidenceParts: true,
  envelopes: { decode: azureEnvelope },
  // Only the set is known here, not the report type: SEV-SNP's needs are named (the only real Azure vectors are SNP).
  missingCollateral: (set) => snpModule.missingCollateral(set),
  historyNotes: counterNotes,
  collateralNeedKey(primary) {
    const hcl = parseHclReport(primary);
    // A TDX HCL report's collateral follows its TD quote, which is not in these bytes: never shared (keyed by the TDREPORT).
    return hcl.kind === 'snp' ? `snp:${snpModule.collateralNeedKey(hcl.hwReport)}` : `tdx:${toHex(hcl.hwReport.subarray(128, 192))}`;
  },
  verify: verifyAzureVtpm,
} as const satisfies TeeModule;
