import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createVerifier } from '../../app/verifier.js';
import { collateralTimeline } from '../../app/collateral/timeline.js';
import { parseReferenceBytes } from '../../app/appraisal/reference.js';
import { buildReport } from '../../app/report/report.js';
import type { ReportV2 } from '../../app/report/report.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { vectorBytes } from './vectors.js';

/**
 * Reports built the way the pipeline builds them: verify, the collateral timeline of the supplied files,
 * then buildReport with every input's bytes. Pinned to the vectors' `expect.at`.
 */
export const TDX = {
  evidence: 'tdx/dcapqvl-v4.quote',
  collateral: 'tdx/dcapqvl-v4.collateral.json',
  at: '2025-07-19T10:00:34Z',
  reportData: '9a9d48e7f6799642d3d1b34e1e5e1742',
};
export const SNP = {
  evidence: 'snp/trustee-milan-vcek.report',
  collateral: 'snp/trustee-milan-vcek.vcek.der',
  at: '2024-07-03T13:10:40Z',
  reportData: 'ec6c52d7533cc2c4f45be7849cf112ab',
};
export const TDX_REFERENCE = new Uint8Array(readFileSync(fileURLToPath(new URL('../../docs/examples/tdx-dcapqvl-v4.reference.json', import.meta.url))));
export const SNP_MEASUREMENT = 'a1f3930413247bb38cfc171579ea3c12d5fe4901f0c792f63fd75d98f1ef827c23500644e0e692e6be917f9050d3d38c';

export interface FixtureOptions {
  nonce?: string;
  reference?: Uint8Array;
  extra?: { name: string; bytes: Uint8Array }[];
}

export async function vectorReport(v: typeof TDX, o: FixtureOptions = {}): Promise<ReportV2> {
  const verifier = createVerifier({ crypto: nodeCryptoProvider() });
  const evidence = { name: v.evidence.split('/').pop()!, bytes: vectorBytes(v.evidence) };
  const files = [{ name: v.collateral.split('/').pop()!, bytes: vectorBytes(v.collateral) }, ...(o.extra ?? [])];
  const nonce = o.nonce !== undefined ? new Uint8Array(Buffer.from(o.nonce, 'hex')) : undefined;
  const at = new Date(v.at);
  const reference = o.reference ? { reference: parseReferenceBytes(o.reference), referenceFile: { name: 'reference.json', bytes: o.reference } } : {};
  const result = await verifier.verify(evidence.bytes, files, { at, evidenceName: evidence.name, ...(nonce ? { nonce } : {}), ...reference });
  const timeline = collateralTimeline(
    files.map((f) => ({ source: f.name, set: verifier.loadCollateral([f]) })),
    at.getTime(),
  );
  const inputs = [
    { ...evidence, role: 'evidence' },
    ...files.map((f) => ({ ...f, role: 'collateral' })),
    ...(o.reference ? [{ name: 'reference.json', role: 'reference', bytes: o.reference }] : []),
  ];
  return buildReport({ result, inputs, timeline, toolVersion: '0.1.0', createdAt: '2026-01-02T03:04:05Z', ...(nonce ? { nonce } : {}) });
}

export function snpReference(measurement = SNP_MEASUREMENT): Uint8Array {
  const ref = {
    schema: 'tee-inspect/reference/v1',
    name: 'snp golden',
    sets: [{ name: 'milan', technology: 'sev-snp', claims: { measurement: [measurement] } }],
  };
  return new TextEncoder().encode(JSON.stringify(ref));
}

/** A report's JSON with one byte of one input's decoded data flipped (and re-encoded): an altered file. */
export function flipInputByte(report: ReportV2, index: number, at = 100): ReportV2 {
  const copy = structuredClone(report);
  const input = copy.inputs[index]!;
  const bytes = Buffer.from(input.data, 'base64');
  bytes[at] = bytes[at]! ^ 0x01;
  input.data = bytes.toString('base64');
  return copy;
}
