import { fail, pass, skip, warn } from '../../check.js';
import type { Check, CheckSpec } from '../../check.js';
import { iso } from '../../pki/chain.js';
import { verifyCrlSignature } from '../../pki/crl-issuer.js';
import type { Certificate } from '../../pki/x509.js';
import type { Crl } from '../../pki/crl.js';
import { sameName } from '../../pki/name.js';
import type { CollateralSet } from '../../collateral/types.js';
import type { DcapContext } from './context.js';
import { pcsUrls } from './pcs-urls.js';
import { DCAP_CHECKS } from './checks.js';

type CrlEntry = CollateralSet['crls'][number];
type CrlProblem = { code: 'COLLATERAL_SIGNATURE_INVALID' | 'COLLATERAL_EXPIRED'; message: string; fix?: string };

const ROOT = DCAP_CHECKS.rootCrl;
const PCK = DCAP_CHECKS.pckRevocation;
const PCK_CA_NAMES = ['Intel SGX PCK Platform CA', 'Intel SGX PCK Processor CA'];

/** Intel root CA CRL (revokes intermediate CAs) and PCK CA CRL (revokes platforms). */
export async function checkRevocation(ctx: DcapContext): Promise<void> {
  const chain = ctx.pckChain;
  if (!chain) {
    ctx.checks.push(skip(ROOT, 'the PCK chain did not verify'), skip(PCK, 'the PCK chain did not verify'));
    return;
  }
  const root = chain[chain.length - 1]!;
  const leaf = chain[0]!;
  const pckCa = chain[1]!;
  const strays = strayCrls(ctx, chain);
  const ca = pckCa.subject.cn?.includes('Processor') ? 'processor' : 'platform';
  const rootCheck = await crlCheck(ctx, ROOT, root, chain.slice(1, -1), pcsUrls.rootCaCrl());
  const pckCheck = await crlCheck(ctx, PCK, pckCa, [leaf], pcsUrls.pckCrl(ctx.quote.technology, ca));
  ctx.checks.push(
    withStrays(
      rootCheck,
      strays.filter((s) => s.role === 'root'),
    ),
    withStrays(
      pckCheck,
      strays.filter((s) => s.role === 'pck'),
    ),
  );
}

/**
 * The CRLs from `issuer`, newest usable first: of several (yesterday's and today's PCK CRL), the one
 * with the latest thisUpdate that is current at `at` and whose signature verifies; else the newest, so
 * that its problem is reported. The order the files were given in never decides.
 */
export async function chooseCrl(ctx: DcapContext, issuer: Certificate): Promise<CrlEntry | undefined> {
  const from = ctx.collateral.crls.filter((c) => sameName(c.crl.issuer, issuer.subject)).sort((a, b) => b.crl.thisUpdate - a.crl.thisUpdate);
  for (const entry of from) if (!(await crlProblem(ctx, entry.crl, issuer))) return entry;
  return from[0];
}

async function crlCheck(ctx: DcapContext, spec: CheckSpec, issuer: Certificate, subjects: Certificate[], url: string): Promise<Check> {
  const found = await chooseCrl(ctx, issuer);
  const issuerName = issuer.subject.cn ?? issuer.subject.text;
  if (!found) {
    const other = ctx.collateral.crls.find((c) => c.crl.issuer.cn?.startsWith('Intel SGX PCK') && issuer.subject.cn?.startsWith('Intel SGX PCK'));
    if (other)
      return fail(
        spec,
        `The supplied PCK CRL (${other.source}) is issued by ${other.crl.issuer.cn}, but this PCK certificate was issued by ${issuerName}.`,
        'COLLATERAL_MISMATCH',
        `Supply the CRL of ${issuerName}: ${url}`,
      );
    return {
      ...warn(spec, `No CRL from ${issuerName} was supplied, so revocation could not be checked. This is not a pass.`, `Supply the CRL: ${url}`),
      gap: 'revocation',
    };
  }
  ctx.used.add(found.crl);
  const problem = await crlProblem(ctx, found.crl, issuer);
  if (problem) return fail(spec, `${found.source}: ${problem.message}`, problem.code, problem.fix ?? `Fetch a current CRL: ${url}`);
  const revoked = subjects.filter((c) => found.crl.revokedSerials.has(c.serialHex));
  if (revoked.length > 0) {
    const names = revoked.map((c) => `"${c.subject.cn}" (serial ${c.serialHex})`).join(', ');
    return fail(
      spec,
      `${issuerName} has revoked ${names}. Intel revokes certificates of compromised or retired keys.`,
      'CERT_REVOKED',
      'Do not trust this platform; the certificate has been revoked by Intel.',
    );
  }
  return pass(
    spec,
    `${issuerName}'s CRL (signature valid, current until ${iso(found.crl.nextUpdate ?? found.crl.thisUpdate)}, ${found.crl.revokedSerials.size} revoked serials) does not list ${subjects.map((c) => c.subject.cn).join(', ')}.`,
  );
}

