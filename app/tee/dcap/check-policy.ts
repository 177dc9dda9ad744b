import { fail, pass, skip } from '../../check.js';
import { equalBytes, toHex } from '../../bytes/hex.js';
import { sgxAttributeFlags } from '../sgx/report-body.js';
import { tdAttributeFlags } from '../tdx/td-report.js';
import type { DcapContext } from './context.js';

/** Default production policy: no debug enclave or TD; REPORT_DATA begins with the verifier's nonce when one is given. */
export function checkPolicy(ctx: DcapContext): void {
  const body = ctx.quote.body;
  const debug = body.kind === 'sgx' ? sgxAttributeFlags(body.report.attributes).debug : tdAttributeFlags(body.report.tdAttributes).debug;
  const what = body.kind === 'sgx' ? 'enclave (ATTRIBUTES.DEBUG)' : 'TD (TD_ATTRIBUTES.DEBUG)';
  ctx.checks.push(
    debug
      ? fail('dcap.policy.debug', 'Debug mode is off', `This ${what} runs in debug mode: the host can read and change its memory, so it provides no confidentiality or integrity.`, 'DEBUG_ENABLED', 'Launch the workload in production mode; never provision secrets to a debug enclave or TD.')
      : pass('dcap.policy.debug', 'Debug mode is off', `The ${what} is in production mode: the host cannot inspect its memory.`),
  );
  const nonce = ctx.nonce;
  const title = 'Report data carries the verifier\'s nonce';
  if (!nonce) {
    ctx.checks.push(skip('dcap.nonce', title, 'no nonce was given, so this quote\'s freshness is not established (it could be a replay of an older quote).'));
    return;
  }
  const reportData = body.report.reportData;
  // An empty nonce would match anything: it is a failure, never a vacuous pass.
  const ok = nonce.length > 0 && nonce.length <= 64 && equalBytes(reportData.subarray(0, nonce.length), nonce);
  ctx.checks.push(
    ok
      ? pass('dcap.nonce', title, `The first ${nonce.length} bytes of REPORT_DATA equal the nonce, so the quote was produced after the nonce was issued.`)
      : fail('dcap.nonce', title, `REPORT_DATA begins ${toHex(reportData.subarray(0, Math.min(nonce.length, 64)))}, not the expected nonce ${toHex(nonce)}: the quote may be a replay or answer another request.`, 'NONCE_MISMATCH', 'Request a fresh quote with this nonce in REPORT_DATA.'),
  );
}
