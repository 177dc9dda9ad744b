import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { missingNote, splitCollected } from '../../app/acquire/collected.js';
import type { Collected } from '../../app/acquire/collected.js';
import { adapterAnswer } from '../../app/acquire/adapters.js';
import { onlyCertTables, IGNORED_COLLATERAL_NOTE } from '../../main/acquire/evidence.js';
import { TeeError } from '../../app/errors.js';
import { prng } from '../support/prng.js';
import type { Prng } from '../support/prng.js';
import { VECTORS_DIR, vectorBytes } from '../support/vectors.js';

const enc = (s: string) => new TextEncoder().encode(s);
const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');
const azureQuote = JSON.parse(readFileSync(`${VECTORS_DIR}azure/snp-milan-tpm-quote.json`, 'utf8')) as { signature: string; message: string; pcrs: string[] };
const rawPcrs = Buffer.concat(azureQuote.pcrs.map((p) => Buffer.from(p, 'hex')));
const CCEL_TABLE = vectorBytes('eventlog/gotdx-ccel-table.bin');
const CCEL_DATA = vectorBytes('eventlog/gotdx-ccel-data.bin');
const HCL = vectorBytes('azure/snp-milan-hcl-report.bin');

/** What the default collector prints on an Azure SNP CVM (the same fields, the real vectors' bytes). */
function azureOutput(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    provider: 'azure-snp-vtpm',
    quote: '',
    auxblob: '',
    hcl: b64(HCL),
    tpmQuote: { message: b64(Buffer.from(azureQuote.message, 'hex')), signature: b64(Buffer.from(azureQuote.signature, 'hex')), pcrs: b64(rawPcrs) },
    thim: b64(JSON.stringify({ vcekCert: readFileSync(`${VECTORS_DIR}azure/snp-milan-vcek.pem`, 'utf8'), certificateChain: '', tcbm: '0' })),
    eventlogs: [{ name: 'ccel', path: '/sys/firmware/acpi/tables/data/CCEL', data: b64(CCEL_DATA) }],
    ccelTable: b64(CCEL_TABLE),
    missing: [{ item: 'tpm', path: '/sys/kernel/security/tpm0/binary_bios_measurements', reason: 'permission-denied', detail: '' }],
    ...extra,
  };
}
const split = (doc: unknown): Collected => splitCollected(enc(JSON.stringify(doc)));

test('Azure collector output: the HCL report is the evidence; vTPM quote, CCEL log and THIM VCEK come beside it; missing become notes', () => {
  const s = split(azureOutput());
  assert.deepEqual(s.evidence, HCL);
  assert.equal(s.provider, 'azure-snp-vtpm');
  assert.deepEqual(
    s.attachments.map((a) => [a.role, a.name]),
    [
      ['eventlog', 'CCEL event log (/sys/firmware/acpi/tables/data/CCEL)'],
      ['tpm-quote', 'vTPM quote (AK 0x81000003, SHA-256 PCRs 0-23)'],
    ],
  );
  assert.deepEqual(s.attachments[0]!.bytes, CCEL_DATA);
  assert.deepEqual(
    JSON.parse(new TextDecoder().decode(s.attachments[1]!.bytes)),
    azureQuote,
    'exactly the --tpm-quote JSON: {signature, message, pcrs} in hex',
  );
  assert.equal(s.collateral.length, 1);
  assert.match(s.collateral[0]!.name, /THIM/);
  assert.deepEqual(s.notes, ['TPM event log: permission denied reading /sys/kernel/security/tpm0/binary_bios_measurements (run the collector as root)']);
});

test("the CCEL table's declared log length is compared with the log: a cut log is named", () => {
  const cut = split(azureOutput({ eventlogs: [{ name: 'ccel', path: 'p', data: b64(CCEL_DATA.subarray(0, 1000)) }] }));
  assert.deepEqual(cut.notes.slice(0, 1), ['CCEL event log: 1000 bytes, but the ACPI CCEL table declares a log area of 262144 bytes']);
  assert.equal(cut.attachments[0]!.bytes.length, 1000, 'the bytes are still passed on: the verifier says what they prove');
});

