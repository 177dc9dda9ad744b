import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appraiseReference } from '../../app/appraisal/appraise.js';
import { referenceDiffLines } from '../../app/appraisal/diff-text.js';
import { parseReferenceValues } from '../../app/appraisal/reference.js';
import type { ReferenceSet, ReferenceValues } from '../../app/appraisal/reference.js';
import { bootClaimSources } from '../../app/tee/eventlog/claim-sources.js';
import type { EventLogReplay } from '../../app/tee/eventlog/check-replay.js';
import { createVerifier } from '../../app/verifier.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { vectorBytes } from '../support/vectors.js';

const GOOD = 'a'.repeat(96);
const BUILT = 'b'.repeat(96);
const CMDLINE = 'c'.repeat(96);

function set(extra: Partial<ReferenceSet> = {}): ReferenceSet {
  return {
    name: 'prod',
    technology: 'tdx',
    claims: { 'boot.kernelDigest': [BUILT], 'boot.kernelCmdlineDigest': [CMDLINE] },
    minimum: [],
    allowDebug: false,
    requireRevocation: false,
    ...extra,
  };
}

const ref = (s: ReferenceSet): ReferenceValues => ({ schema: 'tee-inspect/reference/v1', name: 'golden.json', sets: [s] });
const PROVENANCE: ReferenceSet['provenance'] = [
  {
    claims: { 'boot.kernelDigest': BUILT },
    source: 'artefacts',
    tool: 'tee-inspect 0.9.0',
    createdAt: '2025-01-01T00:00:00Z',
    method: 'Authenticode SHA384 of the image as QEMU patched its setup header',
    inputs: [{ role: 'kernel', name: 'bzImage', sha256: '1'.repeat(64), bytes: 8247232 }],
    describes: { 'boot.kernelDigest': 'kernel image' },
  },
];
const input = {
  technology: 'tdx',
  format: 'tdx-quote-v4',
  claims: { debug: false, boot: { kernelDigest: GOOD, kernelCmdlineDigest: CMDLINE } },
  tcb: null,
  checks: [],
  claimSources: {
    'boot.kernelDigest': { register: 'rtmr1', event: 23, detail: 'EV_EFI_BOOT_SERVICES_APPLICATION, path (from unverified event data): kernel' },
    'boot.kernelCmdlineDigest': { register: 'rtmr2', event: 25 },
  },
};
const claimsCheck = (checks: { id: string; explain: string }[]) => checks.find((c) => c.id === 'reference.claims')!;

test('a mismatch names the register, the event and the input from the set provenance; a match carries its source only', () => {
  const a = appraiseReference(input, ref(set({ provenance: PROVENANCE })));
  const kernel = a.diffs.find((d) => d.claim === 'boot.kernelDigest')!;
  assert.equal(kernel.match, false);
  assert.deepEqual(kernel.source, input.claimSources['boot.kernelDigest']);
  assert.equal(
    kernel.explainedBy,
    `kernel image: expected sha384 ${BUILT} (from bzImage, sha256 ${'1'.repeat(64)}, Authenticode SHA384 of the image as QEMU patched its setup header), found ${GOOD}`,
  );
  assert.match(
    claimsCheck(a.checks).explain,
    new RegExp(`RTMR1, event 23 \\(EV_EFI_BOOT_SERVICES_APPLICATION, path \\(from unverified event data\\): kernel\\): kernel image: expected sha384 ${BUILT}`),
  );
  const cmdline = a.diffs.find((d) => d.claim === 'boot.kernelCmdlineDigest')!;
  assert.equal(cmdline.match, true);
  assert.deepEqual(cmdline.source, { register: 'rtmr2', event: 25 });
  assert.equal(cmdline.explainedBy, undefined);
});

test('without provenance the input is named by the claim meaning; without a source the old message stands', () => {
  const a = appraiseReference(input, ref(set()));
  assert.match(a.diffs[0]!.explainedBy!, new RegExp(`^digest of the kernel image .*: expected sha384 ${BUILT}, found ${GOOD}$`));
  const { claimSources: _s, ...bare } = input;
  const b = appraiseReference(bare, ref(set()));
  assert.equal(b.diffs[0]!.source, undefined);
  assert.equal(b.diffs[0]!.explainedBy, undefined);
  assert.match(claimsCheck(b.checks).explain, new RegExp(`boot\\.kernelDigest is ${GOOD}, but the set allows only ${BUILT}`));
});

