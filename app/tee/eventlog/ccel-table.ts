import { TeeError } from '../../errors.js';

/** ACPI CCEL table (ACPI 6.5, 5.2.34): 36-byte header, CC type, subtype, reserved, LAML u64, LASA u64. */
const CCEL_TABLE_SIZE = 56;
const DATA_FILE = '/sys/firmware/acpi/tables/data/CCEL';

/**
 * The CCEL table only says where the log lives (its length and guest-physical address); the log itself
 * is a separate file. Recognised so that the user is told which file to give instead.
 */
export function refuseCcelTable(bytes: Uint8Array): void {
  if (bytes.length < 4 || String.fromCharCode(...bytes.subarray(0, 4)) !== 'CCEL') return;
  const where = bytes.length >= CCEL_TABLE_SIZE ? describeArea(bytes) : '';
  throw new TeeError(
    'UNSUPPORTED_EVIDENCE',
    `this is the ACPI CCEL table${where}, not the event log: give the CCEL data file (${DATA_FILE}) instead of the table (/sys/firmware/acpi/tables/CCEL)`,
    { field: 'ccel.signature', offset: 0 },
  );
}

function describeArea(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getBigUint64(40, true);
  const address = view.getBigUint64(48, true);
  return ` (log area of ${length} bytes at 0x${address.toString(16)})`;
}
