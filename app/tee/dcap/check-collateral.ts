import { fail, pass } from '../../check.js';
import type { Check } from '../../check.js';
import type { ErrorCode } from '../../errors.js';
import { verifyChain, iso } from '../../pki/chain.js';
import type { Certificate } from '../../pki/x509.js';
import { sameName } from '../../pki/name.js';
import type { SignedJson } from '../../collateral/types.js';
import type { DcapContext } from './context.js';

interface Dated {
  issueDate: number;
  nextUpdate: number;
}

interface Problem {
  code: ErrorCode;
  message: string;
}

const TCB_SIGNING_CN = 'Intel SGX TCB Signing';

/**
 * Signature and validity window of an Intel-signed JSON document (TCB info, QE identity):
 * the TCB Signing certificate must chain to the pinned root and not be revoked, and the
 * document must be inside issueDate..nextUpdate at the verification time.
 */
export async function signedJsonChecks(ctx: DcapContext, item: SignedJson<Dated>, idPrefix: string, what: string, url: string): Promise<Check[]> {
  const sigTitle = `${what} is signed by Intel`;
  const problem = await signatureProblem(ctx, item);
  const sigCheck = problem
    ? fail(`${idPrefix}.signature`, sigTitle, `${item.source}: ${problem.message}`, problem.code, `Fetch the ${what} again from Intel PCS: ${url}`)
    : pass(`${idPrefix}.signature`, sigTitle, `The ${what} (${item.source}) is signed by the Intel SGX TCB Signing key, which chains to the pinned Intel SGX Root CA.`);
  const { issueDate, nextUpdate } = item.body;
  const chainExpired = signingChain(ctx, item).filter((c) => ctx.at < c.notBefore || ctx.at > c.notAfter);
  const valTitle = `${what} is current`;
  let valCheck: Check;
  if (ctx.at < issueDate || ctx.at > nextUpdate) {
    valCheck = fail(`${idPrefix}.validity`, valTitle, `The ${what} is valid from ${iso(issueDate)} until ${iso(nextUpdate)}, not at ${iso(ctx.at)}. Intel may have published newer TCB levels or advisories since.`, 'COLLATERAL_EXPIRED', `Refresh the ${what} from Intel PCS (${url}); this copy was valid until ${iso(nextUpdate)}.`);
  } else if (chainExpired.length > 0) {
    valCheck = fail(`${idPrefix}.validity`, valTitle, `The signing certificate "${chainExpired[0]!.subject.cn}" is valid ${iso(chainExpired[0]!.notBefore)} to ${iso(chainExpired[0]!.notAfter)}, not at ${iso(ctx.at)}.`, 'CERT_EXPIRED', `Fetch current collateral: ${url}`);
  } else {
    valCheck = pass(`${idPrefix}.validity`, valTitle, `Issued ${iso(issueDate)}, next update due ${iso(nextUpdate)}: current at ${iso(ctx.at)}.`);
  }
  return [sigCheck, valCheck];
}

function signingChain(ctx: DcapContext, item: SignedJson<unknown>): Certificate[] {
  if (item.chain.length > 0) return item.chain;
  const signer = ctx.collateral.certs.find((c) => c.subject.cn === TCB_SIGNING_CN);
  return signer ? [signer] : [];
}

function signatureProblem(ctx: DcapContext, item: SignedJson<unknown>): Promise<Problem | undefined> {
  let cached = ctx.collateralSignatures.get(item) as Promise<Problem | undefined> | undefined;
  if (!cached) {
    cached = computeSignatureProblem(ctx, item);
    ctx.collateralSignatures.set(item, cached as Promise<never>);
  }
  return cached.then((p) => p ?? revokedSigner(ctx, item));
}

async function computeSignatureProblem(ctx: DcapContext, item: SignedJson<unknown>): Promise<Problem | undefined> {
  const chain = signingChain(ctx, item);
  if (chain.length === 0) return { code: 'COLLATERAL_MISSING', message: 'the issuer chain (Intel SGX TCB Signing certificate) was not supplied, so the signature cannot be checked.' };
  // Validity of the signing chain is judged per call at `at`; here only its signatures are checked (and cached).
  const result = await verifyChain(ctx.cache, chain, ctx.roots, ctx.at);
  if (!result.ok) return { code: 'CERT_CHAIN_INVALID', message: `the signing certificate chain is invalid: ${result.problem}.` };
  const signer = chain[0]!;
  if (signer.subject.cn !== TCB_SIGNING_CN || !signer.publicKey.point || signer.publicKey.curve !== 'P-256') {
    return { code: 'COLLATERAL_SIGNATURE_INVALID', message: `it is signed by "${signer.subject.text}", not by the Intel SGX TCB Signing key.` };
  }
  const ok = await ctx.crypto.verifyEcdsa({ curve: 'P-256', hash: 'SHA-256', publicKey: signer.publicKey.point, signature: item.signature, message: item.signed });
  return ok ? undefined : { code: 'COLLATERAL_SIGNATURE_INVALID', message: 'the signature does not verify: the document or its signature was altered.' };
}

/** The root CA CRL, when supplied and itself valid, must not list the TCB Signing certificate. */
async function revokedSigner(ctx: DcapContext, item: SignedJson<unknown>): Promise<Problem | undefined> {
  const chain = signingChain(ctx, item);
  const signer = chain[0];
  const top = chain[chain.length - 1];
  const root = top && ctx.roots.find((r) => sameName(r.subject, top.issuer));
  if (!signer || !root) return undefined;
  const crl = ctx.collateral.crls.find((c) => sameName(c.crl.issuer, root.subject))?.crl;
  if (!crl || !crl.revokedSerials.has(signer.serialHex)) return undefined;
  if (!(await ctx.cache.verify(crl, root.publicKey, true))) return undefined; // reported by dcap.crl.root
  return { code: 'CERT_REVOKED', message: `the Intel SGX Root CA has revoked the signing certificate (serial ${signer.serialHex}).` };
}
