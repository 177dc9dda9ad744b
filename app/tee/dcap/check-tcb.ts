import { qeIdentitiesOf, tcbInfosOf } from './documents.js';
import { fail, pass, skip, warn } from '../../check.js';
import type { Check } from '../../check.js';
import { toHex } from '../../bytes/hex.js';
import type { TdReportBody } from '../tdx/td-report.js';
import type { DcapContext } from './context.js';
import { chooseNewest, signedJsonChecks } from './check-collateral.js';
import { qeMatchCheck, qeTcbCheck } from './check-qe-identity.js';
import { selectQeIdentity, selectTcbInfo, expectedQeId } from './select-collateral.js';
import { matchPlatformLevel, matchTdxModule } from './tcb-match.js';
import { mergeAdvisories, mergeTcbStatus, TCB_STATUS_MEANING } from './tcb-status.js';
import type { TcbStatus } from './tcb-status.js';
import type { TcbInfo } from './tcb-info.js';
import { pcsUrls } from './pcs-urls.js';
import { DCAP_CHECKS as C } from './checks.js';

export type TcbSummary = {
  status: TcbStatus;
  advisories: string[];
  date: string;
  platform: { status: TcbStatus; tcbDate: string; advisories: string[] };
  qe?: { status: TcbStatus; isvSvn: number; tcbDate: string };
  tdxModule?: { identity: string; status: TcbStatus };
  tcbEvaluationDataNumber: number;
  fmspc: string;
};

/** QE identity and TCB info: authenticity, currency, fit to this platform, then the TCB levels and their merged status. */
export async function checkTcb(ctx: DcapContext): Promise<TcbSummary | undefined> {
  const pck = ctx.pck;
  const specs = [
    C.qeIdentitySignature,
    C.qeIdentityValidity,
    C.qeIdentityMatch,
    C.qeIdentityTcb,
    C.tcbInfoSignature,
    C.tcbInfoValidity,
    C.tcbInfoPlatform,
    C.tcbLevel,
    C.tcbStatus,
  ];
  if (!pck) {
    ctx.checks.push(...specs.map((s) => skip(s, "the PCK certificate (and so the platform's FMSPC and TCB) could not be read")));
    return undefined;
  }
  const tech = ctx.quote.technology;
  const qeResult = await checkQeIdentity(ctx);
  const tcbUrl = pcsUrls.tcbInfo(tech, toHex(pck.fmspc));
  const sel = selectTcbInfo(tcbInfosOf(ctx.collateral), tech, pck);
  const chosen = await chooseNewest(ctx, sel.fits.length > 0 ? sel.fits : sel.mismatch ? [sel.mismatch.item] : []);
  if (!chosen) {
    ctx.checks.push(
      fail(
        C.tcbInfoSignature,
        `No TCB info was supplied for this ${tech.toUpperCase()} platform (FMSPC ${toHex(pck.fmspc)}, PCE-ID ${toHex(pck.pceId)}), so its patch level cannot be judged.`,
        'COLLATERAL_MISSING',
        `Fetch it from Intel PCS: ${tcbUrl}`,
      ),
    );
    ctx.checks.push(...specs.slice(5).map((s) => skip(s, 'no TCB info')));
    return undefined;
  }
  const info = chosen.item.body;
  const [sig, validity] = signedJsonChecks(ctx, chosen, { signature: C.tcbInfoSignature, validity: C.tcbInfoValidity }, 'TCB info', tcbUrl);
  ctx.checks.push(sig!, validity!);
  ctx.checks.push(
    sel.mismatch
      ? fail(
          C.tcbInfoPlatform,
          `The TCB info does not describe this platform: ${sel.mismatch.why}.`,
          'COLLATERAL_MISMATCH',
          `Supply the TCB info for this platform: ${tcbUrl}`,
        )
      : pass(
          C.tcbInfoPlatform,
          `${info.id} TCB info for FMSPC ${toHex(info.fmspc)} and PCE-ID ${toHex(info.pceId)} (evaluation data number ${info.tcbEvaluationDataNumber}${alternatives(sel.fits.length)}), as the PCK certificate states.`,
        ),
  );
  if (sig!.status === 'fail' || sel.mismatch) {
    ctx.checks.push(skip(C.tcbLevel, 'the TCB info is not authentic or not for this platform'), skip(C.tcbStatus, 'no trustworthy TCB info'));
    return undefined;
  }
  if (ctx.qeTcbUnmatched) {
    ctx.checks.push(
      skip(C.tcbLevel, 'the quoting enclave has no TCB level, so no combined status can be given'),
      skip(C.tcbStatus, 'the quoting enclave has no TCB level'),
    );
    return undefined;
  }
  return platformStatus(ctx, info, qeResult);
}

