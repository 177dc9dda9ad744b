import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

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