async function crlProblem(ctx: DcapContext, crl: Crl, issuer: Certificate): Promise<CrlProblem | undefined> {
  const signed = await verifyCrlSignature(ctx.cache, crl, issuer);
  if (!signed.ok) {
    return { code: 'COLLATERAL_SIGNATURE_INVALID' as const, message: `${signed.problem}.`, fix: 'Fetch the CRL again from Intel PCS; this copy was altered.' };
  }
  if (crl.nextUpdate === undefined || ctx.at < crl.thisUpdate || ctx.at > crl.nextUpdate) {
    const until = crl.nextUpdate === undefined ? 'no nextUpdate' : iso(crl.nextUpdate);
    return { code: 'COLLATERAL_EXPIRED' as const, message: `the CRL is valid from ${iso(crl.thisUpdate)} until ${until}, not at ${iso(ctx.at)}.` };
  }
  return undefined;
}

interface Stray {
  entry: CrlEntry;
  role: 'root' | 'pck';
}

/**
 * Intel CRLs whose issuer is no certificate of this chain. Dropping them silently would let one flipped
 * bit in a CRL's issuer name turn revocation off, so each is COLLATERAL_MISMATCH, judged by name alone
 * (before and whatever its signature). Not stray: the CRL of the other Intel PCK CA under the same root
 * (a fleet's collateral holds both), and CRLs of other vendors (AMD, in a shared collateral set), which
 * are left unused. A CRL counts as Intel's when a DCAP bundle declared it (role) or its issuer says Intel.
 */
function strayCrls(ctx: DcapContext, chain: readonly Certificate[]): Stray[] {
  const pckCa = chain[1]!;
  const siblings = PCK_CA_NAMES.filter((cn) => cn !== pckCa.subject.cn).map((cn) => pckCa.subject.text.replace(`CN=${pckCa.subject.cn}`, `CN=${cn}`));
  return ctx.collateral.crls
    .filter((c) => (c.role !== undefined || /intel/i.test(c.crl.issuer.text)) && !chain.some((cert) => sameName(cert.subject, c.crl.issuer)))
    .filter((c) => !siblings.includes(c.crl.issuer.text) || c.role === 'root-ca-crl')
    .map((entry) => ({
      entry,
      role: entry.role === 'root-ca-crl' || (entry.role === undefined && /Root CA/.test(entry.crl.issuer.cn ?? '')) ? 'root' : 'pck',
    }));
}

/** A stray CRL fails the revocation check of its role, naming its issuer; an existing failure keeps its code. */
function withStrays(check: Check, strays: readonly Stray[]): Check {
  if (strays.length === 0) return check;
  const names = strays.map((s) => `${s.entry.source} is issued by "${s.entry.crl.issuer.text}"`).join('; ');
  const explain = `A supplied CRL matches no certificate of this quote's chain: ${names}. It is neither this chain's ${check.id === ROOT.id ? 'root CA' : 'PCK CA'} nor another Intel PCK CA, so it was altered or belongs to another issuer; revocation cannot be judged with it.`;
  if (check.status === 'fail') return { ...check, explain: `${check.explain} ${explain}` };
  const { gap: _gap, ...rest } = check;
  return {
    ...rest,
    status: 'fail',
    code: 'COLLATERAL_MISMATCH',
    explain,
    fix: 'Supply the CRLs exactly as Intel PCS serves them (pckcrl?ca=platform|processor and the root CA CRL); remove the file that holds this CRL.',
  };
}
