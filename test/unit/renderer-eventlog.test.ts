/** The Measured boot view's words and states (renderer/src/eventlog/measured-boot.ts, linked-parts.ts), on real results. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Check } from '../../app/check.js';
import type { VerificationResult } from '../../app/report/result.js';
import { createVerifier } from '../../app/verifier.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { VECTORS_DIR } from '../support/vectors.js';
import {
  BASIS_WORDS,
  LOG_WORDS,
  akTrustNote,
  akTrusted,
  pcrAttestedWords,
  emptyBootText,
  eventBasis,
  eventLogsOf,
  eventSummary,
  groupByRegister,
  logState,
  pcrTablesOf,
  registerWords,
  shortDigest,
  untrustedFromText,
} from '../../renderer/src/eventlog/measured-boot.js';
import type { ShownReplay } from '../../renderer/src/eventlog/measured-boot.js';
import { linkOf, linkedParts, partState } from '../../renderer/src/eventlog/linked-parts.js';

const verifier = createVerifier({ crypto: nodeCryptoProvider() });
const bytes = (p: string) => new Uint8Array(readFileSync(VECTORS_DIR + p));
const QUOTE = 'eventlog/gotdx-cos113-tdx.quote';
let matched: VerificationResult;
let mismatched: VerificationResult;
let azure: VerificationResult;
let tpm: VerificationResult;

async function verify(primary: string, at: string, logs: string[] = []): Promise<VerificationResult> {
  const attachments = logs.map((p) => ({ role: 'eventlog' as const, name: p.split('/').pop()!, bytes: bytes(p) }));
  return verifier.verify(bytes(primary), [], { at: new Date(at), attachments });
}

before(async () => {
  matched = await verify(QUOTE, '2024-07-03T00:00:00Z', ['eventlog/gotdx-ccel-data.bin']);
  mismatched = await verify(QUOTE, '2024-07-03T00:00:00Z', ['eventlog/trustee-ccel-ovmf.bin']);
  azure = await verify('azure/snp-milan-evidence-v2.json', '2025-05-28T21:48:51Z');
  tpm = await verify('tpm/trustee-tpm-evidence.json', '2025-01-01T00:00:00Z');
});

const only = (r: VerificationResult): ShownReplay => {
  const logs = eventLogsOf(r.fields);
  assert.equal(logs.length, 1);
  return logs[0]!.value;
};

test('a log that replays to its quote is "matched"; every register says "matches"', () => {
  const replay = only(matched);
  assert.equal(logState(replay, matched.checks).state, 'matched');
  assert.deepEqual(
    replay.registers.map((r) => registerWords(r).word),
    ['matches', 'matches', 'matches', 'matches (never extended)'],
  );
});

test('another guest\'s log: "DOES NOT MATCH", and every event of a mismatched register is untrusted, from its first event', () => {
  const replay = only(mismatched);
  const { state } = logState(replay, mismatched.checks);
  assert.equal(state, 'mismatch');
  assert.match(LOG_WORDS[state].word, /DOES NOT MATCH/);
  const rtmr0 = groupByRegister(replay).find((g) => g.register === 'rtmr0')!;
  assert.equal(rtmr0.comparison?.status, 'mismatch');
  assert.equal(rtmr0.positions[0], rtmr0.comparison?.firstEvent, 'the first event the view marks is the one the core names');
  for (const p of rtmr0.positions) assert.equal(eventBasis(replay.log.events[p]!, rtmr0.comparison, state), 'untrusted');
  assert.equal(untrustedFromText('rtmr0'), 'from here on nothing in RTMR0 can be trusted');
});

test('an event is "verified data" only when its register matched, the log was compared and its digest matches its data', () => {
  const match = { register: 'rtmr1', status: 'match' as const, events: 3 };
  assert.equal(eventBasis({ register: 'rtmr1', digestMatchesData: true }, match, 'matched'), 'checked');
  assert.equal(eventBasis({ register: 'rtmr1', digestMatchesData: false }, match, 'matched'), 'measured-only');
  assert.equal(eventBasis({ register: 'rtmr1' }, match, 'matched'), 'measured-only', 'no digest recomputed');
  assert.equal(eventBasis({ register: 'rtmr1', digestMatchesData: true }, match, 'not-compared'), 'unverified');
  assert.equal(eventBasis({ register: 'rtmr3', digestMatchesData: true }, { register: 'rtmr3', status: 'not-replayable', events: 1 }, 'matched'), 'unverified');
  assert.equal(eventBasis({ digestMatchesData: true }, undefined, 'matched'), 'not-extended');
  assert.equal(BASIS_WORDS.checked.word, 'verified data');
  for (const b of ['measured-only', 'unverified'] as const) assert.equal(BASIS_WORDS[b].word, 'unverified data');
  // On the real log, no event whose digest is not of its data is ever called verified.
  const replay = only(matched);
  const groups = groupByRegister(replay);
  for (const g of groups)
    for (const p of g.positions) {
      const e = replay.log.events[p]!;
      if (eventBasis(e, g.comparison, 'matched') === 'checked') assert.equal(e.digestMatchesData, true, `#${p}`);
    }
});

test('no replay check, or a warning, means "not compared: nothing in it is proven"', () => {
  const replay = only(matched);
  const withoutReplay = matched.checks.filter((c) => c.id !== 'eventlog.replay');
  assert.equal(logState(replay, withoutReplay).state, 'not-compared');
  const warned: Check[] = matched.checks.map((c) => (c.id === 'eventlog.replay' ? { ...c, status: 'warn' } : c));
  assert.equal(logState(replay, warned).state, 'not-compared');
  assert.equal(LOG_WORDS['not-compared'].word, 'not compared: nothing in it is proven');
  // A passing check never overrides a log the core found not to match.
  assert.equal(logState({ ...replay, matched: false }, matched.checks).state, 'mismatch');
});

test('registers keep log order and positions; every event lands in exactly one group', () => {
  const replay = only(matched);
  const groups = groupByRegister(replay);
  assert.deepEqual(
    groups.map((g) => g.register),
    ['rtmr0', 'rtmr1', 'rtmr2', 'rtmr3'],
  );
  const all = groups.flatMap((g) => g.positions).sort((a, b) => a - b);
  assert.deepEqual(
    all,
    replay.log.events.map((_, i) => i),
  );
  for (const g of groups)
    assert.deepEqual(
      g.positions,
      [...g.positions].sort((a, b) => a - b),
    );
  assert.equal(groups.find((g) => g.register === 'rtmr2')!.positions.length, 20);
});

test('every register status has its own words; only a match is good', () => {
  const words = (['match', 'mismatch', 'not-replayable', 'not-in-log', 'not-signed'] as const).map((status) => registerWords({ status, events: 2 }));
  assert.deepEqual(
    words.map((w) => w.word),
    ['matches', 'DOES NOT MATCH', 'not replayable (runtime)', 'not described by the log', 'not signed'],
  );
  assert.deepEqual(
    words.map((w) => w.tone),
    ['good', 'bad', 'warn', 'none', 'none'],
  );
});

test('a missing decoded summary reads as nothing, control characters as escapes; digests are shortened', () => {
  const e = only(matched).log.events[0]!;
  assert.equal(eventSummary({ ...e, decoded: undefined }), '');
  assert.equal(eventSummary({ ...e, decoded: { summary: 'a\u0007b\nc' } }), 'a\\x07b\\x0ac');
  const d = e.digests[0]!.digest;
  assert.equal(shortDigest(d), `${d.slice(0, 12)}…${d.slice(-6)}`);
  assert.equal(shortDigest('abcd'), 'abcd');
});

test('the TPM quote: PCR rows at the top of fields; Azure: under its vTPM part, all 24 attested', () => {
  const top = pcrTablesOf(tpm.fields);
  assert.equal(top.length, 1);
  assert.equal(top[0]!.under, undefined);
  assert.equal(top[0]!.value.length, 24);
  const nested = pcrTablesOf(azure.fields);
  assert.equal(nested[0]!.under, 'tpm');
  assert.ok(nested[0]!.value.every((r) => r.attested));
  assert.deepEqual(pcrTablesOf({ pcrs: [{ bank: 'sha256' }] }), [], 'malformed rows are not shown');
  // "attested" is green only when the AK itself is trusted (Azure: bound by the HCL report; trustee's TPM: not tied to anything).
  assert.equal(akTrusted(azure.checks), true);
  assert.equal(akTrusted(tpm.checks), false);
  assert.deepEqual(pcrAttestedWords(true, false), { word: 'attested (signed by the AK)', tone: 'warn' });
  assert.deepEqual(pcrAttestedWords(true, true), { word: 'attested (signed by the AK)', tone: 'good' });
  assert.deepEqual(pcrAttestedWords(false, true), { word: 'supplied, not covered by the signature', tone: 'none' });
  assert.match(akTrustNote(tpm.checks)!.text, /not tied to hardware/);
  assert.equal(akTrustNote(matched.checks), undefined);
});

test("Azure's parts: both bindings bound from their passing checks; any other status is never drawn bound", () => {
  const parts = linkedParts(azure.fields, azure.checks)!;
  assert.ok(parts);
  assert.equal(parts.hardwareToRuntime.state, 'bound');
  assert.equal(parts.hardwareToRuntime.words, 'bound (check passed)');
  assert.equal(parts.runtimeToVtpm.state, 'bound');
  assert.equal(parts.hardware.state, 'verified');
  assert.match(parts.hardware.title, /AMD SEV-SNP/);
  assert.ok(parts.hardware.checkIds.includes('snp.report.signature'));
  assert.equal(parts.vtpm.facts.find(([k]) => k === 'nonce')?.[1], 'not checked: freshness not established');
  for (const [status, state, words] of [
    ['fail', 'broken', 'NOT bound (check failed)'],
    ['warn', 'not-established', 'not established (warning)'],
    ['skip', 'not-run', 'not run'],
  ] as const) {
    const checks = azure.checks.map((c) => (c.id === 'azure.ak.binding' ? { ...c, status } : c));
    const link = linkOf(checks, 'azure.ak.binding', '');
    assert.equal(link.state, state);
    assert.equal(link.words, words);
    assert.notEqual(linkedParts(azure.fields, checks)!.vtpm.state, 'verified', `${status}: the vTPM part is not verified`);
  }
  assert.equal(linkOf([], 'azure.hcl.binding', '').state, 'not-run');
  assert.equal(linkedParts(matched.fields, matched.checks), undefined, 'a TD quote has no linked parts');
});

test('a part is verified only when all its checks ran and passed', () => {
  const c = (id: string, status: Check['status']): Check => ({ id, status, title: id, explain: '' });
  assert.equal(partState([c('a', 'pass'), c('b', 'pass')], ['a', 'b']), 'verified');
  assert.equal(partState([c('a', 'pass')], ['a', 'b']), 'not-verified');
  assert.equal(partState([c('a', 'pass'), c('b', 'fail')], ['a', 'b']), 'failed');
  assert.equal(partState([], []), 'not-verified');
});

test('without any of them, the view says what is missing and what to drop', () => {
  const quoteOnly = emptyBootText({ rtmr0: 'ab', rtmr1: 'cd', mrTd: 'ef' }, 'vm');
  assert.match(quoteOnly.lines.join(' '), /RTMR0, RTMR1 are covered by the signature/);
  assert.match(quoteOnly.lines.join(' '), /\/sys\/firmware\/acpi\/tables\/data\/CCEL/);
  assert.match(emptyBootText({}, 'process').lines[0]!, /enclave has no boot registers/);
  assert.match(emptyBootText({}, 'vm').lines.join(' '), /binary_bios_measurements/);
});
