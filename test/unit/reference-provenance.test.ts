import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReferenceValues } from '../../app/appraisal/reference.js';
import { TeeError } from '../../app/errors.js';

/** The `provenance` member of a reference set: parsed as strictly as the rest, and only for values the set allows. */
const M1 = 'ab'.repeat(48);
const M2 = 'cd'.repeat(48);
const SHA = '12'.repeat(32);

const artefacts = () => ({
  claims: { measurement: M1 },
  source: 'artefacts',
  tool: 'tee-inspect 0.1.0',
  createdAt: '2026-01-02T03:04:05Z',
  method: 'measure snp',
  inputs: [{ role: 'ovmf', name: 'OVMF.fd', sha256: SHA, bytes: 2097152 }],
  parameters: { vcpus: 4, vmm: 'qemu', smt: true },
  describes: { measurement: 'SEV-SNP launch digest' },
});
const evidence = () => ({
  claims: { measurement: M2.toUpperCase() },
  source: 'evidence',
  tool: 'tee-inspect 0.1.0',
  createdAt: '2026-01-02T03:04:05.123Z',
  evidence: { sha256: SHA, bytes: 1184, format: 'snp-report', at: '2024-07-03T13:10:40Z', verdict: 'verified', tier: 'affirming' },
});

function file(provenance: unknown[]): unknown {
  return {
    schema: 'tee-inspect/reference/v1',
    name: 'builds',
    sets: [{ name: 'prod', technology: 'sev-snp', claims: { measurement: [M1, M2] }, provenance }],
  };
}

function refused(provenance: unknown[], message: RegExp): void {
  assert.throws(
    () => parseReferenceValues(file(provenance)),
    (e: unknown) => e instanceof TeeError && e.code === 'MALFORMED_REFERENCE' && message.test(e.message),
    `expected ${message}`,
  );
}

test('artefact and evidence provenance parse, values normalised as in claims', () => {
  const set = parseReferenceValues(file([artefacts(), evidence()])).sets[0]!;
  assert.equal(set.provenance?.length, 2);
  const [a, e] = set.provenance!;
  assert.deepEqual(a!.claims, { measurement: M1 });
  assert.equal(a!.method, 'measure snp');
  assert.deepEqual(a!.parameters, { vcpus: 4, vmm: 'qemu', smt: true });
  assert.deepEqual(a!.inputs, [{ role: 'ovmf', name: 'OVMF.fd', sha256: SHA, bytes: 2097152 }]);
  assert.deepEqual(e!.claims, { measurement: M2 }, 'upper-case hex is read as lower-case');
  assert.equal(e!.evidence?.verdict, 'verified');
});

test('a set without provenance has none (hand-written sets)', () => {
  const json = file([]) as { sets: Record<string, unknown>[] };
  delete json.sets[0]!.provenance;
  assert.equal(parseReferenceValues(json).sets[0]!.provenance, undefined);
});

test('a provenance entry cannot vouch for a value or claim the set does not contain', () => {
  refused([{ ...artefacts(), claims: { measurement: 'ef'.repeat(48) } }], /provenance\[0\]\.claims\.measurement is a value set "prod" does not allow/);
  refused([{ ...artefacts(), claims: { hostData: '00'.repeat(32) } }], /claims\.hostData is not a claim of set "prod"/);
  refused([{ ...artefacts(), claims: {} }], /must name at least one claim value/);
  refused([{ ...artefacts(), claims: { measurement: M1.slice(2) } }], /must be 48 bytes/);
});

test('members are checked strictly, naming the path', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...artefacts(), extra: 1 }, /provenance\[0\]\.extra is not a tee-inspect\/reference\/v1 member/],
    [{ ...artefacts(), source: 'guess' }, /source must be one of evidence, artefacts/],
    [{ ...artefacts(), tool: '' }, /tool must be a non-empty string/],
    [{ ...artefacts(), tool: 'x'.repeat(201) }, /tool must be a non-empty string of at most 200/],
    [{ ...artefacts(), createdAt: '2026-01-02' }, /createdAt must be an ISO-8601 UTC time/],
    [{ ...artefacts(), method: undefined }, /method is required when source is "artefacts"/],
    [{ ...artefacts(), evidence: evidence().evidence }, /evidence belongs to source "evidence" only/],
    [{ ...evidence(), evidence: undefined }, /evidence is required when source is "evidence"/],
    [{ ...evidence(), evidence: { ...evidence().evidence, sha256: 'zz' } }, /evidence\.sha256 must be a SHA-256 digest/],
    [{ ...evidence(), evidence: { ...evidence().evidence, bytes: 1.5 } }, /evidence\.bytes must be a byte count/],
    [{ ...evidence(), evidence: { ...evidence().evidence, verdict: 'ok' } }, /verdict must be one of verified, rejected/],
    [{ ...evidence(), evidence: { ...evidence().evidence, tier: 'great' } }, /tier must be one of/],
    [{ ...evidence(), evidence: { ...evidence().evidence, more: 1 } }, /evidence\.more is not/],
    [{ ...artefacts(), inputs: [{ role: 'ovmf', name: 'a', sha256: SHA, bytes: -1 }] }, /inputs\[0\]\.bytes must be a byte count/],
    [{ ...artefacts(), inputs: [{ role: 'ovmf', name: 'a', sha256: SHA.slice(1), bytes: 1 }] }, /inputs\[0\]\.sha256 must be a SHA-256/],
    [{ ...artefacts(), inputs: [{ role: 'ovmf', name: 'a', sha256: SHA, bytes: 1, size: 1 }] }, /inputs\[0\]\.size is not/],
    [{ ...artefacts(), parameters: { vcpus: { n: 4 } } }, /parameters\.vcpus must be a string, a number or true\/false/],
    [{ ...artefacts(), parameters: { append: 'x'.repeat(4097) } }, /parameters\.append must be at most 4096/],
    [{ ...artefacts(), parameters: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`p${i}`, i])) }, /parameters has more than 64/],
    [{ ...artefacts(), describes: { hostData: 'x' } }, /describes\.hostData is not one of this entry's claims/],
    [{ ...artefacts(), inputs: 'ovmf' }, /inputs must be an array/],
  ];
  for (const [entry, message] of cases) refused([entry], message);
});

test('at most 1024 provenance entries', () => {
  refused(
    Array.from({ length: 1025 }, () => artefacts()),
    /provenance has more than 1024 entries/,
  );
  assert.equal(parseReferenceValues(file(Array.from({ length: 1024 }, () => artefacts()))).sets[0]!.provenance!.length, 1024);
});

test('a parameter named __proto__ stays a parameter', () => {
  const entry = { ...artefacts(), parameters: JSON.parse('{"__proto__": "x", "vcpus": 1}') as Record<string, unknown> };
  const p = parseReferenceValues(file([entry])).sets[0]!.provenance![0]!;
  assert.deepEqual(Object.keys(p.parameters!), ['__proto__', 'vcpus']);
});
