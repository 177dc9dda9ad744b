import type { Check } from '../../../app/check.js';
import type { VerificationResult } from '../../../app/report/result.js';
import type { CollateralReport } from '../../../main/api/types.js';
import { NOT_ESTABLISHED_GLOSSARY, TCB_GLOSSARY } from './glossary.js';

/**
 * The sentences the verdict banner (and the exported report's header) says, from the result as it is:
 * every failure worst first, what is not established, why a tier is "warning", what collateral could not be
 * had. Pure, so each sentence is unit-tested; nothing here decides a verdict.
 */

export interface FailureLine {
  text: string;
  code: string;
  check?: string;
}

/** result.errors is worst first already; each becomes "Failed: <check title> — <reason>". */
export function failureLines(r: VerificationResult, collateral?: CollateralReport): FailureLine[] {
  const fetchFailed = (collateral?.notes.length ?? 0) > 0;
  return r.errors.map((e) => {
    const check = e.check ? r.checks.find((c) => c.id === e.check) : undefined;
    const line: FailureLine = { text: failureText(e.message, e.code, check, fetchFailed), code: e.code };
    if (e.check) line.check = e.check;
    return line;
  });
}

function failureText(message: string, code: string, check: Check | undefined, fetchFailed: boolean): string {
  if (/^Failed:/.test(message)) return message;
  const title = check?.title ?? codeWords(code);
  let reason = check?.explain ?? withoutTitle(message, title);
  if (code === 'COLLATERAL_MISSING' && fetchFailed) reason += ' Fetching it failed too (see Collateral below).';
  return `Failed: ${title} — ${reason}`;
}

/** A failing check's line as the check list shows it: the same words as the banner. */
export function checkLine(c: Check): string {
  return `Failed: ${c.title} — ${c.explain}`;
}

/** Errors carry "Title: explain"; the title is already said. */
function withoutTitle(message: string, title: string): string {
  return message.startsWith(`${title}: `) ? message.slice(title.length + 2) : message;
}

/** QUOTE_SIGNATURE_INVALID -> "Quote signature invalid", for an error without a check. */
export function codeWords(code: string): string {
  const words = code.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What the verdict does not show, one sentence each, naming the checks that left it open. */
export function notEstablishedLines(r: VerificationResult): { gap: string; text: string }[] {
  return r.notEstablished.map((gap) => {
    const because = r.checks.filter((c) => c.gap === gap && c.status !== 'pass').map((c) => c.title);
    const text = NOT_ESTABLISHED_GLOSSARY[gap] ?? `${gap}: not established by this evidence.`;
    return { gap, text: because.length ? `${text} (${because.join('; ')})` : text };
  });
}

/** The TCB status as the banner states it: never a status from evidence whose signatures do not verify. */
export function tcbStatusText(r: VerificationResult): string {
  if (!r.cryptoValid) return 'not determined (signature invalid)';
  const status = r.tcb?.status;
  if (!status) return 'not determined';
  if (status === 'NotEvaluated') return TCB_GLOSSARY.NotEvaluated!.short;
  return status;
}

/** Why the tier is "warning": the checks that warned and the TCB status, in words. Empty for any other tier. */
export function warningReasons(r: VerificationResult): string[] {
  if (r.appraisal.tier !== 'warning') return [];
  const out = r.checks.filter((c) => c.status === 'warn').map((c) => `Warned: ${c.title} — ${c.explain}`);
  const status = r.tcb?.status;
  if (r.cryptoValid && status && status !== 'UpToDate') {
    const gloss = TCB_GLOSSARY[status];
    out.push(status === 'NotEvaluated' ? `TCB not evaluated: no minimum TCB was given.` : `TCB status ${status}${gloss ? `: ${gloss.short}` : ''}.`);
  }
  if (out.length === 0) out.push('The appraisal gave "warning" without a check or TCB status this view can name; see the check list.');
  return out;
}

/** The collateral that could not be had, in plain words: fetch failures, cache misses, what is missing. */
export function collateralLines(c: CollateralReport | undefined): string[] {
  if (!c) return [];
  // Other notes (e.g. that an opened report was re-verified offline) matter here only when something is missing.
  const relevant = c.notes.filter((n) => OFFLINE.test(n) || FETCH_NAMED.test(n) || FETCH.test(n) || c.missing.length > 0);
  const out = relevant.map((n) => collateralNote(n, c.offline));
  if (c.missing.length > 0 && out.length === 0)
    out.push(`Missing collateral: ${c.missing.join(', ')}. Supply it as files${c.offline ? ', or turn Offline off' : ''}.`);
  return out;
}

const OFFLINE = /^offline: (.+?) not in the cache( \(.*?\))?: (https?:\/\/\S+)$/;
const FETCH = /^(https?:\/\/\S+?): (.+)$/;
/** A fetch failure that names its item and service (main/collateral): "could not fetch the QE identity from Intel PCS: URL: why". */
const FETCH_NAMED = /^could not fetch (.+?) from (.+?): https?:\/\/\S+?: (.+)$/;

/** One note of main/collateral (a fetch failure, a cache miss, or why nothing could be asked for). */
export function collateralNote(note: string, offline: boolean): string {
  const miss = OFFLINE.exec(note);
  if (miss) {
    const [, kind, stale, url] = miss;
    return `Offline is on and the ${kind!.replace(/-/g, ' ')} from ${where(url!)} is not in the cache${stale ? ` ${stale.trim()}` : ''}. Supply it as a file, or turn Offline off to fetch it.`;
  }
  const named = FETCH_NAMED.exec(note);
  if (named) {
    const [, item, service, why] = named;
    const advice = offline ? 'Supply it as a file.' : 'Supply it as a file, or turn Offline on to use only cached collateral.';
    return `Could not fetch ${item} from ${service}: ${plainNetwork(why!)}. ${advice}`;
  }
  const failed = FETCH.exec(note);
  if (failed) {
    const [, url, why] = failed;
    const advice = offline ? 'Supply it as a file.' : 'Supply it as a file, or turn Offline on to use only cached collateral.';
    return `Could not fetch ${what(url!)} from ${where(url!)}: ${plainNetwork(why!)}. ${advice}`;
  }
  return sentence(withoutFlags(note));
}

function where(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The item a URL names, by its path (".../qe/identity" -> "qe identity"): the URL is the only name a failed fetch has. */
function what(url: string): string {
  try {
    const path = new URL(url).pathname.split('/').filter(Boolean);
    const tail = path.filter((p) => !/^v\d+$|^certification$/.test(p)).slice(-2);
    return `the collateral at …/${tail.join('/')}`;
  } catch {
    return 'collateral';
  }
}

function plainNetwork(why: string): string {
  const text = why.replace(/\s*\(TEE_INSPECT_LOOPBACK_ONLY\)/, '');
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return 'network unreachable (the host name could not be resolved)';
  if (/ECONNREFUSED/.test(text)) return 'the server refused the connection';
  if (/ETIMEDOUT|timed? ?out/i.test(text)) return 'the request timed out';
  if (/ENETUNREACH|EHOSTUNREACH/.test(text)) return 'network unreachable';
  return text.replace(/\.$/, '');
}

/** The app has no command line: "give --product Milan, Genoa or Turin to fetch X" becomes what the user can do here. */
export function withoutFlags(text: string): string {
  return text
    .replace(/: give --[\w-]+ (.+?) to fetch (.+)$/, ' ($1), so its collateral cannot be fetched ($2); supply it as files')
    .replace(/\s?--[a-z][\w-]*/g, '');
}

function sentence(s: string): string {
  const t = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