test('TDX on Azure: the IMDS answer becomes a td-quote attachment; configfs-tsm output keeps its shape', () => {
  const quote = vectorBytes('eventlog/gotdx-cos113-tdx.quote');
  const tdx = split(
    azureOutput({ provider: 'azure-tdx-vtpm', thim: undefined, tdQuoteResponse: b64(JSON.stringify({ quote: Buffer.from(quote).toString('base64url') })) }),
  );
  assert.deepEqual(
    tdx.attachments.find((a) => a.role === 'td-quote'),
    { role: 'td-quote', name: 'TD quote (Azure IMDS /acc/tdquote)', bytes: quote },
  );
  const tsm = split({
    provider: 'tdx_guest',
    quote: b64(quote),
    auxblob: '',
    eventlogs: [],
    ccelTable: '',
    missing: [{ item: 'ccel', path: 'x', reason: 'absent' }],
  });
  assert.deepEqual(tsm.evidence, quote);
  assert.deepEqual(tsm.notes, ['no CCEL table: not a TDX guest or the kernel does not expose it']);
  const snp = split({ provider: 'sev_guest', quote: b64(quote), auxblob: '', missing: [{ item: 'ccel', path: 'x', reason: 'absent' }] });
  assert.deepEqual(snp.notes, [], 'on SEV-SNP a missing CCEL says nothing');
});

test('missing entries in words: tool absent, permission denied, failures with the tool message, unknown items', () => {
  const note = (item: string, reason: string, path = '', detail = '') => missingNote({ item, reason, path, detail });
  assert.equal(note('tpm-quote', 'tool-absent', '0x81000003', 'tpm2_quote'), 'vTPM quote: tpm2_quote not installed (apt install tpm2-tools)');
  assert.equal(
    note('ccel', 'permission-denied', '/sys/firmware/acpi/tables/data/CCEL'),
    'CCEL event log: permission denied reading /sys/firmware/acpi/tables/data/CCEL (run the collector as root)',
  );
  assert.equal(
    note('hcl-nonce', 'failed', '0x01400002', 'ERROR: NV_Write'),
    'Azure HCL report: writing the nonce to NV index 0x01400002 failed (ERROR: NV_Write), so the HCL report is the one made at boot, not bound to this nonce',
  );
  assert.equal(
    note('td-quote', 'tool-absent', 'http://169.254.169.254/acc/tdquote'),
    'Azure TD quote: neither curl nor wget is installed: the TD quote was not fetched from IMDS (http://169.254.169.254/acc/tdquote)',
  );
  assert.equal(note('constructor', 'x\u001b[2J'), 'collector: constructor not collected (x\\x1b[2J)', 'no inherited table entry, controls escaped');
  assert.equal(split(azureOutput({ missing: ['plain \u202e text'] })).notes[0], 'collector: plain \\u202e text');
});

test('wrong types become notes, never a crash; unknown fields are ignored', () => {
  const s = split(
    azureOutput({
      eventlogs: [{ name: 1, data: 'AA==' }, 'x'],
      tpmQuote: { message: 'AA==', signature: 'AA==', pcrs: b64(rawPcrs.subarray(0, 64)) },
      missing: 7,
      future: {},
    }),
  );
  assert.deepEqual(s.attachments, []);
  assert.deepEqual(s.notes, [
    'collector output: eventlogs[0] is not {name, data} with base64 data: ignored',
    'collector output: eventlogs[1] is not {name, data} with base64 data: ignored',
    "vTPM quote: the collector's tpmQuote is not {message, signature, pcrs} with 24 SHA-256 PCR values: ignored",
    'collector output: "missing" is not a list: ignored',
  ]);
  const hexForm = split(
    azureOutput({
      tpmQuote: { ...azureQuote, message: b64(Buffer.from(azureQuote.message, 'hex')), signature: b64(Buffer.from(azureQuote.signature, 'hex')) },
    }),
  );
  assert.equal(hexForm.attachments.filter((a) => a.role === 'tpm-quote').length, 1, 'PCRs already as 24 hex strings are taken too');
  const notJson = enc('{"hcl": 5');
  assert.equal(splitCollected(notJson).evidence, notJson);
});

test("onlyCertTables also takes Azure's VCEK chain as PEM, and still refuses DCAP collateral", () => {
  const vcek = { name: 'VCEK and AMD chain (Azure IMDS THIM)', bytes: vectorBytes('azure/snp-milan-vcek.pem') };
  assert.deepEqual(onlyCertTables([vcek]), { kept: [vcek], notes: [] });
  const pck = { name: 'pck.pem', bytes: enc(readFileSync(`${VECTORS_DIR}roots/${pickIntelRoot()}`, 'latin1')) };
  const dcap = { name: 'bundle', bytes: vectorBytes('tdx/dcapqvl-v4.collateral.json') };
  assert.deepEqual(onlyCertTables([vcek, pck, dcap]), { kept: [vcek], notes: [IGNORED_COLLATERAL_NOTE] });
});

