import { fail, pass, skip } from '../../check.js';
import type { Check } from '../../check.js';
import { concatBytes, equalBytes, isAllZero } from '../../bytes/hex.js';
import type { DcapContext } from './context.js';
import { DCAP_CHECKS as C } from './checks.js';

/** The two signatures inside the quote and the binding between them (QE report data). */
export async function checkQuoteSignatures(ctx: DcapContext): Promise<void> {
  const { quote, crypto } = ctx;
  const qe = quote.qe;
  ctx.checks.push(await qeReportCheck(ctx));

  const hash = await crypto.digest('SHA-256', concatBytes(quote.attestationKey, qe.authData));
  const data = qe.report.reportData;
  const bound = equalBytes(hash, data.subarray(0, 32)) && isAllZero(data.subarray(32));
  ctx.checks.push(
    bound
      ? pass(
          C.qeReportBinding,
          'The QE report data equals SHA-256(attestation key || QE authentication data) followed by zeros, so the key that signed this quote is the one the QE certified.',
        )
      : fail(
          C.qeReportBinding,
          'The QE report data is not SHA-256(attestation key || QE authentication data) || 0*32: the attestation key was not certified by this QE.',
          'QE_REPORT_DATA_MISMATCH',
        ),
  );

  const publicKey = concatBytes(new Uint8Array([4]), quote.attestationKey);
  const ok = await crypto.verifyEcdsa({ curve: 'P-256', hash: 'SHA-256', publicKey, signature: quote.signature, message: quote.signed });
  const what = quote.technology === 'sgx' ? 'enclave report' : 'TD report';
  ctx.checks.push(
    ok
      ? pass(
          C.quoteSignature,
          `The signature over the quote header and ${what} verifies, so every measurement shown was produced by the hardware and not changed since.`,
        )
      : fail(
          C.quoteSignature,
          `The signature over the quote header and ${what} does not verify: the measurements or report data were altered, so none of them can be trusted.`,
          'QUOTE_SIGNATURE_INVALID',
        ),
  );
}

const QE = C.qeReportSignature;

/**
 * The QE report's signature by the PCK key. Mandatory: once the PCK chain has verified, a key this
 * check cannot use (not P-256, not an uncompressed point) or a provider that fails is a failure with
 * its reason, never a skip. Skipped only when there is no verified PCK certificate, which has failed already.
 */
async function qeReportCheck(ctx: DcapContext): Promise<Check> {
  const leaf = ctx.pckChain?.[0];
  if (!leaf) return skip(QE, 'no verified PCK certificate to take the key from');
  const key = leaf.publicKey;
  const bad = (why: string) =>
    fail(
      QE,
      `The QE report signature cannot be verified: ${why}.`,
      'QE_REPORT_SIGNATURE_INVALID',
      'The PCK certificate is not one Intel issues for DCAP; obtain the quote and its PCK certificate from the platform again.',
    );
  if (key.algorithm !== 'ec') return bad(`the PCK key is ${key.algorithm.toUpperCase()}; Intel DCAP PCK keys are ECDSA P-256`);
  if (key.curve !== 'P-256') return bad(`the PCK key is ${key.curve ?? 'on an unsupported curve'}; Intel DCAP PCK keys are P-256`);
  if (!key.point) return bad('the PCK key is not an uncompressed P-256 point');
  const qe = ctx.quote.qe;
  let ok: boolean;
  try {
    ok = await ctx.crypto.verifyEcdsa({ curve: 'P-256', hash: 'SHA-256', publicKey: key.point, signature: qe.reportSignature, message: qe.report.raw });
  } catch (e) {
    return bad(`the crypto provider "${ctx.crypto.name}" failed (${e instanceof Error ? e.message : String(e)})`);
  }
  return ok
    ? pass(QE, "The Quoting Enclave's report verifies with the PCK certificate's key: a genuine Intel QE on this platform vouched for the attestation key.")
    : fail(
        QE,
        'The QE report signature does not verify with the PCK key: the QE report or its signature was altered, or belongs to another platform.',
        'QE_REPORT_SIGNATURE_INVALID',
      );
}
