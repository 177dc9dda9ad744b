/**
 * A synthetic Intel-like PKI for tests that real vectors cannot reach (nobody can sign as Intel):
 * a test "Intel SGX Root CA", a PCK Platform/Processor CA, a PCK leaf with the SGX extension,
 * the "Intel SGX TCB Signing" certificate and both CRLs. ECDSA P-256 / SHA-256 throughout,
 * WebCrypto for keys and signatures, pkijs for the X.509 and CRL encoding.
 */
import * as asn1js from 'asn1js';
import type { PckExtensions } from '../../app/tee/dcap/pck-extensions.js';
import * as pkijs from 'pkijs';

const subtle = globalThis.crypto.subtle;
const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** The fixed verification time every default below is valid at. */
export const AT = new Date('2025-06-01T00:00:00Z');

export interface KeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** Uncompressed point, 0x04 || x || y. */
  point: Uint8Array;
}

export async function newKey(): Promise<KeyPair> {
  const pair = await subtle.generateKey(ECDSA, true, ['sign', 'verify']);
  const point = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, point };
}

/** Raw r || s (64 bytes), the form Intel uses inside quotes and for collateral JSON. */
export async function signRaw(key: KeyPair, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key.privateKey, data.slice()));
}

export type KeyName = 'root' | 'impostorRoot' | 'pckCa' | 'pck' | 'tcbSigning' | 'attestation' | 'other';
type Keys = Record<KeyName, KeyPair>;
let keyCache: Promise<Keys> | undefined;

/** One key per role, generated once per process and reused by every scenario. */
export function testKeys(): Promise<Keys> {
  keyCache ??= (async () => {
    const names: KeyName[] = ['root', 'impostorRoot', 'pckCa', 'pck', 'tcbSigning', 'attestation', 'other'];
    const pairs = await Promise.all(names.map(() => newKey()));
    return Object.fromEntries(names.map((n, i) => [n, pairs[i]!])) as Keys;
  })();
  return keyCache;
}

export const ROOT_CN = 'Intel SGX Root CA';

/** "CN=<cn>, O=Intel Corporation, L=Santa Clara, ST=CA, C=US", encoded as Intel does (UTF8String, C as PrintableString). */
export function intelName(cn: string): pkijs.RelativeDistinguishedNames {
  const rdn = (type: string, value: asn1js.BaseStringBlock) =>
    new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: type }), value] })] });
  const name = new asn1js.Sequence({
    value: [
      rdn('2.5.4.3', new asn1js.Utf8String({ value: cn })),
      rdn('2.5.4.10', new asn1js.Utf8String({ value: 'Intel Corporation' })),
      rdn('2.5.4.7', new asn1js.Utf8String({ value: 'Santa Clara' })),
      rdn('2.5.4.8', new asn1js.Utf8String({ value: 'CA' })),
      rdn('2.5.4.6', new asn1js.PrintableString({ value: 'US' })),
    ],
  });
  // pkijs would put every attribute into one multi-valued RDN; parsing our own encoding keeps one RDN per attribute.
  return new pkijs.RelativeDistinguishedNames({ schema: asn1js.fromBER(name.toBER(false)).result });
}

export interface Issued {
  der: Uint8Array;
  pem: string;
  cn: string;
  key: KeyPair;
  /** As the verifier formats serials: lower-case hex without leading zero bytes. */
  serialHex: string;
}

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

export interface CertSpec extends Validity {
  cn: string;
  key: KeyPair;
  /** Self-signed when absent. */
  issuer?: Issued;
  /** Positive serial as hex. */
  serial: string;
  ca: boolean;
  extra?: pkijs.Extension[];
  /** Key usage bits instead of the default (CA: keyCertSign + cRLSign; leaf: digitalSignature + nonRepudiation); null leaves the extension out. */
  keyUsage?: KeyUsageBits | null;
  /** pathLenConstraint of a CA instead of Intel's (root 1, others 0); null leaves it out. */
  pathLen?: number | null;
}

