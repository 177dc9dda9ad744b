import { TeeError, toTeeError } from '../../app/errors.js';
import { AMD_KDS_BASE } from '../../app/tee/snp/kds-urls.js';
import { snpAtHand, snpCollateralNeeds, amdCaNames } from '../../app/tee/snp/needs.js';
import type { SnpNeed } from '../../app/tee/snp/needs.js';
import { isVek, parseVek } from '../../app/tee/snp/vek.js';
import type { CollateralFile, CollateralSet } from '../../app/collateral/types.js';
import { emptyCollateral } from '../../app/collateral/types.js';
import { loadCollateral } from '../../app/collateral/load.js';
import { PkiCache } from '../../app/pki/cache.js';
import { iso, verifyChain } from '../../app/pki/chain.js';
import type { Certificate } from '../../app/pki/x509.js';
import { defaultRoots } from '../../app/tee/registry.js';
import type { RootStore } from '../../app/roots/store.js';
import { nodeCryptoProvider } from '../node-crypto.js';
import { httpsGet } from './http.js';
import type { HttpOptions } from './http.js';
import type { CollateralCache } from './cache.js';

export interface SnpFetchOptions extends HttpOptions {
  kdsBase?: string;
  product?: string;
  cache: CollateralCache;
  at: Date;
  offline: boolean;
  /** Collateral the user (or the evidence) already supplied: not fetched again. */
  supplied?: CollateralSet;
  /** The anchors the verifier pins (default: the built-in AMD roots); a pinned ASK/ASVK makes cert_chain unneeded. */
  roots?: RootStore;
}

export interface SnpFetchResult {
  files: CollateralFile[];
  /** One line per error, for the CLI's stderr. */
  notes: string[];
  /** What could not be had: COLLATERAL_MISSING, FETCH_FAILED (network, HTTP) or MALFORMED_COLLATERAL (an answer that is not the item). */
  errors: TeeError[];
}

/** KDS answers are a few kilobytes (a VCEK ~1.4 KB, a chain ~4.6 KB, a CRL a few KB). */
const KDS_MAX_BYTES = 1024 * 1024;

/**
 * AMD KDS collateral for an SEV-SNP report: cache first, network second, one request at a time (KDS
 * answers bursts with 429). Each answer is recognised by its content (KDS's Content-Type is not relied
 * on) and checked to be the item asked for before it is cached; trust is the verifier's decision alone.
 */
export async function fetchSnpCollateral(report: Uint8Array, o: SnpFetchOptions): Promise<SnpFetchResult> {
  const pki = new PkiCache(nodeCryptoProvider());
  const pinned = ((o.roots ?? defaultRoots()).amd ?? []).map((der) => pki.cert(der));
  let plan: ReturnType<typeof snpCollateralNeeds>;
  try {
    plan = snpCollateralNeeds(report, {
      have: snpAtHand(o.supplied ?? emptyCollateral(), pinned),
      ...(o.product ? { product: o.product } : {}),
      ...(o.kdsBase ? { base: o.kdsBase } : {}),
    });
  } catch {
    return { files: [], notes: [], errors: [] }; // a report that does not parse: the verifier says why
  }
  const errors = plan.missing.map((m) => new TeeError('COLLATERAL_MISSING', m));
  const files: CollateralFile[] = [];
  for (const need of plan.needs) {
    const got = await obtain(need, o, pki, pinned);
    if (got.error) errors.push(got.error);
    if (got.body) files.push({ name: `${need.kind} (${need.url})`, bytes: got.body });
  }
  return { files, notes: errors.map((e) => e.message), errors };
}

async function obtain(need: SnpNeed, o: SnpFetchOptions, pki: PkiCache, pinned: Certificate[]): Promise<{ body?: Uint8Array; error?: TeeError }> {
  const cached = await o.cache.get(need.url);
  const body = cached && new Uint8Array(Buffer.from(cached.body, 'base64'));
  if (cached && o.cache.isFresh(cached, o.at)) return { body };
  if (o.offline) {
    const stale = cached ? ` (the cached copy is stale${cached.validUntil ? `: valid until ${cached.validUntil}` : ''})` : '';
    return { error: new TeeError('COLLATERAL_MISSING', `offline: ${snpLabel(need)} not in the cache${stale}: ${need.url}`, { url: need.url }) };
  }
  try {
    // KDS rate-limits per client and says how long to wait: honour up to 10 s of it.
    const res = await httpsGet(need.url, { maxBytes: KDS_MAX_BYTES, maxRetryWaitMs: 10_000, ...o });
    const until = checkAnswer(need, res.body, pki);
    // A chain that does not lead to a pinned ARK is handed to the verifier (which names the failure) but never
    // cached: a forged chain from a man in the middle must not outlive this run.
    if (need.kind === 'cert-chain' && !(await chainsToPinned(res.body, pki, pinned))) return { body: res.body };
    await o.cache.put({
      url: need.url,
      fetchedAt: iso(Date.now()),
      body: Buffer.from(res.body).toString('base64'),
      ...(until === undefined ? {} : { validUntil: iso(until) }),
    });
    return { body: res.body };
  } catch (e) {
    const kds = inKdsTerms(need, toTeeError(e, 'FETCH_FAILED'));
    const err = new TeeError(kds.code, `could not fetch the ${snpLabel(need)} from ${kdsName(need.url)}: ${kds.message}`, kds.detail);
    return cached ? { body, error: new TeeError(err.code, `${err.message} (using the expired cached copy)`, err.detail) } : { error: err };
  }
}

