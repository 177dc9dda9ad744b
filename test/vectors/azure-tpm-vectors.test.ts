import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createVerifier } from '../../app/verifier.js';
import type { VerifyOptions } from '../../app/verifier.js';
import { assertFields } from '../support/assert-fields.js';
import { manifest, pinnedAmdRootsOf, vectorBytes, VECTORS_DIR } from '../support/vectors.js';
import type { VectorEntry } from '../support/vectors.js';
import type { VerificationResult } from '../../app/report/result.js';

/** Manifest check names -> our stable check ids (DESIGN.md, Measured boot). */
const CHECK_IDS: Record<string, string[]> = {
  snpReportSignature: ['snp.report.signature'],
  vcekChainToArk: ['snp.vek.chain', 'snp.vek.validity'],
  reportedTcbMatchesVcek: ['snp.tcb.match'],
  hclVarDataBinding: ['azure.hcl.binding'],
  tpmQuoteSignatureByHclAk: ['tpm.quote.signature', 'azure.ak.binding'],
  tpmPcrDigest: ['tpm.pcr-digest'],
  tpmNonce: ['tpm.nonce'],
  quoteSignatureByAk: ['tpm.quote.signature'],
  pcrDigest: ['tpm.pcr-digest'],
  akTrust: ['tpm.ak.trust'],
};

type Entry = VectorEntry & { endorsementKey?: string; tpmQuote?: string; expect: VectorEntry['expect'] & { nonce?: string } };
const entries = (manifest().vectors as Entry[]).filter((v) => v.technology === 'azure-snp-vtpm' || v.technology === 'tpm');

const rootsOf = pinnedAmdRootsOf;

/** One manifest entry verified as the CLI would: the raw HCL report with its VCEK as collateral and its quote attached. */
async function verifyEntry(v: Entry, change: { evidence?: Uint8Array; quote?: Uint8Array; nonce?: string } = {}): Promise<VerificationResult> {
  const verifier = createVerifier({ roots: { intel: [], amd: rootsOf(v) } });
  const files = v.endorsementKey ? [{ name: v.endorsementKey, bytes: vectorBytes(v.endorsementKey) }] : [];
  const nonce = change.nonce ?? v.expect.nonce;
  const opts: VerifyOptions = {
    at: new Date(v.expect.at),
    ...(nonce ? { nonce: Buffer.from(nonce, 'hex') } : {}),
    ...(v.tpmQuote ? { attachments: [{ role: 'tpm-quote', name: v.tpmQuote, bytes: change.quote ?? vectorBytes(v.tpmQuote) }] } : {}),
  };
  return verifier.verify(change.evidence ?? vectorBytes(v.path), files, opts);
}

test('the manifest has the Azure SNP and TPM vectors', () =>
  assert.deepEqual(entries.map((v) => v.technology).sort(), ['azure-snp-vtpm', 'azure-snp-vtpm', 'azure-snp-vtpm', 'tpm']));

for (const v of entries) {
  test(`manifest vector ${v.id}`, async () => {
    const r = await verifyEntry(v);
    const e = v.expect;
    assert.equal(r.technology, v.technology);
    assert.equal(r.verdict, e.verdict, JSON.stringify(r.errors));
    assert.deepEqual(r.errors, []);
    if (e.cryptoValid !== undefined) assert.equal(r.cryptoValid, e.cryptoValid);
    for (const [name, status] of Object.entries(e.checks ?? {})) assertChecks(r, name, status);
    if (e.fields) assertFields(r.fields, e.fields, 'fields');
    // Every PCR in the claims is attested: the digest matched and the signature verified.
    assert.equal(Object.keys((r.claims.pcrs ?? {}) as object).length, 24);
    if (e.nonce) assert.ok(!r.notEstablished.includes('freshness'), 'the nonce was checked in the TPM quote');
  });
}

const azureV2 = entries.find((v) => v.path === 'azure/snp-milan-evidence-v2.json')!;
const rawHcl = entries.find((v) => v.path === 'azure/snp-milan-hcl-report.bin')!;

