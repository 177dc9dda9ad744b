/** Launch measurement pre-calculation for AMD SEV-SNP and SEV-ES guests from the artefacts that build them. */
export { measureSnp, snpOvmfHash, MAX_VCPUS } from './snp.js';
export type { SnpMeasureInput, SnpMeasurement } from './snp.js';
export { measureSevEs } from './sev-es.js';
export { measureSnpSvsm } from './svsm.js';
export type { SvsmMeasureInput } from './svsm.js';
export type { SevEsMeasureInput, SevEsMeasurement } from './sev-es.js';
export { parseOvmf, SECTION_TYPES } from './ovmf.js';
export type { Ovmf, SevSection, SectionType } from './ovmf.js';
export { VCPU_SIGS, cpuSig } from './vcpu-types.js';
export { VMMS } from './vmsa.js';
export type { Vmm } from './vmsa.js';
export type { KernelInputs, SevHashes } from './sev-hashes.js';
export type { Sha384 } from './gctx.js';
/** The implementation these digests are kept in agreement with (its tests/test_guest.py are known answers here). */
export const REFERENCE_IMPLEMENTATION = 'virtee/sev-snp-measure 0.0.13 (commit 8f2b337e)';
