import type { BoundaryState } from '../../../app/report/report.js';

/**
 * How the trust boundary states and values read for people. Pure: the view and the export use the same
 * words, and a unit test pins them (measured is never said or coloured like proven).
 */
export const STATE_WORDS: Readonly<Record<BoundaryState, string>> = {
  proven: 'proven',
  matched: 'matched reference',
  measured: 'measured, not compared',
  failed: 'failed',
  'not-measured': 'not measured',
  excluded: 'excluded',
};

/** The colour family of a state: green only for what was proven or matched. */
export type Tone = 'good' | 'neutral' | 'bad' | 'none';

export const STATE_TONE: Readonly<Record<BoundaryState, Tone>> = {
  proven: 'good',
  matched: 'good',
  measured: 'neutral',
  failed: 'bad',
  'not-measured': 'none',
  excluded: 'none',
};

export const STATE_MEANING: Readonly<Record<BoundaryState, string>> = {
  proven: "vouched for by the vendor's signed chain or enforced by the hardware and confirmed by a check",
  matched: 'equal to a reference (golden) value you gave',
  measured: 'signed by the hardware, but compared with no reference value: it says where it came from, not that it is what you meant to run',
  failed: 'a check failed, or the evidence’s signatures do not verify, so nothing here can be relied on',
  'not-measured': 'this evidence says nothing about it',
  excluded: 'outside the trust boundary: the hardware isolation is meant to keep it away from the data',
};

export type FormattedValue =
  | { kind: 'hex'; full: string; head: string; tail: string; bytes: number; zero: boolean }
  | { kind: 'pairs'; pairs: [string, string][] }
  | { kind: 'text'; text: string };

const HEX = /^[0-9a-fA-F]+$/;

/** A value as people read it: long hex shortened (the full value kept to copy), JSON objects as key: value, never raw JSON. */
export function formatValue(value: string): FormattedValue {
  const v = value.trim();
  if (HEX.test(v) && v.length % 2 === 0 && v.length > 16) {
    return { kind: 'hex', full: v, head: v.slice(0, 16), tail: v.slice(-8), bytes: v.length / 2, zero: /^0+$/.test(v) };
  }
  const pairs = objectPairs(v);
  if (pairs) return { kind: 'pairs', pairs };
  return { kind: 'text', text: v };
}

function objectPairs(v: string): [string, string][] | undefined {
  if (!v.startsWith('{') && !v.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(v);
    if (parsed === null || typeof parsed !== 'object') return undefined;
    return Object.entries(parsed as Record<string, unknown>).map(([k, x]) => [k, scalar(x)]);
  } catch {
    return undefined;
  }
}

function scalar(x: unknown): string {
  if (x === null || typeof x !== 'object') return String(x);
  if (Array.isArray(x)) return x.map(scalar).join(', ');
  return Object.entries(x as Record<string, unknown>)
    .map(([k, y]) => `${k} ${scalar(y)}`)
    .join(', ');
}