/** KeyUsage named bits (RFC 5280 4.2.1.3) a test may set. */
export interface KeyUsageBits {
  digitalSignature?: boolean;
  nonRepudiation?: boolean;
  keyCertSign?: boolean;
  cRLSign?: boolean;
}

function integer(hex: string): asn1js.Integer {
  let bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return new asn1js.Integer({ valueHex: bytes });
}

function normalSerial(hex: string): string {
  return hex.toLowerCase().replace(/^(00)+(?=..)/, '');
}

function ext(extnID: string, critical: boolean, value: asn1js.AsnType): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

const KEY_USAGE_BIT: Record<keyof KeyUsageBits, number> = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5, cRLSign: 6 };

/** KeyUsage as DER names it: bit 0 is the first octet's high bit, trailing zero bits dropped (X.690 11.2.2). */
function keyUsage(bits: KeyUsageBits): pkijs.Extension {
  const set = Object.entries(bits)
    .filter(([, on]) => on)
    .map(([name]) => KEY_USAGE_BIT[name as keyof KeyUsageBits]);
  const high = Math.max(-1, ...set);
  const octet = set.reduce((b, i) => b | (0x80 >> i), 0);
  const value = high < 0 ? new Uint8Array(0) : new Uint8Array([octet]);
  return ext('2.5.29.15', true, new asn1js.BitString({ valueHex: value.buffer, unusedBits: high < 0 ? 0 : 7 - high }));
}

const DEFAULT_KEY_USAGE = (ca: boolean): KeyUsageBits => (ca ? { keyCertSign: true, cRLSign: true } : { digitalSignature: true, nonRepudiation: true });

/** A critical extension with `oid` and a NULL value: one the verifier does not process (use an unassigned OID, e.g. under 2.25). */
export function unknownCriticalExtension(oid: string): pkijs.Extension {
  return ext(oid, true, new asn1js.Null());
}

export async function issueCert(spec: CertSpec): Promise<Issued> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = integer(spec.serial);
  cert.subject = intelName(spec.cn);
  cert.issuer = intelName(spec.issuer?.cn ?? spec.cn);
  cert.notBefore = new pkijs.Time({ type: pkijs.TimeType.UTCTime, value: spec.notBefore });
  cert.notAfter = new pkijs.Time({ type: pkijs.TimeType.UTCTime, value: spec.notAfter });
  await cert.subjectPublicKeyInfo.importKey(spec.key.publicKey);
  // As Intel's: the root allows one CA below it (pathLen 1), the PCK CAs none (pathLen 0).
  const pathLen = spec.pathLen === undefined ? (spec.issuer ? 0 : 1) : spec.pathLen;
  const basic = new pkijs.BasicConstraints(spec.ca ? { cA: true, ...(pathLen === null ? {} : { pathLenConstraint: pathLen }) } : {});
  const usage = spec.keyUsage === null ? [] : [keyUsage(spec.keyUsage ?? DEFAULT_KEY_USAGE(spec.ca))];
  cert.extensions = [ext('2.5.29.19', true, basic.toSchema()), ...usage, ...(spec.extra ?? [])];
  await cert.sign((spec.issuer?.key ?? spec.key).privateKey, 'SHA-256');
  const der = new Uint8Array(cert.toSchema(true).toBER(false));
  return { der, pem: toPem('CERTIFICATE', der), cn: spec.cn, key: spec.key, serialHex: normalSerial(spec.serial) };
}

export interface CrlSpec {
  thisUpdate: Date;
  nextUpdate: Date;
  /** Revoked serials as hex. */
  revoked: string[];
}

export async function issueCrl(issuer: Issued, spec: CrlSpec): Promise<Uint8Array> {
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = intelName(issuer.cn);
  crl.thisUpdate = new pkijs.Time({ type: pkijs.TimeType.UTCTime, value: spec.thisUpdate });
  crl.nextUpdate = new pkijs.Time({ type: pkijs.TimeType.UTCTime, value: spec.nextUpdate });
  if (spec.revoked.length > 0) {
    crl.revokedCertificates = spec.revoked.map(
      (serial) =>
        new pkijs.RevokedCertificate({
          userCertificate: integer(serial),
          revocationDate: new pkijs.Time({ type: pkijs.TimeType.UTCTime, value: spec.thisUpdate }),
        }),
    );
  }
  crl.crlExtensions = new pkijs.Extensions({ extensions: [ext('2.5.29.20', false, new asn1js.Integer({ value: 1 }))] });
  await crl.sign(issuer.key.privateKey, 'SHA-256');
  return new Uint8Array(crl.toSchema(true).toBER(false));
}

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The values carried in the PCK leaf's SGX extension (1.2.840.113741.1.13.1): the parser's own type. */
export type PckValues = Omit<PckExtensions, 'platformInstanceId' | 'configuration'>;

