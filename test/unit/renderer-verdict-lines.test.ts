/** The verdict banner's sentences, from real verification results of the manifest's vectors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createVerifier } from '../../app/verifier.js';
import type { VerificationResult } from '../../app/report/result.js';
import { VECTORS_DIR } from '../support/vectors.js';
import {
  collateralLines,
  collateralNote,
  failureLines,
  notEstablishedLines,
  tcbStatusText,
  warningReasons,
  withoutFlags,
} from '../../renderer/src/verdict/verdict-lines.js';

async function verify(evidence: string, collateral: string[], at: string): Promise<VerificationResult> {
  const read = (p: string) => ({ name: p, bytes: new Uint8Array(readFileSync(VECTORS_DIR + p)) });
  return createVerifier().verify(read(evidence).bytes, collateral.map(read), { at: new Date(at) });
}

function forged(r: VerificationResult): VerificationResult {
  // Two failures, as a forged quote with a bad chain would give: every one is listed, worst first.
  const extra = { ...r.checks.find((c) => c.id === 'dcap.pck.chain')!, status: 'fail' as const, explain: 'The PCK chain does not end at the pinned root.' };
  return {
    ...r,
    checks: r.checks.map((c) => (c.id === extra.id ? extra : c)),
    errors: [...r.errors, { code: 'CERT_CHAIN_INVALID', message: `${extra.title}: ${extra.explain}`, check: extra.id }],
  };
}

test('a forged quote: TCB status not determined, every failure as "Failed: <title> — <reason>"', async () => {
  const r = forged(await verify('tdx/dcapqvl-v4-bad-signature.quote', ['tdx/dcapqvl-v4.collateral.json'], '2025-07-19T10:00:34Z'));
  assert.equal(r.cryptoValid, false);
  assert.equal(tcbStatusText(r), 'not determined (signature invalid)');
  const lines = failureLines(r);
  assert.equal(lines.length, 2);
  assert.equal(lines[0]!.code, 'QUOTE_SIGNATURE_INVALID');
  assert.match(lines[0]!.text, /^Failed: Quote is signed by the attestation key — The signature over the quote header/);
  const chain = r.checks.find((c) => c.id === 'dcap.pck.chain')!;
  assert.equal(lines[1]!.text, `Failed: ${chain.title} — The PCK chain does not end at the pinned root.`);
});

test('a message that already says "Failed:" is shown as it is; an error without a check gets words for its code', async () => {
  const r = await verify('tdx/dcapqvl-v4.quote', ['tdx/dcapqvl-v4.collateral.json'], '2025-07-19T10:00:34Z');
  const odd: VerificationResult = {
    ...r,
    errors: [
      { code: 'NONCE_MISMATCH', message: 'Failed: nonce — the nonce differs' },
      { code: 'BINDING_MISMATCH', message: 'the hash does not match' },
    ],
  };
  assert.deepEqual(
    failureLines(odd).map((l) => l.text),
    ['Failed: nonce — the nonce differs', 'Failed: Binding mismatch — the hash does not match'],
  );
});

test('a verified TDX quote: no failures, TCB UpToDate, freshness and measurements not established in words', async () => {
  const r = await verify('tdx/dcapqvl-v4.quote', ['tdx/dcapqvl-v4.collateral.json'], '2025-07-19T10:00:34Z');
  assert.deepEqual(failureLines(r), []);
  assert.equal(tcbStatusText(r), 'UpToDate');
  const open = notEstablishedLines(r);
  assert.deepEqual(
    open.map((o) => o.gap),
    ['freshness', 'measurements'],
  );
  assert.match(open[0]!.text, /^Freshness: no nonce was given, so this could be a replay of an old quote/);
  assert.deepEqual(warningReasons(r), [], 'affirming has no warning reasons');
});

test('SEV-SNP without a minimum TCB: "not evaluated (no minimum TCB given)" and the warning says why', async () => {
  const r = await verify('snp/trustee-milan-vcek.report', ['snp/trustee-milan-vcek.vcek.der'], '2024-07-03T13:10:40Z');
  assert.equal(r.tcb?.status, 'NotEvaluated');
  assert.equal(tcbStatusText(r), 'not evaluated (no minimum TCB given)');
  assert.equal(r.appraisal.tier, 'warning');
  const why = warningReasons(r);
  assert.ok(
    why.some((w) => w === 'TCB not evaluated: no minimum TCB was given.'),
    why.join('\n'),
  );
  assert.ok(
    why.some((w) => /^Warned: .+ — /.test(w)),
    'the warned checks are named',
  );
  assert.ok(
    notEstablishedLines(r).some((o) => o.gap === 'revocation' && /\(.+\)$/.test(o.text)),
    'revocation names the check that left it open',
  );
});

test('collateral notes in plain words: a failed fetch, an offline miss, and no command-line flags', () => {
  const fetch = collateralNote(
    'https://api.trustedservices.intel.com/tdx/certification/v4/qe/identity: getaddrinfo ENOTFOUND api.trustedservices.intel.com',
    false,
  );
  assert.equal(
    fetch,
    'Could not fetch the collateral at …/qe/identity from api.trustedservices.intel.com: network unreachable (the host name could not be resolved). Supply it as a file, or turn Offline on to use only cached collateral.',
  );
  const miss = collateralNote('offline: qe-identity not in the cache: https://api.trustedservices.intel.com/tdx/certification/v4/qe/identity', true);
  assert.match(miss, /^Offline is on and the qe identity from api\.trustedservices\.intel\.com is not in the cache\. Supply it as a file, or turn Offline off/);
  const product = collateralNote(
    'the report (version 2) does not name its AMD product: give --product Milan, Genoa or Turin to fetch its collateral from AMD KDS',
    false,
  );
  assert.doesNotMatch(product, /--/);
  assert.match(product, /does not name its AMD product \(Milan, Genoa or Turin\), so its collateral cannot be fetched/);
  assert.doesNotMatch(withoutFlags('use --strict here'), /--strict/);
  assert.deepEqual(collateralLines({ offline: true, notes: [], missing: ['TCB info'], timeline: [] }), [
    'Missing collateral: TCB info. Supply it as files, or turn Offline off.',
  ]);
});

test('a note that is no failure (an opened report re-verified offline) is not shown as a collateral problem', () => {
  assert.deepEqual(
    collateralLines({ offline: true, notes: ['Opened from a report: re-verified offline with the collateral it carries.'], missing: [], timeline: [] }),
    [],
  );
  assert.equal(collateralLines({ offline: false, notes: ['https://kdsintf.amd.com/vcek/v1/Milan/cert_chain: HTTP 500'], missing: [], timeline: [] }).length, 1);
});

test('a fetch failure that names its item and service is said in those words', () => {
  const note =
    'could not fetch the QE identity from Intel PCS: https://api.trustedservices.intel.com/tdx/certification/v4/qe/identity: getaddrinfo ENOTFOUND api.trustedservices.intel.com';
  assert.deepEqual(collateralLines({ offline: false, notes: [note], missing: ['QE identity'], timeline: [] }), [
    'Could not fetch the QE identity from Intel PCS: network unreachable (the host name could not be resolved). Supply it as a file, or turn Offline on to use only cached collateral.',
  ]);
});
