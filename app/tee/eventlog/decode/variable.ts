import { ByteReader } from '../../../bytes/reader.js';
import { ParseError } from '../../../errors.js';
import { devicePathText } from './device-path.js';
import { EFI_GLOBAL_VARIABLE, EFI_IMAGE_SECURITY_DATABASE, SHIM_LOCK, guidName, guidText } from './guid.js';
import { countSignatures, describeCounts } from './signature-list.js';
import { clip, u64, utf16, utf16z } from './text.js';
import type { EfiVariableDecoded, LoadOption } from './types.js';

/** A UEFI_VARIABLE_DATA split into its parts (PFP 10.4.4.4): views into the event data, no copies. */
export interface VariableParts {
  vendorGuid: string;
  name: string;
  data: Uint8Array;
  trailing: number;
}

/** UEFI_VARIABLE_DATA: VariableName GUID, UnicodeNameLength and VariableDataLength (UINT64), the name in UTF-16LE, the data. */
export function variableParts(bytes: Uint8Array): VariableParts {
  const r = new ByteReader(bytes);
  const vendorGuid = guidText(r.take(16, 'variable.vendorGuid'));
  const nameLength = u64(r, 'variable.unicodeNameLength');
  const dataLength = u64(r, 'variable.variableDataLength');
  const name = utf16(r.take(nameLength * 2, 'variable.unicodeName'));
  const data = r.take(dataLength, 'variable.variableData');
  return { vendorGuid, name, data, trailing: r.remaining };
}

const SIGNATURE_DBS: Record<string, readonly string[]> = {
  [EFI_GLOBAL_VARIABLE]: ['PK', 'KEK'],
  [EFI_IMAGE_SECURITY_DATABASE]: ['db', 'dbx', 'dbt', 'dbr'],
  [SHIM_LOCK]: ['MokList', 'MokListX', 'MokListTrusted'],
};

/** Whether the variable holds EFI_SIGNATURE_LISTs (its data is a signature database). */
export function isSignatureDb(vendorGuid: string, name: string): boolean {
  return SIGNATURE_DBS[vendorGuid]?.includes(name) ?? false;
}

/** An EFI variable event (EV_EFI_VARIABLE_DRIVER_CONFIG, _BOOT, _BOOT2, _AUTHORITY) and the known variables' meaning. */
export function decodeVariable(bytes: Uint8Array, authority: boolean): EfiVariableDecoded {
  const v = variableParts(bytes);
  const out: EfiVariableDecoded = { kind: 'efi-variable', summary: '', vendorGuid: v.vendorGuid, name: v.name, dataSize: v.data.length };
  if (v.trailing) out.trailing = v.trailing;
  const meaning = inner(() => (authority ? authorityMeaning(v, out) : variableMeaning(v, out)));
  const owner = v.vendorGuid === EFI_GLOBAL_VARIABLE || v.vendorGuid === EFI_IMAGE_SECURITY_DATABASE ? '' : ` (${guidName(v.vendorGuid) ?? v.vendorGuid})`;
  out.summary = clip(`${authority ? 'authority from ' : ''}${v.name}${owner}: ${meaning}`);
  return out;
}

/** The variable's name stays shown when only its content does not decode. */
function inner(meaning: () => string): string {
  try {
    return meaning();
  } catch (e) {
    if (e instanceof ParseError) return `content not decodable: ${e.message}`;
    throw e;
  }
}

function variableMeaning(v: VariableParts, out: EfiVariableDecoded): string {
  if (v.vendorGuid === EFI_GLOBAL_VARIABLE && ['SecureBoot', 'SetupMode', 'AuditMode', 'DeployedMode'].includes(v.name)) return flag(v, out);
  if (isSignatureDb(v.vendorGuid, v.name)) {
    out.signatures = countSignatures(v.data);
    return describeCounts(out.signatures);
  }
  if (v.vendorGuid === EFI_GLOBAL_VARIABLE && v.name === 'BootOrder') return bootOrder(v, out);
  if (v.vendorGuid === EFI_GLOBAL_VARIABLE && /^Boot[0-9A-Fa-f]{4}$/.test(v.name)) {
    out.loadOption = loadOption(v.data);
    return `${out.loadOption.active ? '' : '(inactive) '}"${out.loadOption.description}" ${out.loadOption.devicePath}`;
  }
  return `${v.data.length} bytes`;
}

function flag(v: VariableParts, out: EfiVariableDecoded): string {
  if (v.data.length !== 1) return `${v.data.length} bytes (expected 1): state unknown`;
  if (v.data[0]! > 1) return `value ${v.data[0]} (expected 0 or 1): state unknown`;
  out.enabled = v.data[0] === 1;
  return out.enabled ? 'enabled' : 'disabled';
}

function bootOrder(v: VariableParts, out: EfiVariableDecoded): string {
  if (v.data.length % 2 !== 0) return `${v.data.length} bytes (not a list of UINT16)`;
  const r = new ByteReader(v.data);
  out.bootOrder = [];
  while (r.remaining > 0 && out.bootOrder.length < 1024) out.bootOrder.push(`Boot${r.u16('bootOrder').toString(16).toUpperCase().padStart(4, '0')}`);
  return out.bootOrder.join(', ') || 'empty';
}

/** EFI_LOAD_OPTION (UEFI 2.10, 3.1.3): Attributes, FilePathListLength, Description (NUL-terminated UTF-16), FilePathList, OptionalData. */
export function loadOption(data: Uint8Array): LoadOption {
  const r = new ByteReader(data);
  const attributes = r.u32('loadOption.attributes');
  const pathLength = r.u16('loadOption.filePathListLength');
  const description = utf16z(r, 'loadOption.description');
  const devicePath = devicePathText(r.take(pathLength, 'loadOption.filePathList'));
  return { attributes, active: (attributes & 1) === 1, description, devicePath, optionalDataSize: r.remaining };
}

/** EV_EFI_VARIABLE_AUTHORITY: the EFI_SIGNATURE_DATA (owner GUID, then the certificate or hash) that verified an image. */
function authorityMeaning(v: VariableParts, out: EfiVariableDecoded): string {
  if (v.vendorGuid === SHIM_LOCK && v.name === 'SbatLevel') return `"${clip(new TextDecoder().decode(v.data).trim(), 60)}"`;
  if (v.data.length < 16) return `${v.data.length} bytes`;
  const owner = guidText(v.data.subarray(0, 16));
  out.authority = { owner, size: v.data.length - 16 };
  return `signature of ${out.authority.size} bytes, owner ${owner}`;
}