const SGX_OID = '1.2.840.113741.1.13.1';

export function sgxExtension(v: PckValues): pkijs.Extension {
  const item = (arc: string, value: asn1js.AsnType) => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: `${SGX_OID}.${arc}` }), value] });
  const octets = (b: Uint8Array) => new asn1js.OctetString({ valueHex: b.slice().buffer });
  const tcb = [
    ...v.tcbComponents.map((svn, i) => item(`2.${i + 1}`, new asn1js.Integer({ value: svn }))),
    item('2.17', new asn1js.Integer({ value: v.pceSvn })),
    item('2.18', octets(v.cpuSvn)),
  ];
  const body = new asn1js.Sequence({
    value: [
      item('1', octets(v.ppid)),
      item('2', new asn1js.Sequence({ value: tcb })),
      item('3', octets(v.pceId)),
      item('4', octets(v.fmspc)),
      item('5', new asn1js.Enumerated({ value: v.sgxType })),
    ],
  });
  return ext(SGX_OID, false, body);
}

const d = (s: string) => new Date(s);

export const DEFAULT_PCK: PckValues = {
  ppid: new Uint8Array(16).fill(0x42),
  tcbComponents: [4, 4, 3, 3, 255, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0],
  pceSvn: 13,
  cpuSvn: Uint8Array.from([4, 4, 3, 3, 255, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0]),
  pceId: new Uint8Array(2),
  fmspc: Uint8Array.from([0x00, 0x90, 0x6e, 0xd5, 0x00, 0x00]),
  sgxType: 0,
};

export interface PkiOptions {
  pckCaKind: 'Platform' | 'Processor';
  pck: PckValues;
  /** Which key signs the root the quote's chain ends in: the pinned test root, or an impostor with the same name. */
  quoteRoot: 'root' | 'impostorRoot';
  pckCaValidity: Validity;
  pckValidity: Validity;
  tcbSigningValidity: Validity;
  serials: { pckCa: string; pck: string; tcbSigning: string };
  rootCrl: CrlSpec;
  pckCrl: CrlSpec;
  /** How the PCK CA departs from Intel's profile (key usage, pathLen, an unknown critical extension OID). */
  pckCaProfile?: CaProfile;
  /** An unknown critical extension (this OID) on the PCK leaf. */
  pckCriticalOid?: string;
}

export interface CaProfile {
  keyUsage?: KeyUsageBits | null;
  pathLen?: number | null;
  criticalOid?: string;
}

export const DEFAULT_SERIALS = { pckCa: '0d0e0a0d', pck: '81b77732b761e98eb9b963a4abd1e5b9bf5dd8d6', tcbSigning: '7e3882d5fb55294a40498e458403e91491bdf455' };
const CRL_WINDOW = { thisUpdate: d('2025-05-20T00:00:00Z'), nextUpdate: d('2025-06-19T00:00:00Z') };

export const DEFAULT_PKI: PkiOptions = {
  pckCaKind: 'Platform',
  pck: DEFAULT_PCK,
  quoteRoot: 'root',
  pckCaValidity: { notBefore: d('2018-05-21T10:50:10Z'), notAfter: d('2033-05-21T10:50:10Z') },
  pckValidity: { notBefore: d('2024-01-10T00:00:00Z'), notAfter: d('2031-01-10T00:00:00Z') },
  tcbSigningValidity: { notBefore: d('2025-05-06T09:25:00Z'), notAfter: d('2032-05-06T09:25:00Z') },
  serials: DEFAULT_SERIALS,
  rootCrl: { ...CRL_WINDOW, revoked: ['0badc0de'] },
  pckCrl: { ...CRL_WINDOW, revoked: ['0badbeef'] },
};