function pickIntelRoot(): string {
  const name = readdirSync(`${VECTORS_DIR}roots`).find((f) => /intel|sgx/i.test(f) && /\.pem$/.test(f));
  assert.ok(name, 'an Intel root PEM among the vectors');
  return name;
}

test("HTTPS agents: the attestation agent's cc_eventlog is kept; dstack's JSON event log is named in a note, not dropped silently", () => {
  const src = (adapter: 'coco-aa' | 'dstack') => ({ kind: 'https' as const, url: 'https://h', adapter });
  const aa = adapterAnswer(src('coco-aa'), enc(JSON.stringify({ quote: 'AAAA', cc_eventlog: b64(CCEL_DATA) })));
  assert.deepEqual(aa.attachments, [{ role: 'eventlog', name: 'CCEL event log (attestation agent cc_eventlog)', bytes: CCEL_DATA }]);
  assert.deepEqual(aa.notes, []);
  assert.deepEqual(adapterAnswer(src('coco-aa'), enc('{"quote":"AAAA","cc_eventlog":"%%"}')).notes, [
    "the attestation agent's cc_eventlog is not base64: ignored",
  ]);
  const events = JSON.stringify([
    { imr: 0, event_type: 1, digest: '00', event: 'x', event_payload: '' },
    { imr: 3, event_type: 134217729, digest: '11', event: 'app-id', event_payload: 'aa' },
  ]);
  const ds = adapterAnswer(src('dstack'), enc(JSON.stringify({ quote: '00', event_log: events })));
  assert.deepEqual(ds.attachments, []);
  assert.deepEqual(ds.notes, ["dstack's event_log (2 events) is dstack's JSON list, not a TCG event log: not verified yet, so its events prove nothing here"]);
  const tcg = adapterAnswer(src('dstack'), enc(JSON.stringify({ quote: '00', event_log: b64(CCEL_DATA) })));
  assert.equal(tcg.attachments[0]?.role, 'eventlog', 'a binary TCG log from dstack is kept');
  assert.throws(
    () => adapterAnswer(src('dstack'), enc('{}')),
    (e: unknown) => e instanceof TeeError && e.code === 'FETCH_FAILED',
  );
});

/** Structural mutations of a real collector output: fields retyped, removed, truncated, or bytes flipped. */
function mutate(doc: Record<string, unknown>, rng: Prng): Uint8Array {
  const d = structuredClone(doc);
  const keys = Object.keys(d);
  const odd: unknown[] = [null, 1, -1, true, '', 'AA', '%%%', [], {}, [1, 'x'], { name: 'constructor', data: 'AA==' }, 'x'.repeat(rng.int(5000))];
  for (let n = rng.int(4); n >= 0; n--) {
    const k = keys[rng.int(keys.length)]!;
    const kind = rng.int(4);
    if (kind === 0) d[k] = structuredClone(odd[rng.int(odd.length)]);
    else if (kind === 1) delete d[k];
    else if (kind === 2 && typeof d[k] === 'string') d[k] = (d[k] as string).slice(0, rng.int((d[k] as string).length + 1));
    else if (Array.isArray(d[k])) (d[k] as unknown[]).push(structuredClone(odd[rng.int(odd.length)]));
  }
  const bytes = enc(JSON.stringify(d));
  if (rng.int(8) === 0) bytes[rng.int(bytes.length)] = rng.int(256);
  return bytes;
}

test('fuzz: splitCollected on mutated collector output never throws; notes are bounded and carry no control characters', () => {
  const count = Number(process.env.TEE_FUZZ_ACQUIRE ?? 1500);
  const rng = prng(12);
  const small = azureOutput({
    eventlogs: [{ name: 'ccel', path: 'p', data: b64(CCEL_DATA.subarray(0, 256)) }],
    thim: b64('{"vcekCert":"-----BEGIN CERTIFICATE-----"}'),
  });
  for (let i = 0; i < count; i++) {
    const input = mutate(small, rng);
    let out: Collected;
    try {
      out = splitCollected(input);
    } catch (e) {
      assert.fail(`seed 12 case ${i}: threw ${String(e)}`);
    }
    for (const n of out.notes) {
      assert.equal(typeof n, 'string');
      assert.ok(n.length < 1000, `case ${i}: note bounded`);
      assert.doesNotMatch(n, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/, `case ${i}`);
    }
    for (const a of out.attachments) assert.ok(['eventlog', 'tpm-quote', 'td-quote'].includes(a.role) && a.bytes.length > 0);
  }
});
