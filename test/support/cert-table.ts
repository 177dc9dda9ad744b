/** The GUID-indexed table SNP_GET_EXT_REPORT returns (GHCB spec; GUIDs as in go-sev-guest abi). */
export const CERT_TABLE_GUID = {
  VCEK: '63da758de6644564adc5f4b93be8accd',
  VLEK: 'a8074bc2a25a483eaae639c045a0b8a1',
  ASK: '4ab7b379bbac4fe4a02f05aef327c782',
  ARK: 'c0b406a4a803495297433fb6014cd0ae',
  OTHER: 'ecae0c0f950243b1afa20ae2e0d565b6',
};

/** Entries in the given order, blobs after the header, an all-zero terminator. */
export function certTable(entries: [guid: string, blob: Uint8Array][], edit?: (header: Buffer) => void): Uint8Array {
  const header = Buffer.alloc(24 * (entries.length + 1));
  let at = header.length;
  entries.forEach(([guid, blob], i) => {
    Buffer.from(guid, 'hex').copy(header, 24 * i);
    header.writeUInt32LE(at, 24 * i + 16);
    header.writeUInt32LE(blob.length, 24 * i + 20);
    at += blob.length;
  });
  edit?.(header);
  return new Uint8Array(Buffer.concat([header, ...entries.map(([, b]) => b)]));
}
