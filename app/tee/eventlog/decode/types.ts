/**
 * What an event's data says, decoded for people. Nothing here is verified: the event data is whatever the
 * log holds. Which of it a digest covers is decided in claims.ts, never here.
 */
export interface DecodedBase {
  kind: string;
  /** One line for humans (may hold control characters from the log: escape before printing). */
  summary: string;
}

export interface SignatureCounts {
  x509: number;
  sha256: number;
  other: number;
  lists: number;
}

export interface LoadOption {
  attributes: number;
  active: boolean;
  description: string;
  devicePath: string;
  optionalDataSize: number;
}

export interface EfiVariableDecoded extends DecodedBase {
  kind: 'efi-variable';
  vendorGuid: string;
  name: string;
  dataSize: number;
  /** SecureBoot, and variables like it that hold one byte of 0 or 1. */
  enabled?: boolean;
  /** PK, KEK, db, dbx (and shim's lists): what the EFI_SIGNATURE_LISTs hold. */
  signatures?: SignatureCounts;
  /** SHA-256 of the variable data (set by inspect, which has the hash provider), for signature databases. */
  dataSha256?: string;
  bootOrder?: string[];
  loadOption?: LoadOption;
  /** EV_EFI_VARIABLE_AUTHORITY: the EFI_SIGNATURE_DATA used (owner and size of the certificate or hash). */
  authority?: { owner: string; size: number };
  /** Bytes after the declared variable data (some firmware writes them; shown, not used). */
  trailing?: number;
}

export interface ImageLoadDecoded extends DecodedBase {
  kind: 'image-load';
  location: string;
  length: number;
  linkTimeAddress: string;
  devicePath: string;
}

export interface TaggedDecoded extends DecodedBase {
  kind: 'tagged';
  tagId: number;
  /** What the tag means when this program knows it ("initrd", "load-options"). */
  tag?: 'initrd' | 'load-options';
  description: string;
}

export interface GrubDecoded extends DecodedBase {
  kind: 'grub';
  prefix: string;
  /** The text after the prefix, without the trailing NUL. */
  text: string;
  role: 'command' | 'kernel-cmdline' | 'module-cmdline';
}

export interface TextDecoded extends DecodedBase {
  kind: 'text';
  text: string;
  encoding: 'utf-8' | 'utf-16le';
}

export interface SeparatorDecoded extends DecodedBase {
  kind: 'separator';
  value: string;
  /** 00000000 (normal) or FFFFFFFF (an error was signalled); anything else is not a valid separator. */
  valid: boolean;
}

export interface GptDecoded extends DecodedBase {
  kind: 'gpt';
  diskGuid: string;
  partitions: { number: number; typeGuid: string; uniqueGuid: string; firstLba: number; lastLba: number; name: string }[];
}

export interface BlobDecoded extends DecodedBase {
  kind: 'firmware-blob';
  description?: string;
  base: string;
  length: string;
}

export interface HandoffDecoded extends DecodedBase {
  kind: 'handoff-tables';
  description?: string;
  tables: { guid: string; address: string }[];
}

export interface RawDecoded extends DecodedBase {
  kind: 'raw';
  /** The printable text the data starts with, if any ("td_hob", "ACPI DATA"). */
  label?: string;
}

export interface UndecodableDecoded extends DecodedBase {
  kind: 'undecodable';
  reason: string;
}

export type Decoded =
  | EfiVariableDecoded
  | ImageLoadDecoded
  | TaggedDecoded
  | GrubDecoded
  | TextDecoded
  | SeparatorDecoded
  | GptDecoded
  | BlobDecoded
  | HandoffDecoded
  | RawDecoded
  | UndecodableDecoded;

/** What a decoder needs to know of the log: the size of UINTN (Spec ID uintnSize: 1 = 32-bit, 2 = 64-bit). */
export interface DecodeContext {
  uintnSize: number;
}
