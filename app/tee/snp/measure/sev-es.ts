import { sha256 } from '@noble/hashes/sha2.js';
import { TeeError } from '../../../errors.js';
import { toHex } from '../../../bytes/hex.js';
import { OVMF_GUIDS } from './guid.js';
import { parseOvmf, tableU32 } from './ovmf.js';
import type { Ovmf } from './ovmf.js';
import { sevHashes, sevHashTable } from './sev-hashes.js';
import type { KernelInputs, SevHashes } from './sev-hashes.js';
import { checkVcpus, resetEip } from './snp.js';
import { vmsaPages } from './vmsa.js';
import type { Vmm } from './vmsa.js';

export interface SevEsMeasureInput {
  ovmf: Uint8Array;
  vcpus: number;
  vcpuSig: number;
  vmm: Vmm;
  kernel?: KernelInputs;
}

export interface SevEsMeasurement {
  /** The SEV-ES launch measurement digest, 64 hex digits (SHA-256). */
  measurement: string;
  hashes?: SevHashes;
  ovmf: Ovmf;
}

/** SHA-256 over the OVMF image, the SEV hash table (direct kernel boot) and each vCPU's VMSA (SEV_FEATURES 0). */
export function measureSevEs(input: SevEsMeasureInput): SevEsMeasurement {
  checkVcpus(input.vcpus);
  const ovmf = parseOvmf(input.ovmf);
  const h = sha256.create().update(ovmf.bytes);
  const hashes = input.kernel && sevHashes(input.kernel);
  if (hashes) {
    if (!tableU32(ovmf, OVMF_GUIDS.sevHashTable, 'SEV hash table'))
      throw new TeeError('USAGE_ERROR', 'this OVMF has no SEV hash table, so a kernel cannot be measured (use an AmdSev build of OVMF, or drop --kernel)');
    h.update(sevHashTable(hashes));
  }
  const apEip = resetEip(ovmf, input.vcpus);
  for (const page of vmsaPages(input.vcpus, apEip, 0n, input.vcpuSig, input.vmm)) h.update(page);
  return { measurement: toHex(h.digest()), ...(hashes ? { hashes } : {}), ovmf };
}