/** What each item is called where a note tells the user it is missing. */
function snpLabel(need: SnpNeed): string {
  const key = need.key === 'vlek' ? 'VLEK' : 'VCEK';
  if (need.kind === 'vcek') return key;
  return need.kind === 'amd-crl' ? `${key} CRL for ${need.product}` : `${need.key === 'vlek' ? 'ASVK' : 'ASK'} and ARK certificates for ${need.product}`;
}

/** AMD's own service by name; anything else is a mirror the user configured. */
function kdsName(url: string): string {
  const host = new URL(url).host;
  return host === new URL(AMD_KDS_BASE).host ? 'AMD KDS' : `the KDS at ${host}`;
}

async function chainsToPinned(body: Uint8Array, pki: PkiCache, pinned: Certificate[]): Promise<boolean> {
  const [intermediate] = loadCollateral([{ name: 'cert_chain', bytes: body }], pki).certs;
  const arks = pinned.filter((c) => c.subject.text === c.issuer.text);
  return intermediate !== undefined && (await verifyChain(pki, [intermediate], arks, Date.now())).ok;
}

const WHAT: Record<SnpNeed['kind'], string> = { 'cert-chain': 'a PEM certificate chain', vcek: 'a VCEK certificate', 'amd-crl': 'a CRL' };

/** The answer must be the item asked for (parsed, of the right kind and product); returns until when it is valid. */
function checkAnswer(need: SnpNeed, body: Uint8Array, pki: PkiCache): number | undefined {
  const fail = (why: string): never => {
    throw new TeeError('MALFORMED_COLLATERAL', `${need.url}: AMD KDS answered with something other than ${WHAT[need.kind]}: ${why}`, { url: need.url });
  };
  let set: CollateralSet = emptyCollateral();
  try {
    set = loadCollateral([{ name: need.kind, bytes: body }], pki);
  } catch (e) {
    fail(toTeeError(e).message);
  }
  const { certs, crls } = set;
  const names = amdCaNames(need.product, need.key);
  if (need.kind === 'amd-crl') {
    if (crls.length !== 1 || certs.length) fail(`${crls.length} CRLs and ${certs.length} certificates`);
    if (crls[0]!.crl.issuer.cn !== names.ark) fail(`a CRL issued by "${crls[0]!.crl.issuer.cn ?? crls[0]!.crl.issuer.text}", not ${names.ark}`);
    return crls[0]!.crl.nextUpdate;
  }
  if (need.kind === 'vcek') {
    if (certs.length !== 1 || crls.length || certs[0]!.subject.cn !== 'SEV-VCEK' || !isVek(certs[0]!))
      fail(`${certs.length} certificates (${certs.map((c) => c.subject.cn).join(', ')}) and ${crls.length} CRLs`);
    try {
      parseVek(certs[0]!);
    } catch (e) {
      fail(toTeeError(e).message);
    }
    return certs[0]!.notAfter;
  }
  // cert_chain: the ASK (or ASVK), then the ARK, both under this product's ARK name.
  const got = certs.map((c) => c.subject.cn ?? c.subject.text);
  if (crls.length || got.length !== 2 || got[0] !== names.intermediate || got[1] !== names.ark || certs.some((c) => c.issuer.cn !== names.ark))
    fail(`[${got.join(', ')}], expected [${names.intermediate}, ${names.ark}]`);
  return Math.min(certs[0]!.notAfter, certs[1]!.notAfter);
}

/** HTTP failures explained in terms of what KDS holds; the code and detail stay as http.ts set them. */
function inKdsTerms(need: SnpNeed, e: TeeError): TeeError {
  const status = e.detail.status;
  if (status === 404) return new TeeError(e.code, `${need.url}: 404 Not Found (${notFound(need)})`, e.detail);
  if (status === 429)
    return new TeeError(
      e.code,
      `${need.url}: 429 Too Many Requests: AMD KDS limits how often one client may ask and kept refusing after the retries; try again in a few minutes, or supply the ${need.kind} as a collateral file`,
      e.detail,
    );
  return e;
}

function notFound(need: SnpNeed): string {
  const key = need.key.toUpperCase();
  if (need.kind === 'vcek')
    return `AMD KDS has no VCEK for this chip ID and TCB: the chip ID or reported TCB may be wrong, the product (${need.product}) may be wrong, or the platform's TCB is newer than KDS knows; the host's SNP certificate table may carry the VCEK`;
  if (need.kind === 'cert-chain') return `AMD KDS has no ${key} certificate chain for ${need.product}: check the product`;
  return `AMD KDS has no ${key} CRL for ${need.product}: check the product; without it revocation cannot be checked`;
}
