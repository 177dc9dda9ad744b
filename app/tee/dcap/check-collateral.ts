import { fail, pass } from '../../check.js';
import type { Check, CheckSpec } from '../../check.js';
import { verifyChain, iso } from '../../pki/chain.js';
import { verifyCrlSignature } from '../../pki/crl-issuer.js';
import type { Certificate } from '../../pki/x509.js';
import { sameName } from '../../pki/name.js';
import { equalBytes } from '../../bytes/hex.js';
import type { SignedJson } from '../../collateral/types.js';
import type { DcapContext } from './context.js';
import type { Problem } from './signature-cache.js';
import { chooseCrl } from './check-revocation.js';

interface Dated {
  issueDate: number;
  nextUpdate: number;
  tcbEvaluationDataNumber: number;
}

const TCB_SIGNING_CN = 'Intel SGX TCB Signing';

/** One signed document judged at `at`: the signer chain it was checked with and what is wrong, if anything. */
export interface Assessment<T extends Dated> {
  item: SignedJson<T>;
  chain: Certificate[];
  /** Signature, chain or revocation problem; undefined when Intel's signature holds. */
  problem?: Problem;
  /** Certificates of `chain` outside their validity at `at`. */
  expired: Certificate[];
  /** `at` lies within issueDate..nextUpdate. */
  current: boolean;
}

export function usable(a: Assessment<Dated>): boolean {
  return !a.problem && a.current && a.expired.length === 0;
}

/**
 * Of several documents of one kind (two TCB infos for one FMSPC, two QE identities), the one to use:
 * the newest (highest tcbEvaluationDataNumber, then latest issueDate) that is current at `at` and
 * whose signature verifies. When none is usable, the newest, so that its problem is reported. The
 * order the files were given in never decides.
 */
export async function chooseNewest<T extends Dated>(ctx: DcapContext, items: readonly SignedJson<T>[]): Promise<Assessment<T> | undefined> {
  const sorted = [...items].sort((a, b) => b.body.tcbEvaluationDataNumber - a.body.tcbEvaluationDataNumber || b.body.issueDate - a.body.issueDate);
  const assessed: Assessment<T>[] = [];
  for (const item of sorted) {
    const a = await assess(ctx, item);
    if (usable(a)) return a;
    assessed.push(a);
  }
  return assessed[0];
}

/** Signature (with the first signer chain that verifies), revocation of the signer, and currency at `at`. */
export async function assess<T extends Dated>(ctx: DcapContext, item: SignedJson<T>): Promise<Assessment<T>> {
  const candidates = signerChains(ctx, item);
  let first: { chain: Certificate[]; problem?: Problem } | undefined;
  for (const chain of candidates) {
    const problem = (await signatureProblem(ctx, item, chain)) ?? (await revokedSigner(ctx, chain));
    if (!problem) {
      first = { chain };
      break;
    }
    first ??= { chain, problem };
  }
  const chain = first?.chain ?? [];
  const problem = first
    ? first.problem
    : {
        code: 'COLLATERAL_MISSING' as const,
        message: 'the issuer chain (Intel SGX TCB Signing certificate) was not supplied, so the signature cannot be checked.',
      };
  const current = ctx.at >= item.body.issueDate && ctx.at <= item.body.nextUpdate;
  return { item, chain, expired: chain.filter((c) => ctx.at < c.notBefore || ctx.at > c.notAfter), current, ...(problem ? { problem } : {}) };
}

/** The catalogue entries of one kind of signed document's signature and currency checks. */
export interface SignedJsonSpecs {
  signature: CheckSpec;
  validity: CheckSpec;
}

/** The signature and validity checks of the chosen document; marks it and its supplied signer chain used. */
export function signedJsonChecks(ctx: DcapContext, a: Assessment<Dated>, specs: SignedJsonSpecs, what: string, url: string): Check[] {
  const { item, problem } = a;
  markUsed(ctx, a);
  const sigCheck = problem
    ? fail(specs.signature, `${item.source}: ${problem.message}`, problem.code, `Fetch the ${what} again from Intel PCS: ${url}`)
    : pass(
        specs.signature,
        `The ${what} (${item.source}) is signed by the Intel SGX TCB Signing key (${signerOrigin(ctx, a.chain)}), which chains to the pinned Intel SGX Root CA.`,
      );
  return [sigCheck, validityCheck(ctx, a, specs.validity, what, url)];
}

function validityCheck(ctx: DcapContext, a: Assessment<Dated>, spec: CheckSpec, what: string, url: string): Check {
  const { issueDate, nextUpdate } = a.item.body;
  const expired = a.expired[0];
  // The signer's validity is named even when the document is also out of date: both must be fixed.
  const signerText = expired
    ? ` The signing certificate "${expired.subject.cn}" is valid ${iso(expired.notBefore)} to ${iso(expired.notAfter)}, not at ${iso(ctx.at)}.`
    : '';
  if (!a.current) {
    return fail(
      spec,
      `The ${what} is valid from ${iso(issueDate)} until ${iso(nextUpdate)}, not at ${iso(ctx.at)}. Intel may have published newer TCB levels or advisories since.${signerText}`,
      'COLLATERAL_EXPIRED',
      `Refresh the ${what} from Intel PCS (${url}); this copy was valid until ${iso(nextUpdate)}.`,
    );
  }
  if (expired) return fail(spec, signerText.trim(), 'CERT_EXPIRED', `Fetch current collateral: ${url}`);
  return pass(spec, `Issued ${iso(issueDate)}, next update due ${iso(nextUpdate)}: current at ${iso(ctx.at)}.`);
}

