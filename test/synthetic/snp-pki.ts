import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { webcrypto } from 'node:crypto';
import { issueCert, newKey } from './test-pki.js';
import type { Issued, KeyPair } from './test-pki.js';
import { vectorBytes } from '../support/vectors.js';

/**
 * An AMD-like test PKI for the SEV-SNP paths no public vector reaches (CRLs, VLEK, mismatches): a test
 * "ARK-Milan" (ECDSA rather than RSA-PSS: the chain code is algorithm-agnostic), an ASK/ASVK, a P-384
 * VCEK or VLEK with AMD's extensions, and the real Milan report re-signed by that key.
 */
const subtle = webcrypto.subtle as unknown as SubtleCrypto;
export const SNP_AT = new Date('2024-07-03T13:10:40Z');
const validity = { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2040-01-01T00:00:00Z') };
const AMD = '1.3.6.1.4.1.3704.1';

export interface SnpTestPki {
  ark: Issued;
  ask: Issued;
  vek: Issued;
  report: Uint8Array;
}

export interface SnpSpec {
  kind: 'VCEK' | 'VLEK';
  spl: { bl: number; tee: number; snp: number; ucode: number };
  hwId?: Uint8Array;
  /** KEY_INFO bits to set in the report before signing (e.g. 2 = MASK_CHIP_KEY, 4 = VLEK). */
  keyInfo?: number;
  /** Any other change to the report before it is signed. */
  edit?: (report: Uint8Array) => void;
  /** The VEK's validity and serial (default 2020-2040, 0c): the same key certified twice. */
  vekValidity?: { notBefore: Date; notAfter: Date };
  vekSerial?: string;
}

const REAL = vectorBytes('snp/trustee-milan-vcek.report');
export const REAL_CHIP_ID = REAL.slice(0x1a0, 0x1e0);
export const DEFAULT_SNP: SnpSpec = { kind: 'VCEK', spl: { bl: 3, tee: 0, snp: 8, ucode: 115 } };

function ext(oid: string, value: asn1js.AsnType): pkijs.Extension {
  return new pkijs.Extension({ extnID: oid, critical: false, extnValue: value.toBER(false) });
}

let keys: Promise<{ ark: KeyPair; ask: KeyPair; vek: CryptoKeyPair; vekPoint: KeyPair }> | undefined;
function testKeys() {
  keys ??= (async () => {
    const vek = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const point = new Uint8Array(await subtle.exportKey('raw', vek.publicKey));
    return { ark: await newKey(), ask: await newKey(), vek, vekPoint: { privateKey: vek.privateKey, publicKey: vek.publicKey, point } };
  })();
  return keys;
}

export async function snpPki(spec: SnpSpec = DEFAULT_SNP): Promise<SnpTestPki> {
  const k = await testKeys();
  const ark = await issueCert({ cn: 'ARK-Milan', key: k.ark, serial: '0a', ca: true, ...validity });
  const ask = await issueCert({ cn: spec.kind === 'VLEK' ? 'SEV-VLEK-Milan' : 'SEV-Milan', key: k.ask, issuer: ark, serial: '0b', ca: true, ...validity });
  const extra = [
    ext(`${AMD}.2`, new asn1js.IA5String({ value: 'Milan-B0' })),
    ext(`${AMD}.3.1`, new asn1js.Integer({ value: spec.spl.bl })),
    ext(`${AMD}.3.2`, new asn1js.Integer({ value: spec.spl.tee })),
    ext(`${AMD}.3.3`, new asn1js.Integer({ value: spec.spl.snp })),
    ext(`${AMD}.3.8`, new asn1js.Integer({ value: spec.spl.ucode })),
    ...(spec.kind === 'VCEK' ? [ext(`${AMD}.4`, new asn1js.OctetString({ valueHex: (spec.hwId ?? REAL_CHIP_ID).slice().buffer }))] : []),
  ];
  const vek = await issueCert({
    cn: spec.kind === 'VLEK' ? 'SEV-VLEK' : 'SEV-VCEK',
    key: k.vekPoint,
    issuer: ask,
    serial: spec.vekSerial ?? '0c',
    ca: false,
    extra,
    ...(spec.vekValidity ?? validity),
  });
  const report = REAL.slice();
  if (spec.keyInfo !== undefined) new DataView(report.buffer).setUint32(0x48, spec.keyInfo, true);
  spec.edit?.(report);
  const sig = new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-384' }, k.vek.privateKey, report.slice(0, 0x2a0)));
  report.fill(0, 0x2a0);
  for (let i = 0; i < 48; i++) {
    report[0x2a0 + i] = sig[47 - i]!;
    report[0x2e8 + i] = sig[95 - i]!;
  }
  return { ark, ask, vek, report };
}
