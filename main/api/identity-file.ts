import { stat } from 'node:fs/promises';
import { TeeError } from '../../app/errors.js';

/**
 * A key file a saved target may log in with: the server's user's own, and readable by no one else, as
 * OpenSSH demands of a private key. A key another user could read is no secret; one another user owns
 * is not the user's to hand the app (browser mode answers whoever holds its session).
 */
export async function checkIdentityFile(path: string, uid: number | undefined = process.getuid?.()): Promise<void> {
  let s: Awaited<ReturnType<typeof stat>>;
  try {
    s = await stat(path);
  } catch (e) {
    throw new TeeError(
      'USAGE_ERROR',
      `the key file ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}): give the path of a private key file`,
    );
  }
  if (!s.isFile()) throw new TeeError('USAGE_ERROR', `the key file ${path} is not a regular file`);
  if (uid === undefined) return; // no POSIX owners and modes here (Windows)
  if (s.uid !== uid) throw new TeeError('USAGE_ERROR', `the key file ${path} belongs to another user (uid ${s.uid}, not ${uid}): use a key of your own`);
  const mode = s.mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new TeeError(
      'USAGE_ERROR',
      `the key file ${path} is readable or writable by others (mode ${mode.toString(8).padStart(4, '0')}): run chmod 600 ${path}, as OpenSSH requires`,
    );
}