async function checkQeIdentity(ctx: DcapContext): Promise<{ status: TcbStatus; isvSvn: number; tcbDate: string; advisories: string[] } | undefined> {
  const tech = ctx.quote.technology;
  const url = pcsUrls.qeIdentity(tech);
  const sel = selectQeIdentity(qeIdentitiesOf(ctx.collateral), tech);
  const qe = ctx.quote.qe.report;
  const chosen = await chooseNewest(ctx, sel.fits.length > 0 ? sel.fits : sel.mismatch ? [sel.mismatch.item] : []);
  if (!chosen) {
    ctx.checks.push(
      fail(
        C.qeIdentitySignature,
        `No ${expectedQeId(tech)} identity was supplied, so the quoting enclave cannot be checked.`,
        'COLLATERAL_MISSING',
        `Fetch it from Intel PCS: ${url}`,
      ),
    );
    ctx.checks.push(skip(C.qeIdentityValidity, 'no QE identity'), skip(C.qeIdentityMatch, 'no QE identity'), skip(C.qeIdentityTcb, 'no QE identity'));
    return undefined;
  }
  ctx.checks.push(...signedJsonChecks(ctx, chosen, { signature: C.qeIdentitySignature, validity: C.qeIdentityValidity }, 'QE identity', url));
  if (sel.mismatch) {
    ctx.checks.push(
      fail(
        C.qeIdentityMatch,
        `The QE identity does not fit this quote: ${sel.mismatch.why}.`,
        'COLLATERAL_MISMATCH',
        `Supply the ${expectedQeId(tech)} identity: ${url}`,
      ),
    );
    ctx.checks.push(skip(C.qeIdentityTcb, 'the QE identity is for another enclave'));
    return undefined;
  }
  const identity = chosen.item.body;
  ctx.checks.push(qeMatchCheck(identity, qe));
  const { check, level } = qeTcbCheck(identity, qe);
  ctx.checks.push(check);
  if (!level) ctx.qeTcbUnmatched = true;
  if (!level) return undefined;
  ctx.qeTcb = { status: level.status, isvSvn: qe.isvSvn, tcbDate: level.tcbDate };
  return { ...ctx.qeTcb, status: level.status, advisories: level.advisoryIds };
}

function platformStatus(ctx: DcapContext, info: TcbInfo, qe: Awaited<ReturnType<typeof checkQeIdentity>>): TcbSummary | undefined {
  const pck = ctx.pck!;
  const td: TdReportBody | undefined = ctx.quote.body.kind === 'sgx' ? undefined : ctx.quote.body.report;
  const level = matchPlatformLevel(info, pck, td);
  const comps = `SGX components [${pck.tcbComponents.join(',')}], PCESVN ${pck.pceSvn}${td ? `, TEE_TCB_SVN ${toHex(td.teeTcbSvn)}` : ''}`;
  if (!level) {
    ctx.checks.push(
      fail(
        C.tcbLevel,
        `This platform's TCB (${comps}) is below every level in Intel's TCB info: Intel considers it unsupported ("TCB not supported").`,
        'TCB_LEVEL_NOT_FOUND',
      ),
    );
    ctx.checks.push(skip(C.tcbStatus, 'no TCB level matched'));
    return undefined;
  }
  ctx.checks.push(pass(C.tcbLevel, `The platform (${comps}) meets the level of ${level.tcbDate.slice(0, 10)}, whose status is ${level.status}.`));
  const statuses: TcbStatus[] = [level.status];
  const advisories: string[][] = [level.advisoryIds];
  let tdxModule: TcbSummary['tdxModule'];
  if (td) {
    const m = matchTdxModule(info, td);
    if (m.problem) {
      ctx.checks.push(fail(C.tdxModule, `${m.problem}.`, 'TCB_LEVEL_NOT_FOUND'));
    } else {
      const detail =
        m.identity && m.level
          ? `module ${m.identity.id} SVN ${td.teeTcbSvn[0]} is at the level of ${m.level.tcbDate.slice(0, 10)}: ${m.level.status}`
          : 'no separate module TCB levels apply';
      ctx.checks.push(pass(C.tdxModule, `MRSIGNERSEAM and SEAMATTRIBUTES match Intel's TDX module; ${detail}.`));
    }
    if (m.identity && m.level) {
      tdxModule = { identity: m.identity.id, status: m.level.status };
      statuses.push(m.level.status);
      advisories.push(m.level.advisoryIds);
    }
  }
  if (qe) {
    statuses.push(qe.status);
    advisories.push(qe.advisories);
  }
  const status = mergeTcbStatus(...statuses);
  const merged = mergeAdvisories(...advisories);
  ctx.checks.push(statusCheck(status, merged));
  const summary: TcbSummary = {
    status,
    advisories: merged,
    date: level.tcbDate,
    platform: { status: level.status, tcbDate: level.tcbDate, advisories: level.advisoryIds },
    tcbEvaluationDataNumber: info.tcbEvaluationDataNumber,
    fmspc: toHex(info.fmspc),
  };
  if (qe) summary.qe = { status: qe.status, isvSvn: qe.isvSvn, tcbDate: qe.tcbDate };
  if (tdxModule) summary.tdxModule = tdxModule;
  return summary;
}

/** Says so when several fitting TCB infos were supplied: the newest usable one was chosen, not the first. */
function alternatives(count: number): string {
  return count > 1 ? `; the newest current and authentic of ${count} supplied for this platform` : '';
}

function statusCheck(status: TcbStatus, advisories: string[]): Check {
  const adv = advisories.length ? ` Advisories that apply: ${advisories.join(', ')}.` : '';
  const text = `${status}: ${TCB_STATUS_MEANING[status]}.${adv}`;
  if (status === 'Revoked')
    return fail(C.tcbStatus, text, 'TCB_REVOKED', 'Do not trust this platform until Intel re-issues its TCB; update firmware and microcode.');
  if (status === 'UpToDate') return pass(C.tcbStatus, text);
  return warn(C.tcbStatus, text);
}
