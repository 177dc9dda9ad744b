import { dcapCollateralNeeds } from '../../app/tee/dcap/needs.js';
import { startHttps } from './https-server.js';
import { vectorBytes } from './vectors.js';

/**
 * A loopback Intel PCS that serves the real collateral of dcap-qvl bundles (the shared vectors) at the URLs
 * the quotes need, in PCS's own response shapes: TCB info and QE identity bodies with their issuer-chain
 * headers, CRLs as DER. So the app fetches, caches and verifies recorded quotes as it would from Intel.
 */
export interface BundlePcs {
  base: string;
  ca: string;
  /** Paths asked for so far. */
  requested(): string[];
  close(): Promise<void>;
}

type Answer = { body: Buffer | string; headers: Record<string, string> };

export async function startBundlePcs(pairs: { quote: string; bundle: string }[]): Promise<BundlePcs> {
  const routes = new Map<string, Answer>();
  const server = await startHttps((req, res) => {
    const answer = routes.get(req.url ?? '');
    if (!answer) return void res.writeHead(404).end('Not Found');
    res.writeHead(200, answer.headers).end(answer.body);
  });
  for (const { quote, bundle } of pairs) {
    const b = JSON.parse(Buffer.from(vectorBytes(bundle)).toString('utf8')) as Record<string, string>;
    const chain = (key: string) => encodeURIComponent(b[key]!);
    for (const need of dcapCollateralNeeds(vectorBytes(quote), server.base)) {
      const path = need.url.slice(server.base.length);
      if (need.kind === 'tcb-info')
        routes.set(path, {
          body: `{"tcbInfo":${b.tcb_info},"signature":"${b.tcb_info_signature}"}`,
          headers: { 'Content-Type': 'application/json', 'TCB-Info-Issuer-Chain': chain('tcb_info_issuer_chain') },
        });
      if (need.kind === 'qe-identity')
        routes.set(path, {
          body: `{"enclaveIdentity":${b.qe_identity},"signature":"${b.qe_identity_signature}"}`,
          headers: { 'Content-Type': 'application/json', 'SGX-Enclave-Identity-Issuer-Chain': chain('qe_identity_issuer_chain') },
        });
      if (need.kind === 'pck-crl')
        routes.set(path, {
          body: Buffer.from(b.pck_crl!, 'hex'),
          headers: { 'Content-Type': 'application/pkix-crl', 'SGX-PCK-CRL-Issuer-Chain': chain('pck_crl_issuer_chain') },
        });
      if (need.kind === 'root-ca-crl') routes.set(path, { body: Buffer.from(b.root_ca_crl!, 'hex'), headers: { 'Content-Type': 'application/pkix-crl' } });
    }
  }
  return { base: server.base, ca: server.ca, requested: () => server.requests.map((r) => r.url), close: server.close };
}
