import { ARTEFACT_HEAD_BYTES, ARTEFACT_TAIL_BYTES, artefactKind } from '../../../../app/evidence/artefact-kind.js';
import type { DeriveForm } from './derive.js';

/** Dropped files placed by what their bytes say they are; the ones that are none of them are named for the user. */
export async function placeDropped(form: DeriveForm, files: readonly File[]): Promise<{ form: DeriveForm; placed: string[]; unknown: string[] }> {
  const next = { ...form };
  const placed: string[] = [];
  const unknown: string[] = [];
  for (const f of files) {
    const head = new Uint8Array(await f.slice(0, ARTEFACT_HEAD_BYTES).arrayBuffer());
    const tail = new Uint8Array(await f.slice(Math.max(0, f.size - ARTEFACT_TAIL_BYTES)).arrayBuffer());
    const kind = artefactKind(head, tail);
    if (kind === 'unknown') {
      unknown.push(f.name);
      continue;
    }
    next[kind === 'firmware' ? 'firmware' : kind] = f;
    placed.push(`${f.name} as the ${kind}`);
  }
  return { form: next, placed, unknown };
}