/**
 * The chains to try for this document: its own issuer chain when it came with one (a bundle, or PCS
 * headers); otherwise, for a bare PCS body, a supplied "Intel SGX TCB Signing" certificate and then the
 * known ones from app/roots/intel.ts. Those valid at `at` come first. Each is verified to the pinned
 * root on every use, so a known certificate is a convenience, never trusted by itself.
 */
function signerChains(ctx: DcapContext, item: SignedJson<unknown>): Certificate[][] {
  if (item.chain.length > 0) return [item.chain];
  const supplied = ctx.collateral.certs.filter((c) => c.subject.cn === TCB_SIGNING_CN);
  const unique: Certificate[] = [];
  for (const c of [...supplied, ...ctx.tcbSigners]) if (!unique.some((u) => equalBytes(u.der, c.der))) unique.push(c);
  const valid = (c: Certificate) => ctx.at >= c.notBefore && ctx.at <= c.notAfter;
  // When none is valid at `at`, the most recent first: its expiry is the one worth reporting.
  const lapsed = unique.filter((c) => !valid(c)).sort((a, b) => b.notAfter - a.notAfter);
  return [...unique.filter(valid), ...lapsed].map((c) => [c]);
}

function signerOrigin(ctx: DcapContext, chain: readonly Certificate[]): string {
  const signer = chain[0];
  if (!signer) return 'no certificate';
  return ctx.tcbSigners.includes(signer)
    ? `the known Intel certificate valid ${iso(signer.notBefore)} to ${iso(signer.notAfter)}, as the body came without its issuer chain`
    : `serial ${signer.serialHex}`;
}

/** Collateral items (not the built-in known certificates, not the pinned roots) this document relied on. */
function markUsed(ctx: DcapContext, a: Assessment<Dated>): void {
  ctx.used.add(a.item);
  for (const c of a.chain) if (!ctx.tcbSigners.includes(c) && !ctx.roots.includes(c)) ctx.used.add(c);
}

function signatureProblem(ctx: DcapContext, item: SignedJson<unknown>, chain: Certificate[]): Promise<Problem | undefined> {
  // Validity of the signing chain is judged per call at `at` (assess); the cached verdict covers signatures only.
  return ctx.collateralSignatures.get(item.signed, item.signature, chain, () => computeSignatureProblem(ctx, item, chain));
}

async function computeSignatureProblem(ctx: DcapContext, item: SignedJson<unknown>, chain: Certificate[]): Promise<Problem | undefined> {
  const result = await verifyChain(ctx.cache, chain, ctx.roots, ctx.at);
  if (!result.ok) return { code: 'CERT_CHAIN_INVALID', message: `the signing certificate chain is invalid: ${result.problem}.` };
  const signer = chain[0]!;
  if (signer.subject.cn !== TCB_SIGNING_CN)
    return { code: 'COLLATERAL_SIGNATURE_INVALID', message: `it is signed by "${signer.subject.text}", not by the Intel SGX TCB Signing key.` };
  if (signer.publicKey.curve !== 'P-256' || !signer.publicKey.point) {
    return {
      code: 'COLLATERAL_SIGNATURE_INVALID',
      message: `the signing key is ${signer.publicKey.curve ?? signer.publicKey.algorithm}; Intel signs TCB info and QE identities with ECDSA P-256.`,
    };
  }
  try {
    const ok = await ctx.crypto.verifyEcdsa({
      curve: 'P-256',
      hash: 'SHA-256',
      publicKey: signer.publicKey.point,
      signature: item.signature,
      message: item.signed,
    });
    return ok ? undefined : { code: 'COLLATERAL_SIGNATURE_INVALID', message: 'the signature does not verify: the document or its signature was altered.' };
  } catch (e) {
    return {
      code: 'COLLATERAL_SIGNATURE_INVALID',
      message: `the signature could not be checked: the crypto provider "${ctx.crypto.name}" failed (${e instanceof Error ? e.message : String(e)}).`,
    };
  }
}

/** The root CA CRL, when supplied and itself valid, must not list the TCB Signing certificate. */
async function revokedSigner(ctx: DcapContext, chain: readonly Certificate[]): Promise<Problem | undefined> {
  const signer = chain[0];
  const top = chain[chain.length - 1];
  const root = top && ctx.roots.find((r) => sameName(r.subject, top.issuer));
  if (!signer || !root) return undefined;
  const crl = (await chooseCrl(ctx, root))?.crl;
  if (!crl || !crl.revokedSerials.has(signer.serialHex)) return undefined;
  if (!(await verifyCrlSignature(ctx.cache, crl, root)).ok) return undefined; // reported by dcap.crl.root
  return { code: 'CERT_REVOKED', message: `the Intel SGX Root CA has revoked the signing certificate (serial ${signer.serialHex}).` };
}
