import { resolve } from 'node:path';
import { TeeError } from '../../app/errors.js';

const FLAG = '--reference-key';

/**
 * Takes `--reference-key PUB.pem` (or `--reference-key=PUB.pem`) out of verify's arguments, before the strict
 * parser sees the rest. Options end at "--", as for node:util parseArgs. One key at most: a set is signed by one.
 */
export function takeReferenceKey(argv: readonly string[]): { argv: string[]; referenceKey?: string } {
  const rest: string[] = [];
  const found: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a.startsWith(`${FLAG}=`)) found.push(a.slice(FLAG.length + 1));
    else if (a === FLAG) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new TeeError('USAGE_ERROR', `${FLAG} needs a file: the signer's public key as PEM (PUB.pem)`);
      found.push(value);
      i++;
    } else rest.push(a);
  }
  if (found.length > 1) throw new TeeError('USAGE_ERROR', `${FLAG} takes one file: a reference set is signed by one key`);
  if (found[0] === '') throw new TeeError('USAGE_ERROR', `${FLAG} needs a file: the signer's public key as PEM (PUB.pem)`);
  return found.length ? { argv: rest, referenceKey: found[0]! } : { argv: rest };
}

/** The key goes with a reference file, and no output may overwrite it. */
export function checkReferenceKeyArgs(referenceKey: string | undefined, reference: string | undefined, outputs: (string | undefined)[]): void {
  if (referenceKey === undefined) return;
  if (reference === undefined) throw new TeeError('USAGE_ERROR', `${FLAG} goes with --reference FILE: it is the key that reference file must be signed with`);
  for (const out of outputs)
    if (out !== undefined && resolve(out) === resolve(referenceKey)) throw new TeeError('USAGE_ERROR', `an output file (${out}) may not be the ${FLAG} file`);
}
