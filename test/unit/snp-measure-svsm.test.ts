import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runCliJson } from '../support/cli.js';

import { measureSnpSvsm, VCPU_SIGS } from '../../app/tee/snp/measure/index.js';
import { isTeeError } from '../../app/errors.js';

/**
 * sev-snp-measure's snp:svsm known answers (tests/test_guest.py test_snp_svsm_4_vcpus / _2_vcpus, values taken from
 * real launches). Their images (1.1 MiB + 3.6 MiB) are too large to copy, so they are read from the git mirror; CI
 * has none, and the test is skipped, loudly.
 */
const MIRROR = process.env.SEV_SNP_MEASURE_GIT ?? '/work/.mirror/virtee+sev-snp-measure/repo';
const SKIP = existsSync(MIRROR) ? false : `no sev-snp-measure mirror at ${MIRROR} (set SEV_SNP_MEASURE_GIT)`;
if (SKIP) console.warn(`\n*** SKIPPED: SVSM known answers: ${SKIP} ***\n`);

const blob = (path: string) =>
  new Uint8Array(execFileSync('git', ['-C', MIRROR, 'show', `8f2b337e38bc83f87cd30f3253cdfe8e3e12cc3a:${path}`], { maxBuffer: 1 << 24 }));

test('SNP with Coconut SVSM: the 4- and 2-vCPU known answers', { skip: SKIP }, () => {
  const ovmf = blob('tests/fixtures/svsm_ovmf.fd');
  const svsm = blob('tests/fixtures/svsm.bin');
  const m = (vcpus: number) => measureSnpSvsm({ ovmf, svsm, varsSize: 540672, vcpus, vcpuSig: VCPU_SIGS['EPYC-v4']! }).measurement;
  assert.equal(m(4), '27d154c27b7b359c935e250ec6fee72aa0ae8c1225e3b0e1cf46a9567e938066d7d6f94bbdc4a857818bdb79277a44b2');
  assert.equal(m(2), '9b94745036aafddf4f7f8b00c7513abb5b7703178cb95aaa57928bd963d68d3bfcb715d6019b9167ee2517b11b0d9be7');
  // The variable store size moves the SVSM, so it changes the digest.
  assert.notEqual(measureSnpSvsm({ ovmf, svsm, varsSize: 131072, vcpus: 2, vcpuSig: VCPU_SIGS['EPYC-v4']! }).measurement, m(2));
});

test('an SVSM image without its information entry is refused with a clear error', () => {
  const ovmf = new Uint8Array(readFileSync(new URL('../fixtures/sev-snp-measure/ovmf_AmdSev_suffix.bin', import.meta.url)));
  assert.throws(
    () => measureSnpSvsm({ ovmf, svsm: ovmf, varsSize: 0, vcpus: 1, vcpuSig: 0 }),
    (e) => isTeeError(e) && e.code === 'MALFORMED_EVIDENCE' && /no SVSM information entry/.test(e.message),
  );
});

const dir = mkdtempSync(join(tmpdir(), 'svsm-'));
const EPYC = ['--vcpu-type', 'EPYC-v4'];

test(
  'measure snp --svsm: the CLI gives the known answer, from --vars-size or the store file, and reference create records both images',
  { skip: SKIP },
  async () => {
    writeFileSync(join(dir, 'ovmf.fd'), blob('tests/fixtures/svsm_ovmf.fd'));
    writeFileSync(join(dir, 'svsm.bin'), blob('tests/fixtures/svsm.bin'));
    writeFileSync(join(dir, 'vars.fd'), new Uint8Array(540672));
    const base = ['--ovmf', join(dir, 'ovmf.fd'), '--svsm', join(dir, 'svsm.bin'), '--vcpus', '4', ...EPYC];
    const known = '27d154c27b7b359c935e250ec6fee72aa0ae8c1225e3b0e1cf46a9567e938066d7d6f94bbdc4a857818bdb79277a44b2';
    for (const vars of [
      ['--vars-size', '540672'],
      ['--vars-file', join(dir, 'vars.fd')],
    ]) {
      const { code, json } = await runCliJson(['measure', 'snp', ...base, ...vars]);
      assert.equal(code, 0);
      assert.equal(json.measurement, known);
      assert.equal(json.mode, 'snp:svsm');
      assert.equal(json.inputs.varsSize, 540672);
    }
    const { code, json } = await runCliJson(['reference', 'create', '--measure', 'snp', ...base, '--vars-size', '540672']);
    assert.equal(code, 0);
    const set = json.file.sets[0];
    assert.deepEqual(set.claims.measurement, [known]);
    assert.deepEqual(
      set.provenance[0].inputs.map((i: { role: string }) => i.role),
      ['ovmf', 'svsm'],
    );
    assert.equal(set.provenance[0].parameters.varsSize, 540672);
  },
);

test('measure snp --svsm: what does not apply to an SVSM launch is a usage error, not ignored', async () => {
  const f = join(dir, 'x.bin');
  writeFileSync(f, new Uint8Array(16));
  const base = ['measure', 'snp', '--ovmf', f, '--vcpus', '1', ...EPYC];
  const cases: [string[], RegExp][] = [
    [['--svsm', f], /--vars-size BYTES or --vars-file FILE/],
    [['--svsm', f, '--vars-size', '1', '--vars-file', f], /one of them/],
    [['--vars-size', '4096'], /go with --svsm/],
    [['--svsm', f, '--vars-size', '1', '--kernel', f], /--kernel does not apply with --svsm/],
    [['--svsm', f, '--vars-size', '1', '--guest-features', '0x21'], /--guest-features does not apply/],
    [['--svsm', f, '--vars-size', '1.5'], /--vars-size is a byte count/],
  ];
  for (const [extra, message] of cases) {
    const { code, err } = await runCli([...base, ...extra]);
    assert.equal(code, 2, extra.join(' '));
    assert.match(err, message, extra.join(' '));
  }
  const sevEs = await runCli(['measure', 'sev-es', '--ovmf', f, '--vcpus', '1', ...EPYC, '--svsm', f, '--vars-size', '1']);
  assert.equal(sevEs.code, 2);
  assert.match(sevEs.err, /applies to SNP only/);
});
