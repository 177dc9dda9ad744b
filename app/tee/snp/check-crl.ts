import { fail, pass, skip, warn } from '../../check.js';
import type { Check } from '../../check.js';
import { iso } from '../../pki/chain.js';
import { sameName } from '../../pki/name.js';
import type { Certificate } from '../../pki/x509.js';
import type { Crl } from '../../pki/crl.js';
import { crlUrl } from './kds-urls.js';
import type { SnpContext } from './context.js';

const ID = 'snp.crl';
const TITLE = 'AMD CRL: no key in the chain is revoked';

/**
 * AMD's CRLs (KDS /vcek/v1/{product}/crl and /vlek/v1/{product}/crl) are issued by the ARK and
 * revoke ASKs, ASVKs and endorsement keys. Every supplied CRL from the chain's ARK must carry a
 * valid ARK signature and be current at `at`; none may list a certificate of the chain. No CRL at
 * all is a visible warning, never a silent pass.
 */
export async function checkAmdCrl(ctx: SnpContext): Promise<void> {
  const chain = ctx.chain;
  if (!chain) return void ctx.checks.push(skip(ID, TITLE, 'the endorsement key chain did not verify'));
  const ark = chain[chain.length - 1]!;
  const kind = ctx.vek?.kind === 'VLEK' ? 'vlek' : 'vcek';
  const url = ctx.product ? crlUrl(ctx.product, kind) : `AMD KDS /${kind}/v1/{product}/crl`;
  const found = ctx.collateral.crls.filter((c) => sameName(c.crl.issuer, ark.subject));
  if (found.length === 0) {
    return void ctx.checks.push(warn(ID, TITLE, `No CRL from ${ark.subject.cn} was supplied, so revocation of the ${kind.toUpperCase()} chain could not be checked. This is not a pass.`, `Supply the CRL: ${url}`));
  }
  const revoked = new Map<string, Certificate>();
  for (const { crl, source } of found) {
    const problem = await crlProblem(ctx, crl, source, ark, url);
    if (problem) return void ctx.checks.push(problem);
    for (const c of chain.slice(0, -1)) if (crl.revokedSerials.has(c.serialHex)) revoked.set(c.serialHex, c);
  }
  if (revoked.size) {
    const names = [...revoked.values()].map((c) => `"${c.subject.cn}" (serial ${c.serialHex})`).join(', ');
    return void ctx.checks.push(fail(ID, TITLE, `${ark.subject.cn} has revoked ${names}.`, 'CERT_REVOKED', 'Do not trust this platform: AMD revoked its key.'));
  }
  const listed = found.reduce((n, f) => n + f.crl.revokedSerials.size, 0);
  ctx.checks.push(pass(ID, TITLE, `${found.length === 1 ? `${ark.subject.cn}'s CRL` : `${found.length} CRLs from ${ark.subject.cn}`} (signature valid, current, ${listed} revoked serials) list none of ${chain.slice(0, -1).map((c) => c.subject.cn).join(', ')}.`));
}

async function crlProblem(ctx: SnpContext, crl: Crl, source: string, ark: Certificate, url: string): Promise<Check | undefined> {
  if (!(await ctx.cache.verify(crl, ark.publicKey, true))) {
    return fail(ID, TITLE, `${source}: the CRL's signature by ${ark.subject.cn} does not verify.`, 'COLLATERAL_SIGNATURE_INVALID', `Fetch the CRL again: ${url}`);
  }
  if (crl.nextUpdate === undefined || ctx.at < crl.thisUpdate || ctx.at > crl.nextUpdate) {
    const until = crl.nextUpdate === undefined ? '(no nextUpdate)' : iso(crl.nextUpdate);
    return fail(ID, TITLE, `${source}: the CRL is valid from ${iso(crl.thisUpdate)} until ${until}, not at ${iso(ctx.at)}.`, 'COLLATERAL_EXPIRED', `Fetch a current CRL: ${url}`);
  }
  return undefined;
}
