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

/** hwID is an OCTET STRING in current certificates; accept the raw bytes some early ones carry. */
function octets(v: Uint8Array): Uint8Array {
  if (v[0] === TAG.OCTET_STRING) {
    try {
      const node = readNode(v, 0, v.length, 'CERT_CHAIN_INVALID', 'hwID');
      if (node.end === v.length) return contentOf(node);
    } catch {
      // not DER: raw bytes
    }
  }
  return v;
}
