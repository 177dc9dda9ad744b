import { hex16, tpmHashById } from '../tpm/algorithms.js';
/**
 * Event types of the TCG PC Client Platform Firmware Profile (section 10.4.1, Table 9) and the EFI
 * additions (0x80000000 and up). Unknown types are shown by number, never guessed.
 */
export const EV_NO_ACTION = 0x00000003;

const NAMES: ReadonlyMap<number, string> = new Map([
  [0x00000000, 'EV_PREBOOT_CERT'],
  [0x00000001, 'EV_POST_CODE'],
  [0x00000002, 'EV_UNUSED'],
  [0x00000003, 'EV_NO_ACTION'],
  [0x00000004, 'EV_SEPARATOR'],
  [0x00000005, 'EV_ACTION'],
  [0x00000006, 'EV_EVENT_TAG'],
  [0x00000007, 'EV_S_CRTM_CONTENTS'],
  [0x00000008, 'EV_S_CRTM_VERSION'],
  [0x00000009, 'EV_CPU_MICROCODE'],
  [0x0000000a, 'EV_PLATFORM_CONFIG_FLAGS'],
  [0x0000000b, 'EV_TABLE_OF_DEVICES'],
  [0x0000000c, 'EV_COMPACT_HASH'],
  [0x0000000d, 'EV_IPL'],
  [0x0000000e, 'EV_IPL_PARTITION_DATA'],
  [0x0000000f, 'EV_NONHOST_CODE'],
  [0x00000010, 'EV_NONHOST_CONFIG'],
  [0x00000011, 'EV_NONHOST_INFO'],
  [0x00000012, 'EV_OMIT_BOOT_DEVICE_EVENTS'],
  [0x00000013, 'EV_POST_CODE2'],
  [0x80000000, 'EV_EFI_EVENT_BASE'],
  [0x80000001, 'EV_EFI_VARIABLE_DRIVER_CONFIG'],
  [0x80000002, 'EV_EFI_VARIABLE_BOOT'],
  [0x80000003, 'EV_EFI_BOOT_SERVICES_APPLICATION'],
  [0x80000004, 'EV_EFI_BOOT_SERVICES_DRIVER'],
  [0x80000005, 'EV_EFI_RUNTIME_SERVICES_DRIVER'],
  [0x80000006, 'EV_EFI_GPT_EVENT'],
  [0x80000007, 'EV_EFI_ACTION'],
  [0x80000008, 'EV_EFI_PLATFORM_FIRMWARE_BLOB'],
  [0x80000009, 'EV_EFI_HANDOFF_TABLES'],
  [0x8000000a, 'EV_EFI_PLATFORM_FIRMWARE_BLOB2'],
  [0x8000000b, 'EV_EFI_HANDOFF_TABLES2'],
  [0x8000000c, 'EV_EFI_VARIABLE_BOOT2'],
  [0x8000000d, 'EV_EFI_GPT_EVENT2'],
  [0x80000010, 'EV_EFI_HCRTM_EVENT'],
  [0x800000e0, 'EV_EFI_VARIABLE_AUTHORITY'],
  [0x800000e1, 'EV_EFI_SPDM_FIRMWARE_BLOB'],
  [0x800000e2, 'EV_EFI_SPDM_FIRMWARE_CONFIG'],
  [0x800000e3, 'EV_EFI_SPDM_DEVICE_POLICY'],
  [0x800000e4, 'EV_EFI_SPDM_DEVICE_AUTHORITY'],
]);

export function eventTypeName(type: number): string {
  return NAMES.get(type) ?? `0x${type.toString(16).padStart(8, '0')}`;
}

/** A digest algorithm as a log's Spec ID event declares it (a known TPM_ALG_ID, or an unknown one by number). */
export interface HashAlgorithm {
  id: number;
  name: string;
  size: number;
}

/** The algorithm's name, or its number for one this program does not know. */
export function hashAlgorithmName(id: number): string {
  return tpmHashById(id)?.name ?? hex16(id);
}

/** The size a known algorithm must have; undefined for an unknown one (its declared size is then taken as is). */
export function knownDigestSize(id: number): number | undefined {
  return tpmHashById(id)?.size;
}
