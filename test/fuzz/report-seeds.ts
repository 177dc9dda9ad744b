import { earClaims } from '../../app/report/ear.js';
import { TDX, TDX_REFERENCE, vectorReport } from '../support/report-fixture.js';
import type { Seed } from './fuzz-core.js';

/**
 * Seeds for the report fuzz targets: a real report (with a reference file and a nonce, so every member is
 * present) and an EAR token carrying it with a dummy signature (parsing never looks at the signature).
 */
export async function reportSeeds(): Promise<{ json: unknown; seeds: Seed[] }> {
  const report = await vectorReport(TDX, { reference: TDX_REFERENCE, nonce: TDX.reportData });
  const text = JSON.stringify(report);
  const b64 = (s: string) => Buffer.from(s).toString('base64url');
  const token = `${b64('{"alg":"ES256","typ":"JWT"}')}.${b64(JSON.stringify(earClaims(report, 1752919234)))}.${b64('not a signature')}`;
  const enc = (s: string) => new TextEncoder().encode(s);
  return {
    json: JSON.parse(text),
    seeds: [
      { name: 'report.json', bytes: enc(text) },
      { name: 'ear.jwt', bytes: enc(token) },
    ],
  };
}

/**
 * The real report with one member replaced by a value made from the fuzz input: its first two bytes pick
 * the member (every path in the report, data strings included), the rest becomes the value (JSON if it
 * parses, else a string, a number or a deep array). So every case reaches deep into the validation.
 */
export function spliceReport(json: unknown, input: Uint8Array): unknown {
  const copy = structuredClone(json);
  const paths = allPaths(copy);
  const [parent, key] = paths[(((input[0] ?? 0) << 8) | (input[1] ?? 0)) % paths.length]!;
  (parent as Record<string, unknown>)[key] = valueOf(input.subarray(2));
  return copy;
}

function valueOf(rest: Uint8Array): unknown {
  const text = new TextDecoder().decode(rest);
  try {
    return JSON.parse(text);
  } catch {
    const kind = rest[0] ?? 0;
    if (kind % 4 === 0) return -Number(rest.length) * 1e300;
    if (kind % 4 === 1) return Array.from({ length: rest.length }, (_, i) => rest[i]);
    return text;
  }
}

function allPaths(root: unknown): [object, string][] {
  const out: [object, string][] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    for (const k of Object.keys(v)) {
      out.push([v, k]);
      stack.push((v as Record<string, unknown>)[k]);
    }
  }
  return out;
}
