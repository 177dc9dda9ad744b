import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import type { VerificationResult } from '../../app/report/result.js';
import { parseEventLog } from '../../app/tee/eventlog/parse.js';
import { checkEventLogParts } from '../../app/tee/eventlog/check-replay.js';
import type { VerifyEnv } from '../../app/tee/module.js';
import { buildReport } from '../../app/report/report.js';
import { recheckReport } from '../../app/report/recheck.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { vectorBytes } from '../support/vectors.js';

const crypto = nodeCryptoProvider();
const QUOTE = vectorBytes('eventlog/gotdx-cos113-tdx.quote');
const LOG = vectorBytes('eventlog/gotdx-ccel-data.bin');
const NONCE = vectorBytes('eventlog/gotdx-nonce.bin');
const AT = new Date('2024-07-03T00:00:00Z');

async function verify(log: Uint8Array | undefined, quote = QUOTE, name = 'ccel.bin'): Promise<VerificationResult> {
  const attachments = log ? [{ role: 'eventlog' as const, name, bytes: log }] : [];
  return createVerifier({ crypto }).verify(quote, [], { at: AT, nonce: NONCE, attachments });
}

const check = (r: VerificationResult, id: string) => r.checks.find((c) => c.id === id);

/** The log with one byte of the digest of its first event extending `register` flipped. */
function withFlippedDigest(register: number): { bytes: Uint8Array; position: number } {
  const log = parseEventLog(LOG);
  const extending = log.events.map((e, i) => ({ e, i })).filter(({ e }) => e.index === register + 1 && e.type !== 3);
  const { e, i } = extending[0]!;
  const bytes = LOG.slice();
  bytes[e.offset + 4 + 4 + 4 + 2]! ^= 0x01; // pcrIndex, eventType, digest count, algorithm id, then the SHA-384 digest
  return { bytes, position: i };
}

test("the go-tdx-guest CCEL log replays to its TD quote's RTMRs", async () => {
  const r = await verify(LOG);
  assert.equal(check(r, 'dcap.quote.signature')?.status, 'pass');
  assert.equal(check(r, 'eventlog.format')?.status, 'pass');
  const replay = check(r, 'eventlog.replay')!;
  assert.equal(replay.status, 'pass', replay.explain);
  assert.match(replay.explain, /RTMR0, RTMR1, RTMR2 match/);
  assert.match(replay.explain, /RTMR3 never extended/);
  assert.deepEqual(
    r.inputs.map((i) => [i.name, i.role]),
    [
      ['evidence', 'evidence'],
      ['ccel.bin', 'eventlog'],
    ],
  );
  assert.ok(!r.errors.some((e) => e.code === 'EVENTLOG_REPLAY_MISMATCH'));
  const replays = r.fields['eventLogs'] as { matched: boolean; registers: { register: string; status: string }[] }[];
  assert.equal(replays.length, 1);
  assert.equal(replays[0]!.matched, true);
  assert.deepEqual(
    replays[0]!.registers.map((x) => x.status),
    ['match', 'match', 'match', 'match'],
  );
});

for (const register of [0, 1, 2]) {
  test(`an altered RTMR${register} event is EVENTLOG_REPLAY_MISMATCH naming RTMR${register} and its first event`, async () => {
    const { bytes, position } = withFlippedDigest(register);
    const r = await verify(bytes);
    const replay = check(r, 'eventlog.replay')!;
    assert.equal(replay.status, 'fail');
    assert.equal(replay.code, 'EVENTLOG_REPLAY_MISMATCH');
    assert.match(replay.explain, new RegExp(`RTMR${register} replays to [0-9a-f]{96} but the TD quote says`));
    assert.match(replay.explain, new RegExp(`from event #${position} `));
    assert.equal(r.verdict, 'rejected');
    assert.equal(r.cryptoValid, true, 'the quote itself is genuine: only the log is wrong');
    assert.ok(r.errors.some((e) => e.code === 'EVENTLOG_REPLAY_MISMATCH'));
  });
}

test("another machine's CCEL log does not replay to this quote", async () => {
  const r = await verify(vectorBytes('eventlog/trustee-ccel-ovmf.bin'), QUOTE, 'other.bin');
  assert.equal(check(r, 'eventlog.replay')?.code, 'EVENTLOG_REPLAY_MISMATCH');
  assert.match(check(r, 'eventlog.replay')!.explain, /RTMR0 replays to 8566f998/);
});

