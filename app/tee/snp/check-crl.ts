import { fail, pass, skip, warn } from '../../check.js';
import type { Check } from '../../check.js';
import { iso } from '../../pki/chain.js';
import { verifyCrlSignature } from '../../pki/crl-issuer.js';
import { sameName } from '../../pki/name.js';
import type { Certificate } from '../../pki/x509.js';
import type { Crl } from '../../pki/crl.js';
import { crlUrl } from './kds-urls.js';
import { preferred } from './prefer.js';
import type { SnpContext } from './context.js';
import { SNP_CHECKS } from './checks.js';

const CRL = SNP_CHECKS.crl;

type CrlItem = SnpContext['collateral']['crls'][number];

/**
 * AMD's CRLs (VCEK spec, "Get Certificate Revocation List": KDS /vcek/v1/{product}/crl and
 * /vlek/v1/{product}/crl) are issued by the ARK and revoke ASKs, ASVKs and endorsement keys. Every
 * supplied CRL must come from a CA of the verified chain (the ARK, or the ASK/ASVK): one from anyone
 * else (another product's ARK, a damaged issuer name) is COLLATERAL_MISMATCH, never silently dropped,
 * which would turn revocation off. Of several CRLs from one CA, the newest that is signed by it and
 * current at `at` is used (file order never decides); none may list a certificate below its issuer.
 * No CRL from the ARK is a visible warning leaving revocation unestablished, never a silent pass.
 */
export async function checkAmdCrl(ctx: SnpContext): Promise<void> {
  const chain = ctx.chain;
  if (!chain) return void ctx.checks.push(skip(CRL, 'the endorsement key chain did not verify'));
  const ark = chain[chain.length - 1]!;
  const kind = ctx.vek?.kind === 'VLEK' ? 'vlek' : 'vcek';
  const url = ctx.product ? crlUrl(ctx.product, kind) : `AMD KDS /${kind}/v1/{product}/crl`;
  const cas = chain.slice(1);
  const stray = ctx.collateral.crls.filter((c) => amdIssued(c.crl) && !cas.some((ca) => sameName(ca.subject, c.crl.issuer)));
  if (stray.length) return void ctx.checks.push(mismatch(ctx, stray, cas, url));
  const revoked = new Map<string, Certificate>();
  const used: CrlItem[] = [];
  for (const [i, ca] of cas.entries()) {
    const found = ctx.collateral.crls.filter((c) => sameName(c.crl.issuer, ca.subject));
    if (found.length === 0) continue;
    const valid = await usableCrls(ctx, found, ca, url);
    if ('problem' in valid) return void ctx.checks.push(valid.problem);
    for (const item of valid.items) {
      ctx.used.add(item.crl);
      used.push(item);
      // A CRL revokes certificates its issuer signed: those below it in the chain (RFC 5280 6.3.3).
      for (const c of chain.slice(0, i + 1)) if (item.crl.revokedSerials.has(c.serialHex)) revoked.set(c.serialHex, c);
    }
  }
  if (revoked.size) {
    const names = [...revoked.values()].map((c) => `"${c.subject.cn}" (serial ${c.serialHex})`).join(', ');
    return void ctx.checks.push(fail(CRL, `${ark.subject.cn} has revoked ${names}.`, 'CERT_REVOKED', 'Do not trust this platform: AMD revoked its key.'));
  }
  if (!used.some((u) => sameName(u.crl.issuer, ark.subject))) {
    const w = warn(
      CRL,
      `No CRL from ${ark.subject.cn} was supplied, so revocation of the ${kind.toUpperCase()} chain could not be checked. This is not a pass.`,
      `Supply the CRL: ${url}`,
    );
    return void ctx.checks.push({ ...w, gap: 'revocation' });
  }
  const listed = used
    .map((u) => `${u.source} (${u.crl.issuer.cn}, thisUpdate ${iso(u.crl.thisUpdate)}, ${u.crl.revokedSerials.size} revoked serials)`)
    .join('; ');
  ctx.checks.push(
    pass(
      CRL,
      `${listed}: signature valid, current at ${iso(ctx.at)}, listing none of ${chain
        .slice(0, -1)
        .map((c) => c.subject.cn)
        .join(', ')}.`,
    ),
  );
}

/**
 * A CRL that names AMD as its issuer (organisation or an ARK/ASK/ASVK common name). Another vendor's CRL
 * (Intel collateral dropped beside an SNP report) says nothing about AMD keys: it is left unused, not a mismatch.
 */
function amdIssued(crl: Crl): boolean {
  return /Advanced Micro Devices|\bAMD\b/.test(crl.issuer.text) || /^(ARK|ASK|ASVK|SEV)-/.test(crl.issuer.cn ?? '');
}

/** CRLs from no CA of the chain: named by issuer, with the CAs that would have been accepted. */
function mismatch(ctx: SnpContext, stray: CrlItem[], cas: Certificate[], url: string): Check {
  for (const s of stray) ctx.used.add(s.crl);
  const names = stray.map((s) => `${s.source} is issued by "${s.crl.issuer.text}"`).join('; ');
  const expected = cas.map((c) => `"${c.subject.text}"`).join(' or ');
  return fail(
    CRL,
    `${names}, which is no CA of this report's chain (expected ${expected}), so it says nothing about these keys and revocation cannot be checked with it.`,
    'COLLATERAL_MISMATCH',
    `Supply the CRL of this chain's ARK: ${url}`,
  );
}

/**
 * The CRLs from `ca` that are signed by it and current at `at`, newest first; a stale or badly signed
 * one beside them is not used. Their revocations are all applied (AMD CRLs never un-revoke, and one
 * ARK issues both the VCEK and the VLEK CRL, so the newest alone could omit a revocation). When none
 * is usable, the problem of the newest one fails the check.
 */
async function usableCrls(ctx: SnpContext, found: CrlItem[], ca: Certificate, url: string): Promise<{ items: CrlItem[] } | { problem: Check }> {
  const ordered = preferred(
    found,
    (c) => [c.crl.thisUpdate],
    (c) => c.crl.der,
  );
  const items: CrlItem[] = [];
  let first: Check | undefined;
  for (const item of ordered) {
    const problem = await crlProblem(ctx, item.crl, item.source, ca, url);
    if (problem) first ??= problem;
    else items.push(item);
  }
  if (items.length) return { items };
  ctx.used.add(ordered[0]!.crl);
  return { problem: first! };
}

async function crlProblem(ctx: SnpContext, crl: Crl, source: string, ark: Certificate, url: string): Promise<Check | undefined> {
  const signed = await verifyCrlSignature(ctx.cache, crl, ark);
  if (!signed.ok) {
    return fail(CRL, `${source}: ${signed.problem}.`, 'COLLATERAL_SIGNATURE_INVALID', `Fetch the CRL again: ${url}`);
  }
  if (crl.nextUpdate === undefined || ctx.at < crl.thisUpdate || ctx.at > crl.nextUpdate) {
    const until = crl.nextUpdate === undefined ? '(no nextUpdate)' : iso(crl.nextUpdate);
    return fail(
      CRL,
      `${source}: the CRL is valid from ${iso(crl.thisUpdate)} until ${until}, not at ${iso(ctx.at)}.`,
      'COLLATERAL_EXPIRED',
      `Fetch a current CRL: ${url}`,
    );
  }
  return undefined;
}
