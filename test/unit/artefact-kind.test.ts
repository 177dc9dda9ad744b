import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ARTEFACT_HEAD_BYTES, ARTEFACT_TAIL_BYTES, artefactKind } from '../../app/evidence/artefact-kind.js';
import { buildBzImage } from '../fixtures/boot-predict/build-bzimage.js';
import { sampleTdvf } from '../fixtures/tdx-measure/build-tdvf.js';
import { prng } from '../support/prng.js';

const kind = (b: Uint8Array) => artefactKind(b.subarray(0, ARTEFACT_HEAD_BYTES), b.subarray(Math.max(0, b.length - ARTEFACT_TAIL_BYTES)));
const OVMF = '/usr/share/ovmf/OVMF.fd';

test('dropped artefacts are told apart by their bytes: firmware footer, kernel header, initrd archive', (t) => {
  assert.equal(kind(sampleTdvf()), 'firmware');
  if (existsSync(OVMF)) assert.equal(kind(new Uint8Array(readFileSync(OVMF))), 'firmware', "Debian's OVMF.fd");
  else t.diagnostic(`${OVMF} absent: the real firmware case is not run`);
  assert.equal(kind(buildBzImage()), 'kernel');
  const noStub = buildBzImage();
  noStub[0] = 0;
  assert.equal(kind(noStub), 'kernel', 'a bzImage without the EFI stub still has its HdrS header');
  assert.equal(kind(new Uint8Array(gzipSync(Buffer.from('070701' + '0'.repeat(200))))), 'initrd', 'gzip');
  assert.equal(kind(new TextEncoder().encode('070701' + '0'.repeat(200))), 'initrd', 'newc cpio');
  assert.equal(kind(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3])), 'initrd', 'zstd');
  assert.equal(kind(new TextEncoder().encode('{"schema": "tee-inspect/reference/v1"}')), 'unknown');
  assert.equal(kind(new Uint8Array(0)), 'unknown');
});

test('random and truncated bytes never throw', () => {
  const r = prng(7);
  for (let i = 0; i < 2000; i++) {
    const b = r.bytes(r.int(2000));
    assert.ok(['firmware', 'kernel', 'initrd', 'unknown'].includes(kind(b)));
    assert.ok(['firmware', 'kernel', 'initrd', 'unknown'].includes(artefactKind(b.subarray(0, r.int(b.length + 1)), b.subarray(r.int(b.length + 1)))));
  }
});
