import { medianMs } from './median.js';
import { createVerifier } from '../../app/verifier.js';
import { recheckReport } from '../../app/report/recheck.js';
import { parseReportBytes } from '../../app/report/parse.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { TDX, vectorReport } from '../support/report-fixture.js';

/**
 * Median ms of one report round trip on the TDX vector: verify and build the report (every input digested
 * and base64-encoded), serialise it, parse it back strictly, and recheck it (digests again, a full
 * re-verification with a fresh verifier, the comparison). Stops loudly if a recheck ever disagrees.
 */
export async function benchReport(budget: { warmup: number; iterations: number; ms: number }): Promise<number> {
  const once = async () => {
    const text = JSON.stringify(await vectorReport(TDX));
    const outcome = await recheckReport(parseReportBytes(new TextEncoder().encode(text)), createVerifier({ crypto: nodeCryptoProvider() }));
    if (!outcome.agrees) throw new Error(`BENCH ABORTED: report recheck disagrees: ${JSON.stringify(outcome.errors)}`);
  };
  return medianMs(budget, once);
}
