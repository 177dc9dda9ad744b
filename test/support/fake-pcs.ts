import { createServer } from 'node:https';
import type { Server } from 'node:https';
import { readFileSync } from 'node:fs';
import { VECTORS_DIR } from './vectors.js';
import { testTls } from './tls.js';
import { parseKdsUrl } from '../../app/tee/snp/kds-urls.js';

/**
 * A local Intel PCS v4 / PCCS replaying go-tdx-guest's recorded responses (tdx/gotdx-pcs-2023) with
 * their real issuer-chain headers, and an AMD KDS, on 127.0.0.1 behind a test CA. `faults` injects
 * failures by path (and query).
 *
 * The KDS routes requests with parseKdsUrl, the inverse of the client's URL builders, so a request the
 * real KDS would refuse is a 404 here too. It serves the recorded VCEK of the trustee Milan report (by
 * its chip ID and reported TCB) and AMD's cert_chain bodies as go-sev-guest records them (roots/); no
 * AMD CRL is recorded, so CRLs are 404 unless a test installs one in `kds`.
 */
export type Fault = 'garbage' | '429-once' | '429-once-slow' | '429-always' | 'huge' | 'hang' | '500';

export interface KdsAnswer {
  body: Uint8Array | string;
  type: string;
}

export interface FakePcs {
  base: string;
  ca: string;
  requests: string[];
  faults: Map<string, Fault>;
  /** KDS answers a test sets, by path and query; they take precedence over the recorded ones. */
  kds: Map<string, KdsAnswer>;
  close(): Promise<void>;
}

const DIR = `${VECTORS_DIR}tdx/gotdx-pcs-2023/`;
const MILAN_CHIP = readFileSync(`${VECTORS_DIR}snp/trustee-milan-vcek.report`).subarray(0x1a0, 0x1e0).toString('hex');
const file = (f: string) => readFileSync(DIR + f);
const chain = (f: string) => encodeURIComponent(readFileSync(DIR + f, 'utf8'));

/** The recorded KDS answer for a path, if any. */
function recordedKds(path: string): KdsAnswer | undefined {
  const req = parseKdsUrl(path);
  if (req?.item === 'vcek') {
    const { bootloader, tee, snp, microcode } = req.tcb;
    const trustee = req.product === 'Milan' && Buffer.from(req.hwid).toString('hex') === MILAN_CHIP && [bootloader, tee, snp, microcode].join() === '3,0,8,115';
    return trustee ? { body: readFileSync(`${VECTORS_DIR}snp/trustee-milan-vcek.vcek.der`), type: 'application/pkix-cert' } : undefined;
  }
  if (req?.item === 'cert_chain') {
    const name = `amd-${req.product.toLowerCase()}-${req.key === 'vlek' ? 'vlek-asvk' : 'vcek-ask'}-ark.pem`;
    return { body: readFileSync(`${VECTORS_DIR}roots/${name}`), type: 'application/x-pem-file' };
  }
  return undefined;
}

export async function startFakePcs(): Promise<FakePcs> {
  const tls = testTls();
  const requests: string[] = [];
  const faults = new Map<string, Fault>();
  const kds = new Map<string, KdsAnswer>();
  const routes: Record<string, () => { body: Buffer | string; headers: Record<string, string> }> = {
    '/tdx/certification/v4/tcb?fmspc=50806f000000': () => ({
      body: file('tcbinfo-fmspc-50806f000000.json'),
      headers: { 'Content-Type': 'application/json', 'TCB-Info-Issuer-Chain': chain('tcb-info-issuer-chain.pem') },
    }),
    '/tdx/certification/v4/qe/identity': () => ({
      body: file('qe-identity-td-qe.json'),
      headers: { 'Content-Type': 'application/json', 'SGX-Enclave-Identity-Issuer-Chain': chain('tcb-info-issuer-chain.pem') },
    }),
    '/sgx/certification/v4/pckcrl?ca=platform&encoding=der': () => ({
      body: file('pckcrl-platform.der'),
      headers: { 'Content-Type': 'application/pkix-crl', 'SGX-PCK-CRL-Issuer-Chain': chain('pck-crl-issuer-chain.pem') },
    }),
    // PCCS serves the root CA CRL as hex text.
    '/sgx/certification/v4/rootcacrl': () => ({ body: file('rootcrl.der').toString('hex'), headers: { 'Content-Type': 'text/plain' } }),
  };
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const path = req.url ?? '';
    requests.push(path);
    const fault = faults.get(path);
    if (fault === 'hang') return;
    if (fault === '500') return void res.writeHead(500).end();
    if (fault === '429-always') return void res.writeHead(429, { 'Retry-After': '0' }).end('Too Many Requests');
    if (fault === '429-once' || fault === '429-once-slow') {
      faults.delete(path);
      return void res.writeHead(429, { 'Retry-After': fault === '429-once' ? '0' : '1' }).end();
    }
    const kdsAnswer = kds.get(path) ?? recordedKds(path);
    const route = routes[path] ?? (kdsAnswer && (() => ({ body: kdsAnswer.body, headers: { 'Content-Type': kdsAnswer.type } })));
    if (!route) return void res.writeHead(404).end('Not Found');
    const { body, headers } = route();
    if (fault === 'garbage') return void res.writeHead(200, headers).end('<html>maintenance</html>');
    if (fault === 'huge') return void res.writeHead(200, headers).end(Buffer.alloc(9 * 1024 * 1024, 0x20));
    res.writeHead(200, headers).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    base: `https://127.0.0.1:${port}`,
    ca: tls.ca,
    requests,
    faults,
    kds,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
