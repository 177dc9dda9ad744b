export { guidBytes, guidString } from '../../../firmware/ovmf-table.js';

/** GUIDs of the OVMF footer table entries this measurement reads (edk2 OvmfPkg/ResetVector). */
export const OVMF_GUIDS = {
  sevHashTable: '7255371f-3a3b-4b04-927b-1da6efa8d454',
  sevEsResetBlock: '00f771de-1a7e-4fcb-890e-68c77e2fb44e',
  sevMetadata: 'dc886566-984a-4798-a75e-5585a7bf67cc',
} as const;

/** GUIDs of QEMU's SEV hash table (target/i386/sev.c) for direct kernel boot. */
export const SEV_HASH_GUIDS = {
  header: '9438d606-4f22-4cc9-b479-a793d411fd21',
  kernel: '4de79437-abd2-427f-b835-d5b172d2045b',
  initrd: '44baf731-3a2f-4bd7-9af1-41e29169781d',
  cmdline: '97d02dd8-bd20-4c94-aa78-e7714d36ab2a',
} as const;