test('Azure SNP: the AK is bound to the hardware, so AK trust is established (not a gap); the result names the parts', async () => {
  const r = await verifyEntry(azureV2);
  const ak = r.checks.find((c) => c.id === 'tpm.ak.trust')!;
  assert.equal(ak.status, 'pass');
  assert.match(ak.explain, /bound to the hardware report by the HCL runtime data/i);
  assert.ok(!r.notEstablished.includes('ak-trust'));
  assert.equal(r.format, 'az-snp-vtpm-v2');
  assert.equal(r.checks.find((c) => c.id === 'azure.user-data')?.status, 'pass');
  assert.equal(r.checks.find((c) => c.id === 'azure.vmpl')?.status, 'pass');
  assert.ok(!r.checks.some((c) => c.id === 'snp.nonce'), "the SNP report's REPORT_DATA is a binding, not a nonce");
  assert.deepEqual((r.claims.vmConfiguration as Record<string, unknown>)['secure-boot'], true);
  assert.equal(r.claims.measurement, '5b0ce64ad1c1f6375dbda5f760b98526ca1bcf91b8195091afc28e7b024251d68fe32e05af34048d6607678cd23283ff');
  assert.equal((r.claims.pcrs as Record<string, string>).pcr0, '84275b2f4312cd4fc6cbe6b152ad3c3683e513d9f1e23c34fca160c8cca7a6a7');
  assert.deepEqual(r.collateral, [{ name: 'vcek (from the evidence JSON)', kinds: ['certificate'] }], 'the VCEK the envelope carried is the collateral used');
});

test('the TPM evidence: verified, AK trust a warning with the gap ak-trust, so the tier is warning', async () => {
  const r = await verifyEntry(entries.find((v) => v.technology === 'tpm')!);
  const ak = r.checks.find((c) => c.id === 'tpm.ak.trust')!;
  assert.equal(ak.status, 'warn');
  assert.equal(ak.gap, 'ak-trust');
  assert.ok(r.notEstablished.includes('ak-trust'));
  assert.equal(r.appraisal.tier, 'warning');
  assert.equal(r.format, 'tpm-evidence-json');
});

// ---- Negatives generated by mutating the real vectors ----------------------------------------------

const flip = (bytes: Uint8Array, at: number) => {
  const out = Uint8Array.from(bytes);
  out[at]! ^= 1;
  return out;
};
const quoteDoc = () => JSON.parse(readFileSync(VECTORS_DIR + rawHcl.tpmQuote!, 'utf8')) as { signature: string; message: string; pcrs: string[] };
const encode = (doc: unknown) => new TextEncoder().encode(JSON.stringify(doc));
const flipHex = (hex: string, at: number) => hex.slice(0, at) + (parseInt(hex[at]!, 16) ^ 1).toString(16) + hex.slice(at + 1);

async function rejectsWith(r: VerificationResult, code: string, check: string) {
  assert.equal(r.verdict, 'rejected');
  assert.equal(r.errors[0]?.code, code, JSON.stringify(r.errors));
  assert.equal(r.checks.find((c) => c.status === 'fail' && c.code === code)?.id, check);
}

test('a flipped runtime-data byte (HCL 0x6e0, in HCLEkPub) is BINDING_MISMATCH on azure.hcl.binding', async () => {
  const r = await verifyEntry(rawHcl, { evidence: flip(vectorBytes(rawHcl.path), 0x6e0) });
  await rejectsWith(r, 'BINDING_MISMATCH', 'azure.hcl.binding');
  assert.equal(r.checks.find((c) => c.id === 'tpm.ak.trust')?.status, 'warn', 'an unbound AK is not trusted');
});

test('a flipped byte of the AK in the runtime data (0x540) breaks the binding and the quote signature', async () => {
  const r = await verifyEntry(rawHcl, { evidence: flip(vectorBytes(rawHcl.path), 0x540) });
  await rejectsWith(r, 'BINDING_MISMATCH', 'azure.hcl.binding');
  assert.equal(r.checks.find((c) => c.id === 'tpm.quote.signature')?.code, 'TPM_SIGNATURE_INVALID');
});

