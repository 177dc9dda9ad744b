import { TeeError } from '../../app/errors.js';
import { decodeEvidence } from '../../app/evidence/decode.js';
import { parseQuote } from '../../app/tee/dcap/quote.js';
import { parseSnpReport } from '../../app/tee/snp/report.js';
import { parseCertificate } from '../../app/pki/x509.js';
import { parseCrl } from '../../app/pki/crl.js';
import { pemBlocks } from '../../app/pki/pem.js';
import { topLevelSpans } from '../../app/json/signed-spans.js';
import { createVerifier } from '../../app/verifier.js';
import type { Prng } from '../support/prng.js';
import { readdirSync } from 'node:fs';
import { verifiedDcapVectors, vectorBytes, collateralFiles, VECTORS_DIR } from '../support/vectors.js';

/**
 * Fuzz targets and input generators shared by the quick sample in `npm test` and `npm run fuzz`.
 * A target may return or throw TeeError; anything else (TypeError, RangeError, a hang) is a bug.
 */
export interface Seed {
  name: string;
  bytes: Uint8Array;
}

export function seeds(): { quotes: Seed[]; collateral: Seed[] } {
  const snp = ['snp/trustee-milan-vcek.report', 'snp/gosevguest-milan-vcek-debug.report'];
  const quotes = [...verifiedDcapVectors().map((v) => v.path), ...snp].map((p) => ({ name: p, bytes: vectorBytes(p) }));
  const collateral = verifiedDcapVectors().flatMap((v) => collateralFiles(v).map((f) => ({ name: f.name, bytes: f.bytes })));
  const raw = readdirSync(`${VECTORS_DIR}tdx/gotdx-pcs-2023`).map((f) => ({ name: f, bytes: vectorBytes(`tdx/gotdx-pcs-2023/${f}`) }));
  const vceks = ['snp/trustee-milan-vcek.vcek.der', 'snp/gosevguest-milan-vcek-debug.vcek.der'].map((p) => ({ name: p, bytes: vectorBytes(p) }));
  return { quotes, collateral: [...collateral, ...raw, ...vceks] };
}

/** A mutation of a real input: flips, overwrites with boundary values (lengths!), truncation, splices. */
export function mutate(r: Prng, input: Uint8Array): Uint8Array {
  const out = r.next() < 0.1 ? input.slice(0, r.int(input.length + 1)) : input.slice();
  const edits = 1 + r.int(4);
  for (let i = 0; i < edits && out.length > 0; i++) {
    const at = r.int(out.length);
    const kind = r.int(4);
    if (kind === 0) out[at] = out[at]! ^ (1 << r.int(8));
    else if (kind === 1) out[at] = [0x00, 0xff, 0x7f, 0x80, 0x01][r.int(5)]!;
    else if (kind === 2) out.fill(0xff, at, Math.min(out.length, at + 4)); // huge little-endian lengths
    else out[at] = r.int(256);
  }
  return out;
}

export function randomInput(r: Prng): Uint8Array {
  return r.bytes(r.int(r.next() < 0.9 ? 700 : 9000));
}

const sync: Record<string, (b: Uint8Array) => unknown> = {
  decodeEvidence,
  parseQuote,
  parseSnpReport,
  parseCertificate: (b) => parseCertificate(b),
  parseCrl: (b) => parseCrl(b),
  pemBlocks: (b) => pemBlocks(new TextDecoder().decode(b), 'MALFORMED_COLLATERAL'),
  topLevelSpans,
};

export const TARGETS = Object.keys(sync);

/** Runs one sync target; returns an error message when it failed in an untyped way. */
export function runSync(target: string, input: Uint8Array): string | undefined {
  try {
    sync[target]!(input);
  } catch (e) {
    if (!(e instanceof TeeError)) return `${target}: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`;
  }
  return undefined;
}

const verifier = createVerifier();
const at = new Date('2025-07-19T10:00:00Z');

/** The whole pipeline on a mutated quote and collateral: must always produce a result object, never throw. */
export async function runVerify(quote: Uint8Array, collateral: Seed[]): Promise<string | undefined> {
  try {
    const r = await verifier.verify(quote, collateral, { at });
    if (r.verdict === 'rejected' && r.errors.length === 0) return 'rejected without an error code';
  } catch (e) {
    return `verify threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`;
  }
  return undefined;
}
