import { ByteReader } from '../../../bytes/reader.js';
import { toHex } from '../../../bytes/hex.js';
import { guidText } from './guid.js';
import { u64Hex, utf16 } from './text.js';

/** More nodes than any real boot path has; a longer list is shown cut, never walked without end. */
const MAX_NODES = 64;
const END = 0x7f;
const END_ENTIRE = 0xff;

/**
 * An EFI_DEVICE_PATH_PROTOCOL list as text, in the style of the UEFI spec's text form (UEFI 2.10, 10.6):
 * PciRoot(0x0)/Pci(0x3,0x0)/HD(1,GPT,...)/\EFI\BOOT\BOOTX64.EFI. Nodes this program does not know are
 * Path(type,subtype,hex data). A node whose length runs past the end is a ParseError.
 */
export function devicePathText(bytes: Uint8Array): string {
  const r = new ByteReader(bytes);
  const parts: string[] = [];
  while (r.remaining > 0 && parts.length < MAX_NODES) {
    const at = r.offset;
    const type = r.u8('devicePath.type');
    const subtype = r.u8('devicePath.subType');
    const length = r.u16('devicePath.length');
    if (length < 4) r.fail(`device path node of length ${length} (at least 4)`, 'devicePath.length', at);
    const body = r.take(length - 4, 'devicePath.node');
    if (type === END && subtype === END_ENTIRE) break;
    parts.push(type === END ? ',' : nodeText(type, subtype, body));
  }
  if (parts.length === MAX_NODES && r.remaining > 0) parts.push('…');
  return parts.join('/').replace(/\/,\//g, ',');
}

function nodeText(type: number, subtype: number, body: Uint8Array): string {
  const known = NODES[`${type}.${subtype}`];
  if (known && body.length >= known.min) return known.text(new ByteReader(body), body);
  return `Path(${type},${subtype},${toHex(body.subarray(0, 64))}${body.length > 64 ? '…' : ''})`;
}

const hex = (n: number) => `0x${n.toString(16)}`;
const guidAt = (b: Uint8Array, at: number) => guidText(b.subarray(at, at + 16));

/** Text of the node types seen in boot logs; `min` is the smallest body each needs. */
const NODES: Record<string, { min: number; text: (r: ByteReader, b: Uint8Array) => string }> = {
  // PCI: function then device in the data, shown device first as the text form does.
  '1.1': { min: 2, text: (_, b) => `Pci(${hex(b[1]!)},${hex(b[0]!)})` },
  '1.3': { min: 20, text: (r) => `MemoryMapped(${hex(r.u32('mmio.type'))},${u64Hex(r, 'mmio.start')},${u64Hex(r, 'mmio.end')})` },
  '1.4': { min: 16, text: (_, b) => `VenHw(${guidAt(b, 0)})` },
  '2.1': { min: 8, text: (r) => acpi(r.u32('acpi.hid'), r.u32('acpi.uid')) },
  '3.2': { min: 4, text: (r) => `Scsi(${hex(r.u16('scsi.pun'))},${hex(r.u16('scsi.lun'))})` },
  '3.5': { min: 2, text: (r) => `USB(${hex(r.u8('usb.port'))},${hex(r.u8('usb.interface'))})` },
  '3.11': { min: 33, text: (_, b) => `MAC(${toHex(b.subarray(0, 6))},${hex(b[32]!)})` },
  '3.12': { min: 15, text: (_, b) => `IPv4(${b[4]}.${b[5]}.${b[6]}.${b[7]})` },
  '3.18': { min: 6, text: (r) => `Sata(${hex(r.u16('sata.port'))},${hex(r.u16('sata.multiplier'))},${hex(r.u16('sata.lun'))})` },
  '3.23': { min: 12, text: (r, b) => `NVMe(${hex(r.u32('nvme.namespace'))},${toHex(b.subarray(4, 12))})` },
  '3.24': { min: 0, text: (_, b) => `Uri(${latin1(b)})` },
  '3.10': { min: 16, text: (_, b) => `VenMsg(${guidAt(b, 0)})` },
  '4.1': { min: 38, text: hardDrive },
  '4.2': { min: 20, text: (r) => `CDROM(${hex(r.u32('cdrom.entry'))})` },
  '4.3': { min: 16, text: (_, b) => `VenMedia(${guidAt(b, 0)})` },
  '4.4': { min: 0, text: (_, b) => utf16(b).replace(/\0+$/, '') },
  '4.6': { min: 16, text: (_, b) => `FvFile(${guidAt(b, 0)})` },
  '4.7': { min: 16, text: (_, b) => `Fv(${guidAt(b, 0)})` },
  '4.8': { min: 20, text: (r) => (r.u32('offset.reserved'), `Offset(${u64Hex(r, 'offset.start')},${u64Hex(r, 'offset.end')})`) },
  '5.1': { min: 4, text: (r) => `BBS(${hex(r.u16('bbs.type'))},${hex(r.u16('bbs.status'))})` },
};

/** ACPI HID: PNP0A03 is PciRoot, PNP0A08 PcieRoot (EISA ids compressed as in ACPI 6.5, 6.1.5). */
function acpi(hid: number, uid: number): string {
  if (hid === 0x0a0341d0) return `PciRoot(${hex(uid)})`;
  if (hid === 0x0a0841d0) return `PcieRoot(${hex(uid)})`;
  return `Acpi(${eisaId(hid)},${hex(uid)})`;
}

function eisaId(hid: number): string {
  const vendor = hid & 0xffff;
  const letter = (shift: number) => String.fromCharCode(((vendor >> shift) & 0x1f) + 0x40);
  return `${letter(10)}${letter(5)}${letter(0)}${(hid >>> 16).toString(16).toUpperCase().padStart(4, '0')}`;
}

function hardDrive(r: ByteReader, b: Uint8Array): string {
  const number = r.u32('hd.partition');
  const start = u64Hex(r, 'hd.start');
  const size = u64Hex(r, 'hd.size');
  const format = b[36];
  const sigType = b[37];
  const signature = sigType === 2 ? guidAt(b, 20) : sigType === 1 ? hex(b[20]! | (b[21]! << 8) | (b[22]! << 16) | (b[23]! << 24)) : '0';
  const scheme = format === 2 ? 'GPT' : format === 1 ? 'MBR' : hex(format ?? 0);
  return `HD(${number},${scheme},${signature},${start},${size})`;
}

function latin1(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length && i < 1024; i++) out += String.fromCharCode(b[i]!);
  return out;
}
