import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readInput } from '../../main/read-input.js';
import { TargetInputs } from '../../main/fleet/inputs.js';
import { TeeError } from '../../app/errors.js';
import { runCli, runCliJson } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tee-read-input-'));
const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);

function refused(what: RegExp) {
  return (e: unknown) => e instanceof TeeError && e.code === 'FILE_UNREADABLE' && what.test(e.message);
}

/** A stream that never ends (as `cat /dev/zero |` would be), counting what was taken from it. */
function endless(chunk: number): { stream: Readable; taken: () => number } {
  let taken = 0;
  const stream = new Readable({
    read() {
      taken += chunk;
      this.push(Buffer.alloc(chunk));
    },
  });
  return { stream, taken: () => taken };
}

test('devices, FIFOs and directories are refused at once, saying what the path is', async () => {
  const started = performance.now();
  await assert.rejects(readInput('/dev/zero', 'evidence'), refused(/evidence \/dev\/zero: it is a character device, not a regular file/));
  await assert.rejects(readInput(fifo), refused(/a FIFO \(named pipe\)/), 'opening a FIFO with no writer would block for ever');
  await assert.rejects(readInput(dir), refused(/a directory/));
  await assert.rejects(readInput(join(dir, 'absent'), 'collateral'), refused(/cannot read collateral .*absent: ENOENT/));
  assert.ok(performance.now() - started < 2000, 'nothing was read from them');
});

test('the size limit holds while reading: a file one byte over is refused, one at the limit is read', async () => {
  writeFileSync(join(dir, 'at-limit'), Buffer.alloc(1000, 7));
  writeFileSync(join(dir, 'over'), Buffer.alloc(1001, 7));
  assert.equal((await readInput(join(dir, 'at-limit'), undefined, { limit: 1000 })).length, 1000);
  await assert.rejects(readInput(join(dir, 'over'), 'reference file', { limit: 1000 }), refused(/reference file .*over is larger than 1000 bytes/));
});

test('- reads standard input, bounded too: an endless stream is abandoned just past the limit', async () => {
  assert.deepEqual([...(await readInput('-', 'evidence', { stdin: Readable.from([Buffer.from('ab'), Buffer.from('c')]) }))], [0x61, 0x62, 0x63]);
  const { stream, taken } = endless(64 * 1024);
  await assert.rejects(readInput('-', 'evidence', { stdin: stream, limit: 1024 * 1024 }), refused(/evidence - is larger than 1048576 bytes/));
  assert.ok(taken() <= 1024 * 1024 + 4 * 64 * 1024, `took ${taken()} bytes from the stream`);
});

test('tee-inspect verify /dev/zero and a FIFO exit 2 at once with FILE_UNREADABLE', async () => {
  const zero = await runCliJson(['verify', '/dev/zero']);
  assert.equal(zero.code, 2);
  assert.equal(zero.json.errors[0].code, 'FILE_UNREADABLE');
  assert.match(zero.json.errors[0].message, /character device/);
  const r = await runCli(['verify', fifo, '--collateral', '/dev/zero']);
  assert.equal(r.code, 2);
  assert.match(r.err, /FIFO/);
});

test('a targets file naming a device or FIFO as collateral or reference fails that target, without reading it', async () => {
  const inputs = new TargetInputs(dir);
  const t = { name: 't', url: 'ssh://u@h' };
  await assert.rejects(inputs.collateral({ ...t, collateral: ['/dev/zero'] }), refused(/character device/));
  await assert.rejects(inputs.reference({ ...t, reference: 'fifo' })!, refused(/FIFO/));
});
