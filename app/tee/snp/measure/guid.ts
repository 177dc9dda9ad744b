/**
 * GUIDs as EDK2 lays them out in memory (mixed-endian: the first three fields little-endian), which is
 * how the OVMF footer table and QEMU's SEV hash table store them.
 */
export function guidBytes(guid: string): Uint8Array {
  const hex = guid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a GUID: ${guid}`);
  const b = Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
  return Uint8Array.from([b[3]!, b[2]!, b[1]!, b[0]!, b[5]!, b[4]!, b[7]!, b[6]!, ...b.subarray(8)]);
}

/** The inverse of guidBytes: 16 mixed-endian bytes as the canonical lower-case string. */
export function guidString(bytes: Uint8Array): string {
  const b = bytes;
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  const hex = order.map((i) => b[i]!.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** GUIDs of the OVMF footer table entries this measurement reads (edk2 OvmfPkg/ResetVector). */
export const OVMF_GUIDS = {
  footer: '96b582de-1fb2-45f7-baea-a366c55a082d',
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
