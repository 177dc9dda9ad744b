import { fail, pass } from '../../check.js';
import { nonceCheck } from '../nonce.js';
import { sgxAttributeFlags } from '../sgx/report-body.js';
import { tdAttributeFlags } from '../tdx/td-report.js';
import type { DcapContext } from './context.js';
import { DCAP_CHECKS as C } from './checks.js';

/** Default production policy: no debug enclave or TD; REPORT_DATA begins with the verifier's nonce when one is given. */
export function checkPolicy(ctx: DcapContext): void {
  const body = ctx.quote.body;
  const debug = body.kind === 'sgx' ? sgxAttributeFlags(body.report.attributes).debug : tdAttributeFlags(body.report.tdAttributes).debug;
  const what = body.kind === 'sgx' ? 'enclave (ATTRIBUTES.DEBUG)' : 'TD (TD_ATTRIBUTES.DEBUG)';
  ctx.checks.push(
    debug
      ? fail(
          C.policyDebug,
          `This ${what} runs in debug mode: the host can read and change its memory, so it provides no confidentiality or integrity.`,
          'DEBUG_ENABLED',
        )
      : pass(C.policyDebug, `The ${what} is in production mode: the host cannot inspect its memory.`),
  );
  ctx.checks.push(nonceCheck(C.nonce, body.report.reportData, ctx.nonce, 'quote'));
}
