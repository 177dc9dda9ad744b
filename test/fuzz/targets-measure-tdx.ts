import { parseTdvf, computeMrtd } from '../../app/tee/tdx/measure/index.js';
import { ATTR_PAGE_AUG, PAGE } from '../../app/tee/tdx/measure/tdvf.js';
import { authenticodeDigest } from '../../app/pe/index.js';
import { buildTdvf, sampleTdvf } from '../fixtures/tdx-measure/build-tdvf.js';
import { buildPe } from '../fixtures/tdx-measure/build-pe.js';
import { predictBootEvents } from '../../app/tee/eventlog/predict/index.js';
import type { BootPath } from '../../app/tee/eventlog/predict/index.js';
import { nobleProvider } from '../../app/crypto/noble.js';
import { buildBzImage } from '../fixtures/boot-predict/build-bzimage.js';
import type { FuzzTarget } from './targets-azure.js';

/**
 * Mutated sizes can ask for up to the parser's bound (1 GiB of pages), which is correct but takes seconds to
 * hash: such cases are parsed (every bound checked) and hashed only when small, so a run stays fast.
 */
const FUZZ_HASH_PAGES = 64;

function measureIfSmall(bytes: Uint8Array): unknown {
  const sections = parseTdvf(bytes);
  const pages = sections.reduce((n, s) => n + (s.attributes & ATTR_PAGE_AUG ? 0 : s.memoryDataSize / PAGE), 0);
  return pages <= FUZZ_HASH_PAGES ? [computeMrtd(bytes, sections, 'single'), computeMrtd(bytes, sections, 'two-pass')] : sections;
}

const crypto = nobleProvider();
const INITRD = new Uint8Array(64).fill(7);

const PATHS: readonly BootPath[] = ['qemu-direct', 'uefi', 'grub'];

/** A mutated kernel on one boot path, chosen by its length so every path is reached: predictions or a TeeError. */
function predictOnePath(kernel: Uint8Array): unknown {
  const path = PATHS[kernel.length % PATHS.length]!;
  return predictBootEvents({ kernel, initrd: INITRD, cmdline: 'console=ttyS0 vga=0x317', path, memoryBytes: 2 ** 31, bank: 'SHA-384' }, crypto);
}

/** A second shape: raw data shorter than its extended memory (zero padding) and a Payload section. */
function paddedTdvf(): Uint8Array {
  return buildTdvf(new Uint8Array(0x1800).fill(0x5a), [
    { dataOffset: 0x800, rawDataSize: 0x1000, memoryAddress: 0x200000, memoryDataSize: 0x3000, type: 5, attributes: 1 },
    { dataOffset: 0, rawDataSize: 0, memoryAddress: 0x100000, memoryDataSize: 0x1000, type: 6, attributes: 0 },
  ]);
}

export const MEASURE_TDX_FUZZ_TARGETS: readonly FuzzTarget[] = [
  { name: 'bootPredict', run: predictOnePath, seeds: () => [buildBzImage(), buildBzImage({ protocol: 0x20b })] },
  { name: 'tdvfMrtd', run: measureIfSmall, seeds: () => [sampleTdvf(), paddedTdvf()] },
  {
    name: 'peAuthenticode',
    run: (b) => [authenticodeDigest(b, 'sha256'), authenticodeDigest(b, 'sha384')],
    seeds: () => [buildPe().bytes, buildPe({ certSize: 0, trailer: 0 }).bytes],
  },
];