const ROOT_VALIDITY = { notBefore: d('2018-05-21T10:45:10Z'), notAfter: d('2049-12-31T23:59:59Z') };
const rootCache = new Map<KeyName, Promise<Issued>>();

/** A self-signed "Intel SGX Root CA", made once per key so every scenario pins the same bytes. */
export function rootCert(key: 'root' | 'impostorRoot' = 'root'): Promise<Issued> {
  let root = rootCache.get(key);
  if (!root) {
    root = testKeys().then((k) =>
      issueCert({
        cn: ROOT_CN,
        key: k[key],
        serial: key === 'root' ? '22650cd65a9d3489f383b49552bf501b' : '22650cd65a9d3489f383b49552bf501c',
        ca: true,
        ...ROOT_VALIDITY,
      }),
    );
    rootCache.set(key, root);
  }
  return root;
}

export interface TestPki {
  /** The root to pin (always the genuine test root). */
  root: Issued;
  /** The root the quote's chain ends in (the impostor when quoteRoot is 'impostorRoot'). */
  quoteRoot: Issued;
  pckCa: Issued;
  pck: Issued;
  tcbSigning: Issued;
  rootCrl: Uint8Array;
  pckCrl: Uint8Array;
  /** The values in the PCK leaf's SGX extension. */
  pckValues: PckValues;
  keys: Keys;
}

const pkiCache = new Map<string, Promise<TestPki>>();

/** The hierarchy for these options; identical options share one build (certificates are immutable bytes). */
export function buildPki(options: Partial<PkiOptions> = {}): Promise<TestPki> {
  const key = JSON.stringify(options, (_, v: unknown) => (v instanceof Uint8Array ? toHex(v) : v));
  let pki = pkiCache.get(key);
  if (!pki) {
    pki = makePki({ ...DEFAULT_PKI, ...options });
    pkiCache.set(key, pki);
  }
  return pki;
}

async function makePki(o: PkiOptions): Promise<TestPki> {
  const keys = await testKeys();
  const root = await rootCert('root');
  const quoteRoot = await rootCert(o.quoteRoot);
  const profile = o.pckCaProfile ?? {};
  const pckCa = await issueCert({
    cn: `Intel SGX PCK ${o.pckCaKind} CA`,
    key: keys.pckCa,
    issuer: quoteRoot,
    serial: o.serials.pckCa,
    ca: true,
    ...o.pckCaValidity,
    ...(profile.keyUsage !== undefined ? { keyUsage: profile.keyUsage } : {}),
    ...(profile.pathLen !== undefined ? { pathLen: profile.pathLen } : {}),
    ...(profile.criticalOid ? { extra: [unknownCriticalExtension(profile.criticalOid)] } : {}),
  });
  const pckExtra = [sgxExtension(o.pck), ...(o.pckCriticalOid ? [unknownCriticalExtension(o.pckCriticalOid)] : [])];
  const pck = await issueCert({
    cn: 'Intel SGX PCK Certificate',
    key: keys.pck,
    issuer: pckCa,
    serial: o.serials.pck,
    ca: false,
    extra: pckExtra,
    ...o.pckValidity,
  });
  const tcbSigning = await issueCert({
    cn: 'Intel SGX TCB Signing',
    key: keys.tcbSigning,
    issuer: root,
    serial: o.serials.tcbSigning,
    ca: false,
    ...o.tcbSigningValidity,
  });
  const rootCrl = await issueCrl(root, o.rootCrl);
  const pckCrl = await issueCrl(pckCa, o.pckCrl);
  return { root, quoteRoot, pckCa, pck, tcbSigning, rootCrl, pckCrl, pckValues: o.pck, keys };
}

/** The PCK chain as quotes carry it: leaf, PCK CA, root, PEM, NUL-terminated. */
export function pckChainPem(pki: TestPki): string {
  return `${pki.pck.pem}${pki.pckCa.pem}${pki.quoteRoot.pem}\0`;
}
