import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { TeeError } from '../app/errors.js';

/** No CLI input (evidence, collateral, a targets or CA file) is anywhere near this; a larger file is a mistake. */
export const MAX_INPUT = 16 * 1024 * 1024;

export interface ReadInputOptions {
  /** Default MAX_INPUT; at most limit + 1 bytes are ever read. */
  limit?: number;
  /** What `-` reads; default process.stdin. */
  stdin?: AsyncIterable<Uint8Array | string>;
}

/**
 * Reads a file the user named (or `-`: standard input), bounded while reading: only regular files are
 * opened, so /dev/zero, a FIFO or a directory is refused before a byte is read. Every failure is
 * FILE_UNREADABLE naming the file (and what it is for).
 */
export async function readInput(path: string, what?: string, o: ReadInputOptions = {}): Promise<Uint8Array> {
  const named = what ? `${what} ${path}` : path;
  const limit = o.limit ?? MAX_INPUT;
  if (path === '-') return readStream(o.stdin ?? process.stdin, named, limit);
  const handle = await openRegular(path, named);
  try {
    return await readHandle(handle, named, path, limit);
  } catch (e) {
    throw e instanceof TeeError ? e : unreadable(named, path, e);
  } finally {
    await handle.close();
  }
}

/** stat before open (opening a FIFO would block), O_NONBLOCK in case it was swapped since, fstat to be sure. */
async function openRegular(path: string, named: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    refuseSpecial(await stat(path), named, path);
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw e instanceof TeeError ? e : unreadable(named, path, e);
  }
  try {
    refuseSpecial(await handle.stat(), named, path);
    return handle;
  } catch (e) {
    await handle.close();
    throw e instanceof TeeError ? e : unreadable(named, path, e);
  }
}

function refuseSpecial(s: Stats, named: string, path: string): void {
  if (s.isFile()) return;
  throw new TeeError('FILE_UNREADABLE', `cannot read ${named}: it is ${kindOf(s)}, not a regular file (give a file, or - for standard input)`, { file: path });
}

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

async function readHandle(h: FileHandle, named: string, path: string, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const buf = new Uint8Array(Math.min(1024 * 1024, limit + 1 - total));
    const { bytesRead } = await h.read(buf, 0, buf.length, null);
    if (bytesRead === 0) return concat(chunks, total);
    chunks.push(buf.subarray(0, bytesRead));
    total += bytesRead;
    if (total > limit) throw tooLarge(named, path, limit);
  }
}

/** Standard input may be a pipe that never ends: counted while it streams, abandoned past the limit. */
async function readStream(input: AsyncIterable<Uint8Array | string>, named: string, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const c of input) {
      const bytes = typeof c === 'string' ? new TextEncoder().encode(c) : c;
      const room = limit + 1 - total;
      chunks.push(bytes.subarray(0, room));
      total += Math.min(bytes.length, room);
      if (total > limit) throw tooLarge(named, '-', limit);
    }
  } catch (e) {
    throw e instanceof TeeError ? e : new TeeError('FILE_UNREADABLE', `cannot read ${named}: ${(e as Error).message}`, { file: '-' });
  }
  return concat(chunks, total);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function tooLarge(named: string, path: string, limit: number): TeeError {
  return new TeeError('FILE_UNREADABLE', `${named} is larger than ${limit} bytes`, { file: path, limit });
}

function unreadable(named: string, path: string, e: unknown): TeeError {
  const code = (e as NodeJS.ErrnoException).code;
  return new TeeError('FILE_UNREADABLE', `cannot read ${named}: ${code ?? (e as Error).message}`, { file: path, ...(code ? { errno: code } : {}) });
}
