import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createVerifier } from '../../app/verifier.js';
import type { VerificationResult } from '../../app/report/result.js';
import { collateralFiles, manifest, vectorBytes } from '../support/vectors.js';

/** The seed documents, beside the checkout like the vectors (../shared/seeds). */
export const SEEDS_DIR = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));

/** Seed text with slide markup dropped (<i>, **bold**, escapes) and whitespace collapsed, for verbatim lookups. */
export function normalise(s: string): string {
  return s
    .replace(/<[^>]+>/g, ' ')
    .replace(/[*\\]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function seedTexts(): Map<string, string> {
  return new Map(
    readdirSync(SEEDS_DIR)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => [f, normalise(readFileSync(SEEDS_DIR + f, 'utf8'))]),
  );
}

const verifier = createVerifier();
const cache = new Map<string, Promise<VerificationResult>>();

/** A manifest vector verified at its pinned time (optionally with a nonce); cached per id and nonce. */
export function verifyVector(id: string, nonce?: Uint8Array): Promise<VerificationResult> {
  const key = `${id}#${nonce ? Buffer.from(nonce).toString('hex') : ''}`;
  let p = cache.get(key);
  if (!p) {
    const v = manifest().vectors.find((e) => e.id === id);
    if (!v) throw new Error(`no vector ${id}`);
    p = verifier.verify(vectorBytes(v.path), collateralFiles(v), { at: new Date(v.expect.at), ...(nonce ? { nonce } : {}) });
    cache.set(key, p);
  }
  return p;
}

/** A deep copy to edit, so a test can state one condition (revoked, reference mismatch) on real evidence. */
export function edited(r: VerificationResult, edit: (r: VerificationResult) => void): VerificationResult {
  const copy = structuredClone(r);
  edit(copy);
  return copy;
}

/** A minimal SEV-SNP result: the module does not exist yet, so its shape follows DESIGN.md's claim names. */
export function fakeSnp(over: { debug?: boolean; tcbStatus?: string; cryptoValid?: boolean } = {}): VerificationResult {
  const debug = over.debug ?? false;
  const cryptoValid = over.cryptoValid ?? true;
  return {
    schema: 'tee-inspect/result/v1',
    evidence: { sha256: '00', bytes: 1184 },
    technology: 'sev-snp',
    format: 'snp-report-v2',
    verdict: debug || !cryptoValid ? 'rejected' : 'verified',
    cryptoValid,
    at: '2024-01-01T00:00:00.000Z',
    tcb: { status: over.tcbStatus ?? 'UpToDate', advisories: [] },
    appraisal: { tier: 'affirming', diffs: [] },
    claims: {
      measurement: 'ab'.repeat(48),
      hostData: '00'.repeat(32),
      reportData: '11'.repeat(64),
      debug,
      policy: { debug },
      signingKey: 'vcek',
      reportedTcb: { bootloader: 3, tee: 0, snp: 8, microcode: 115 },
    },
    checks: [
      { id: 'snp.report.signature', status: cryptoValid ? 'pass' : 'fail', title: 'Report signature', explain: '' },
      { id: 'snp.policy.debug', status: debug ? 'fail' : 'pass', title: 'Debug', explain: '' },
      { id: 'snp.nonce', status: 'skip', title: 'Nonce', explain: '' },
    ],
    errors: [],
    fields: {},
    collateral: [],
    inputs: [],
    notEstablished: [],
  };
}
