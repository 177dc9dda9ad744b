import { TeeError } from '../../errors.js';
import type { Certificate } from '../../pki/x509.js';
import { findExtension } from '../../pki/extensions.js';
import { TAG, readNode, readUnsigned, readString, contentOf } from '../../pki/der.js';
import { productFromName } from './tcb.js';
import type { SnpProduct, TcbVersion } from './tcb.js';

/**
 * VCEK / VLEK certificate extensions (AMD "Versioned Chip Endorsement Key (VCEK) Certificate and KDS
 * Interface Specification"): product name, the TCB SPLs the key was derived for, and the chip's hwID.
 */
const AMD = '1.3.6.1.4.1.3704.1';
const OID = { productName: `${AMD}.2`, bl: `${AMD}.3.1`, tee: `${AMD}.3.2`, snp: `${AMD}.3.3`, ucode: `${AMD}.3.8`, fmc: `${AMD}.3.9`, hwId: `${AMD}.4` };

export interface VekInfo {
  cert: Certificate;
  kind: 'VCEK' | 'VLEK';
  productName: string;
  product?: SnpProduct;
  tcb: Omit<TcbVersion, 'raw'>;
  hwId?: Uint8Array;
}

/** True for an AMD endorsement key certificate (subject CN SEV-VCEK or SEV-VLEK). */
export function isVek(cert: Certificate): boolean {
  return cert.subject.cn === 'SEV-VCEK' || cert.subject.cn === 'SEV-VLEK';
}

export function parseVek(cert: Certificate): VekInfo {
  const code = 'CERT_CHAIN_INVALID';
  const value = (oid: string) => findExtension(cert.extensions, oid)?.value;
  const int = (oid: string, name: string): number | undefined => {
    const v = value(oid);
    return v ? readUnsigned(readNode(v, 0, v.length, code, name), code, name, 255) : undefined;
  };
  const nameBytes = value(OID.productName);
  const productName = nameBytes ? readString(readNode(nameBytes, 0, nameBytes.length, code, 'productName'), code, 'productName') : '';
  const spl = { bootloader: int(OID.bl, 'blSPL'), tee: int(OID.tee, 'teeSPL'), snp: int(OID.snp, 'snpSPL'), microcode: int(OID.ucode, 'ucodeSPL') };
  if (Object.values(spl).some((v) => v === undefined)) throw new TeeError(code, `"${cert.subject.text}" lacks AMD TCB SPL extensions (${AMD}.3.x)`);
  const tcb: VekInfo['tcb'] = spl as Omit<TcbVersion, 'raw' | 'fmc'>;
  const fmc = int(OID.fmc, 'fmcSPL');
  if (fmc !== undefined) tcb.fmc = fmc;
  const kind = cert.subject.cn === 'SEV-VLEK' ? 'VLEK' : 'VCEK';
  const info: VekInfo = { cert, kind, productName, tcb };
  const product = productFromName(productName) ?? productFromName(cert.issuer.cn);
  if (product) info.product = product;
  const hw = value(OID.hwId);
  if (hw) info.hwId = octets(hw);
  return info;
}

/**
 * hwID is a DER OCTET STRING of 64 bytes (8 on Turin) in current certificates; early VCEKs carry the
 * 64 raw bytes as the extension value itself (trustee's test-vcek-invalid-legacy.der). Raw is taken
 * by its exact size first, so a raw hwID that happens to begin like DER is never misread.
 */
function octets(v: Uint8Array): Uint8Array {
  if (v.length === 64 || v.length === 8) return v;
  const node = readNode(v, 0, v.length, 'CERT_CHAIN_INVALID', 'hwID');
  if (node.tag !== TAG.OCTET_STRING || node.end !== v.length)
    throw new TeeError('CERT_CHAIN_INVALID', 'hwID extension is neither an OCTET STRING nor 64 raw bytes', { field: 'hwID' });
  return contentOf(node);
}