test('text claims are quoted in the explanation, and the diff text shows where and why', () => {
  const text = {
    ...input,
    claims: { debug: false, boot: { kernelCmdline: 'ro quiet' } },
    claimSources: { 'boot.kernelCmdline': { register: 'pcr8', event: 40, detail: 'EV_IPL' } },
  };
  const a = appraiseReference(text, ref(set({ claims: { 'boot.kernelCmdline': ['ro'] } })));
  assert.match(claimsCheck(a.checks).explain, /PCR8, event 40 \(EV_IPL\): the kernel command line GRUB measured .*: expected "ro", found "ro quiet"/);
  const lines = referenceDiffLines({ technology: 'tdx', appraisal: { tier: 'contraindicated', diffs: a.diffs, reference: a.reference } });
  assert.ok(
    lines.some((l) => /measured {2}PCR8, event 40 \(EV_IPL\)$/.test(l)),
    lines.join('\n'),
  );
  assert.ok(
    lines.some((l) => /because {3}the kernel command line GRUB measured/.test(l)),
    lines.join('\n'),
  );
});

const QUOTE = vectorBytes('eventlog/gotdx-cos113-tdx.quote');
const LOG = vectorBytes('eventlog/gotdx-ccel-data.bin');
const AT = new Date('2024-07-03T00:00:00Z');
const COS_KERNEL = 'b1012372f421ad28c9f542e5a1b8c4d312a0d1c8637ffba5e52b632d4b632e504da1b73964f6e8ba047bcd4f1d5a1dfe';

async function verifyCos(kernelDigest: string) {
  const reference = parseReferenceValues({
    schema: 'tee-inspect/reference/v1',
    name: 'cos.json',
    sets: [{ name: 'cos-113', technology: 'tdx', claims: { 'boot.kernelDigest': [kernelDigest] } }],
  });
  return createVerifier({ crypto: nodeCryptoProvider() }).verify(QUOTE, [], {
    at: AT,
    reference,
    attachments: [{ role: 'eventlog', name: 'ccel.bin', bytes: LOG }],
  });
}

test('end to end, the COS TDX vector whose CC event log replays: a wrong kernel digest names RTMR2, event 39 (GRUB read /syslinux/vmlinuz.A)', async () => {
  const wrong = 'e'.repeat(96);
  const r = await verifyCos(wrong);
  const d = r.appraisal.diffs.find((x) => x.claim === 'boot.kernelDigest')!;
  assert.equal(d.match, false);
  assert.deepEqual(d.source, { register: 'rtmr2', event: 39, detail: 'EV_IPL, file (from unverified event data): /syslinux/vmlinuz.A' });
  assert.match(d.explainedBy!, new RegExp(`: expected sha384 ${wrong}, found ${COS_KERNEL}$`));
  const c = r.checks.find((x) => x.id === 'reference.claims')!;
  assert.equal(c.status, 'fail');
  assert.match(c.explain, /RTMR2, event 39 \(EV_IPL, file \(from unverified event data\): \/syslinux\/vmlinuz\.A\): digest of the kernel image/);
});

test('end to end: the right kernel digest matches and still records where it was measured', async () => {
  const r = await verifyCos(COS_KERNEL);
  const d = r.appraisal.diffs.find((x) => x.claim === 'boot.kernelDigest')!;
  assert.equal(d.match, true);
  assert.equal(d.source?.event, 39);
  assert.equal(d.explainedBy, undefined);
});

test('bootClaimSources: only the log that replayed, first source for first-value claims, last for logged digests', () => {
  assert.deepEqual(bootClaimSources(undefined), {});
  const sources = [
    { claim: 'kernelDigest', event: 17, register: 'rtmr1', basis: 'logged-digest' as const, unverifiedDetail: 'first' },
    { claim: 'kernelDigest', event: 39, register: 'rtmr2', basis: 'logged-digest' as const },
    { claim: 'kernelCmdline', event: 40, register: 'rtmr2', basis: 'digest-of-data' as const },
    { claim: 'kernelCmdline', event: 41, register: 'rtmr2', basis: 'digest-of-data' as const },
    { claim: 'grubCommands', event: 30, register: 'rtmr2', basis: 'digest-of-data' as const },
  ];
  const events = Array.from({ length: 42 }, () => ({ typeName: 'EV_IPL' }));
  const replay = (matched: boolean) =>
    ({ name: 'l', comparedWith: 'q', matched, registers: [{ status: 'match', events: 3 }], log: { claims: { sources }, events } }) as unknown as EventLogReplay;
  assert.deepEqual(bootClaimSources([replay(false)]), {});
  assert.deepEqual(bootClaimSources([replay(false), replay(true)]), {
    'boot.kernelDigest': { register: 'rtmr2', event: 39, detail: 'EV_IPL' },
    'boot.kernelCmdline': { register: 'rtmr2', event: 40, detail: 'EV_IPL' },
  });
});
