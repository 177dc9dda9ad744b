/**
 * EFI_GUID in its text form: the first three fields are little-endian (mixed-endian), the last eight bytes
 * as stored (UEFI 2.10 appendix A).
 */
export function guidText(b: Uint8Array): string {
  const h = (i: number) => HEX[b[i]!]!;
  return `${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export const EFI_GLOBAL_VARIABLE = '8be4df61-93ca-11d2-aa0d-00e098032b8c';
export const EFI_IMAGE_SECURITY_DATABASE = 'd719b2cb-3d3a-4596-a3bc-dad00e67656f';
export const EFI_CERT_X509 = 'a5c059a1-94e4-4aa7-87b5-ab155c2bf072';
export const EFI_CERT_SHA256 = 'c1c41626-504c-4092-aca9-41f936934328';
export const SHIM_LOCK = '605dab50-e046-4300-abb6-3dd810dd8b23';

/** GUIDs named in summaries; any other is shown as its text form only. */
const NAMES: ReadonlyMap<string, string> = new Map([
  [EFI_GLOBAL_VARIABLE, 'EFI global variable'],
  [EFI_IMAGE_SECURITY_DATABASE, 'image security database'],
  [EFI_CERT_X509, 'X.509 certificate'],
  [EFI_CERT_SHA256, 'SHA-256 hash'],
  [SHIM_LOCK, 'shim'],
  ['8868e871-e4f1-11d3-bc22-0080c73c8881', 'ACPI 2.0 table'],
  ['eb9d2d30-2d88-11d3-9a16-0090273fc14d', 'ACPI table'],
  ['eb9d2d31-2d88-11d3-9a16-0090273fc14d', 'SMBIOS table'],
  ['f2fd1544-9794-4a2c-992e-e5bbcf20e394', 'SMBIOS 3 table'],
  ['826ca512-cf10-4ac9-b187-be01496631bd', 'SHA-1 hash'],
  ['3c5766e8-269c-4e34-aa14-ed776e85b3b6', 'RSA-2048 key'],
]);

export function guidName(guid: string): string | undefined {
  return NAMES.get(guid);
}

/** "guid (name)" when the GUID is known. */
export function describeGuid(guid: string): string {
  const name = NAMES.get(guid);
  return name ? `${guid} (${name})` : guid;
}
