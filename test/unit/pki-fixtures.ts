/**
 * Real certificates and CRLs from shared/vectors, extracted independently of app/pki (regex +
 * Buffer base64), so the parsers under test do not also produce their own inputs.
 */
import { readFileSync, readdirSync } from 'node:fs';

export const VECTORS = new URL('../../../shared/vectors/', import.meta.url);

export interface DerSample {
  /** Where it came from, for test names. */
  name: string;
  der: Uint8Array;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;

export function read(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(path, VECTORS)));
}

export function pemCerts(text: string, name: string): DerSample[] {
  return [...text.matchAll(PEM_CERT)].map((m, i) => ({ name: `${name}#${i}`, der: new Uint8Array(Buffer.from(m[1]!, 'base64')) }));
}

const QUOTES = [
  'sgx/dcapqvl-v3.quote',
  'tdx/dcapqvl-v4.quote',
  'tdx/gotdx-v4-spr-e4.quote',
  'tdx/trustee-v4-debug-td.quote',
  'tdx/gotdx-v5.quote',
  'eventlog/gotdx-cos113-tdx.quote',
];

const COLLATERAL = [
  'sgx/dcapqvl-v3.collateral.json',
  'tdx/dcapqvl-v4.collateral.json',
  'tdx/pcs-fmspc-90c06f000000-2026-02-18.collateral.json',
  'tdx/gotdx-pcs-2023.collateral.json',
];

/** The PEM PCK chain embedded in a quote (leaf, intermediate CA, root). */
export function quoteChain(path: string): DerSample[] {
  return pemCerts(Buffer.from(read(path)).toString('latin1'), path);
}

function collateral(path: string): Record<string, string> {
  return JSON.parse(readFileSync(new URL(path, VECTORS), 'utf8')) as Record<string, string>;
}

/** Intel-issued certificates only (ECDSA P-256), every copy found in the vectors, de-duplicated. */
export function intelCerts(): DerSample[] {
  const all: DerSample[] = QUOTES.flatMap(quoteChain);
  for (const path of COLLATERAL) {
    const c = collateral(path);
    for (const key of ['pck_crl_issuer_chain', 'tcb_info_issuer_chain', 'qe_identity_issuer_chain']) {
      if (c[key]) all.push(...pemCerts(c[key], `${path}:${key}`));
    }
  }
  for (const f of readdirSync(new URL('tdx/gotdx-pcs-2023/', VECTORS)).filter((f) => f.endsWith('.pem'))) {
    all.push(...pemCerts(readFileSync(new URL(`tdx/gotdx-pcs-2023/${f}`, VECTORS), 'latin1'), f));
  }
  all.push({ name: 'roots/intel-sgx-root-ca.der', der: read('roots/intel-sgx-root-ca.der') });
  all.push(...pemCerts(readFileSync(new URL('roots/intel-sgx-root-ca.pem', VECTORS), 'latin1'), 'roots/intel-sgx-root-ca.pem'));
  return dedupe(all);
}

/** AMD (RSA-PSS CAs, P-384 VCEKs) and NVIDIA (P-384) certificates: they must parse too. */
export function otherCerts(): DerSample[] {
  const all: DerSample[] = [];
  for (const f of readdirSync(new URL('roots/', VECTORS)).filter((f) => f.endsWith('.pem') && !f.startsWith('intel'))) {
    all.push(...pemCerts(readFileSync(new URL(`roots/${f}`, VECTORS), 'latin1'), `roots/${f}`));
  }
  all.push(...pemCerts(readFileSync(new URL('nvidia/hopper-cert-chain.pem', VECTORS), 'latin1'), 'nvidia/hopper-cert-chain.pem'));
  all.push(...pemCerts(readFileSync(new URL('azure/snp-milan-vcek.pem', VECTORS), 'latin1'), 'azure/snp-milan-vcek.pem'));
  for (const f of ['snp/trustee-milan-vcek.vcek.der', 'snp/gosevguest-milan-vcek-debug.vcek.der']) all.push({ name: f, der: read(f) });
  return dedupe(all);
}

export function intelCrls(): DerSample[] {
  const all: DerSample[] = [];
  for (const path of COLLATERAL) {
    const c = collateral(path);
    for (const key of ['root_ca_crl', 'pck_crl']) all.push({ name: `${path}:${key}`, der: new Uint8Array(Buffer.from(c[key]!, 'hex')) });
  }
  for (const f of ['tdx/gotdx-pcs-2023/rootcrl.der', 'tdx/gotdx-pcs-2023/pckcrl-platform.der']) all.push({ name: f, der: read(f) });
  return dedupe(all);
}

function dedupe(samples: DerSample[]): DerSample[] {
  const seen = new Set<string>();
  return samples.filter((s) => {
    const key = Buffer.from(s.der).toString('hex');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A small seeded PRNG (mulberry32): reproducible mutations. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