test('a file that is no event log fails eventlog.format (MALFORMED_EVIDENCE), never a crash', async () => {
  const r = await verify(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]));
  assert.equal(check(r, 'eventlog.format')?.status, 'fail');
  assert.equal(check(r, 'eventlog.format')?.code, 'MALFORMED_EVIDENCE');
  assert.ok(!r.errors.some((e) => e.code === 'INTERNAL_ERROR'));
  const truncated = await verify(LOG.subarray(0, 2000));
  assert.equal(check(truncated, 'eventlog.format')?.code, 'MALFORMED_EVIDENCE');
});

test('an event log beside evidence with no registers to compare is listed as ignored, with why', async () => {
  const sgx = vectorBytes('sgx/dcapqvl-v3.quote');
  const r = await createVerifier({ crypto }).verify(sgx, [], { at: AT, attachments: [{ role: 'eventlog', name: 'ccel.bin', bytes: LOG }] });
  const input = r.inputs.find((i) => i.name === 'ccel.bin')!;
  assert.equal(input.role, 'ignored');
  assert.match(input.note!, /event log, not used/);
  assert.equal(check(r, 'eventlog.replay'), undefined);
});

test('without an event log the RTMRs stay opaque: no eventlog checks at all', async () => {
  const r = await verify(undefined);
  assert.equal(check(r, 'eventlog.replay'), undefined);
});

const env = (): VerifyEnv => ({ at: 0, crypto, used: new Set() }) as unknown as VerifyEnv;

test('RTMR3 extended at runtime without log entries is "not replayable", not tampering', async () => {
  const part = { role: 'eventlog', name: 'ccel.bin', kind: 'evidence' as const, bytes: LOG };
  const clean = await checkEventLogParts([part], await signedOf(), env());
  const values = { ...(await signedOf()).values, rtmr3: 'ab'.repeat(48) };
  const out = await checkEventLogParts([part], { ...(await signedOf()), values }, env());
  const replay = out.checks.find((c) => c.id === 'eventlog.replay')!;
  assert.equal(clean.checks.find((c) => c.id === 'eventlog.replay')?.status, 'pass');
  assert.equal(replay.status, 'pass', replay.explain);
  assert.match(replay.explain, /RTMR3 not replayable/);
  assert.equal(out.replays[0]!.registers[3]!.status, 'not-replayable');
  const noRuntime = await checkEventLogParts([part], { ...(await signedOf()), values, runtime: [] }, env());
  assert.equal(noRuntime.checks.find((c) => c.id === 'eventlog.replay')?.code, 'EVENTLOG_REPLAY_MISMATCH');
  assert.match(noRuntime.checks.find((c) => c.id === 'eventlog.replay')!.explain, /the log never extends it: events are missing/);
});

test('a used log is recorded in env.used; a TCG log is left for a TPM quote', async () => {
  const part = { role: 'eventlog', name: 'ccel.bin', kind: 'evidence' as const, bytes: LOG };
  const e = env();
  await checkEventLogParts([part], await signedOf(), e);
  assert.ok(e.used.has(part));
  const asPcr = await checkEventLogParts([part], { kind: 'pcr', values: { pcr0: '00'.repeat(32) }, source: 'the TPM quote' }, env());
  assert.deepEqual(asPcr.checks, []);
});

async function signedOf() {
  const r = await verify(undefined);
  const values = Object.fromEntries([0, 1, 2, 3].map((i) => [`rtmr${i}`, String(r.claims[`rtmr${i}`])]));
  return { kind: 'rtmr' as const, values, source: 'the TD quote', runtime: ['rtmr3'] };
}

test('a report with an event log rechecks offline and agrees; the log travels with its role', async () => {
  const verifier = createVerifier({ crypto });
  const result = await verify(LOG);
  const report = buildReport({
    result,
    inputs: [
      { name: 'evidence', role: 'evidence', bytes: QUOTE },
      { name: 'ccel.bin', role: 'eventlog', bytes: LOG },
    ],
    timeline: [],
    toolVersion: 'test',
    createdAt: AT.toISOString(),
    nonce: NONCE,
  });
  assert.equal(report.inputs[1]!.role, 'eventlog');
  const again = await recheckReport(report, verifier, {});
  assert.equal(again.agrees, true, JSON.stringify(again.errors));
});