test('a flipped TPM signature is TPM_SIGNATURE_INVALID', async () => {
  const doc = quoteDoc();
  const r = await verifyEntry(rawHcl, { quote: encode({ ...doc, signature: flipHex(doc.signature, 10) }) });
  await rejectsWith(r, 'TPM_SIGNATURE_INVALID', 'tpm.quote.signature');
  assert.equal(r.cryptoValid, false);
});

test('a wrong nonce is NONCE_MISMATCH on tpm.nonce', async () => {
  const r = await verifyEntry(rawHcl, { nonce: '00112233' });
  await rejectsWith(r, 'NONCE_MISMATCH', 'tpm.nonce');
  assert.equal(r.checks.find((c) => c.id === 'azure.user-data')?.status, 'skip', 'a raw HCL report does not promise the nonce in user-data');
});

test('version 2 evidence whose user-data lacks the nonce is NONCE_MISMATCH on azure.user-data too', async () => {
  const r = await verifyEntry(azureV2, { nonce: '123abc' });
  assert.equal(r.checks.find((c) => c.id === 'azure.user-data')?.code, 'NONCE_MISMATCH');
  assert.equal(r.checks.find((c) => c.id === 'tpm.nonce')?.code, 'NONCE_MISMATCH');
});

test('a flipped PCR is PCR_DIGEST_MISMATCH, and no PCR is claimed', async () => {
  const doc = quoteDoc();
  const pcrs = doc.pcrs.map((p, i) => (i === 7 ? flipHex(p, 0) : p));
  const r = await verifyEntry(rawHcl, { quote: encode({ ...doc, pcrs }) });
  await rejectsWith(r, 'PCR_DIGEST_MISMATCH', 'tpm.pcr-digest');
  assert.equal(r.claims.pcrs, undefined);
});

test('a flipped SNP report signature byte is REPORT_SIGNATURE_INVALID', async () => {
  const r = await verifyEntry(rawHcl, { evidence: flip(vectorBytes(rawHcl.path), 0x20 + 0x2a0 + 5) });
  await rejectsWith(r, 'REPORT_SIGNATURE_INVALID', 'snp.report.signature');
  assert.notEqual(r.checks.find((c) => c.id === 'tpm.ak.trust')?.status, 'pass');
});

test('a flipped TPMS_ATTEST byte (extraData) fails the signature and the nonce', async () => {
  const doc = quoteDoc();
  const r = await verifyEntry(rawHcl, { quote: encode({ ...doc, message: flipHex(doc.message, 2 * 0x2c + 1) }) });
  assert.equal(r.verdict, 'rejected');
  assert.equal(r.checks.find((c) => c.id === 'tpm.quote.signature')?.code, 'TPM_SIGNATURE_INVALID');
});

test('the raw HCL report without its vTPM quote is rejected with a clear fix (the quote is required)', async () => {
  const v = { ...rawHcl, tpmQuote: undefined } as Entry;
  const r = await verifyEntry(v);
  assert.equal(r.verdict, 'rejected');
  const format = r.checks.find((c) => c.id === 'tpm.quote.format')!;
  assert.equal(format.status, 'fail');
  assert.match(format.fix ?? '', /--tpm-quote/);
  assert.equal(r.cryptoValid, false);
});

function assertChecks(r: VerificationResult, name: string, status: string): void {
  const ids = CHECK_IDS[name];
  assert.ok(ids, `no mapping for manifest check ${name}`);
  const found = r.checks.filter((c) => ids.includes(c.id));
  assert.equal(found.length, ids.length, `${ids} reported`);
  if (status === 'not-checkable') {
    for (const c of found) assert.equal(c.gap, 'ak-trust', `${c.id}: ${c.explain}`);
    return;
  }
  for (const c of found) assert.equal(c.status, status, `${c.id}: ${c.explain}`);
}
