import { readFile } from 'node:fs/promises';
import { TeeError } from '../app/errors.js';

/** No CLI input (evidence, collateral, a targets or CA file) is anywhere near this; a larger file is a mistake. */
export const MAX_INPUT = 16 * 1024 * 1024;

/** Reads a file the user named, bounded; every failure is FILE_UNREADABLE naming the file (and what it is for). */
export async function readInput(path: string, what?: string): Promise<Uint8Array> {
  const named = what ? `${what} ${path}` : path;
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new TeeError('FILE_UNREADABLE', `cannot read ${named}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path });
  }
  if (bytes.length > MAX_INPUT) throw new TeeError('FILE_UNREADABLE', `${named} is larger than ${MAX_INPUT} bytes`, { file: path });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}
