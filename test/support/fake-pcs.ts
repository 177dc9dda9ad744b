import { createServer } from 'node:https';
import type { Server } from 'node:https';
import { readFileSync } from 'node:fs';
import { VECTORS_DIR } from './vectors.js';
import { testTls } from './tls.js';

/**
 * A local Intel PCS v4 / PCCS replaying go-tdx-guest's recorded responses (tdx/gotdx-pcs-2023) with
 * their real issuer-chain headers, and AMD KDS serving a recorded VCEK (no AMD CRL is recorded: 404), on 127.0.0.1 behind a test CA. `faults` injects failures by path.
 */
export interface FakePcs {
  base: string;
  ca: string;
  requests: string[];
  faults: Map<string, 'garbage' | '429-once' | 'huge' | 'hang' | '500'>;
  close(): Promise<void>;
}

const DIR = `${VECTORS_DIR}tdx/gotdx-pcs-2023/`;
const MILAN_CHIP = readFileSync(`${VECTORS_DIR}snp/trustee-milan-vcek.report`).subarray(0x1a0, 0x1e0).toString('hex');
const file = (f: string) => readFileSync(DIR + f);
const chain = (f: string) => encodeURIComponent(readFileSync(DIR + f, 'utf8'));

export async function startFakePcs(): Promise<FakePcs> {
  const tls = testTls();
  const requests: string[] = [];
  const faults = new Map<string, 'garbage' | '429-once' | 'huge' | 'hang' | '500'>();
  const routes: Record<string, () => { body: Buffer | string; headers: Record<string, string> }> = {
    '/tdx/certification/v4/tcb?fmspc=50806f000000': () => ({ body: file('tcbinfo-fmspc-50806f000000.json'), headers: { 'Content-Type': 'application/json', 'TCB-Info-Issuer-Chain': chain('tcb-info-issuer-chain.pem') } }),
    '/tdx/certification/v4/qe/identity': () => ({ body: file('qe-identity-td-qe.json'), headers: { 'Content-Type': 'application/json', 'SGX-Enclave-Identity-Issuer-Chain': chain('tcb-info-issuer-chain.pem') } }),
    '/sgx/certification/v4/pckcrl?ca=platform&encoding=der': () => ({ body: file('pckcrl-platform.der'), headers: { 'Content-Type': 'application/pkix-crl', 'SGX-PCK-CRL-Issuer-Chain': chain('pck-crl-issuer-chain.pem') } }),
    // PCCS serves the root CA CRL as hex text.
    '/sgx/certification/v4/rootcacrl': () => ({ body: file('rootcrl.der').toString('hex'), headers: { 'Content-Type': 'text/plain' } }),
  };
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const path = req.url ?? '';
    requests.push(path);
    const fault = faults.get(path);
    if (fault === 'hang') return;
    if (fault === '500') return void res.writeHead(500).end();
    if (fault === '429-once') {
      faults.delete(path);
      return void res.writeHead(429, { 'Retry-After': '0' }).end();
    }
    // AMD KDS: the recorded VCEK of the trustee Milan report, by its chip ID and reported TCB.
    if (path.startsWith('/vcek/v1/Milan/') && path.endsWith('?blSPL=3&teeSPL=0&snpSPL=8&ucodeSPL=115') && path.includes(MILAN_CHIP)) {
      return void res.writeHead(200, { 'Content-Type': 'application/pkix-cert' }).end(readFileSync(`${VECTORS_DIR}snp/trustee-milan-vcek.vcek.der`));
    }
    const route = routes[path];
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
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
