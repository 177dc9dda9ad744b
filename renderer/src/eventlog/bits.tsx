import type { ReactNode } from 'react';
import type { Tone } from './measured-boot.js';

const PILL: Record<Tone, string> = { good: 'pill-good', bad: 'pill-bad', warn: 'pill-warn', none: 'pill-none' };

/** A state in words on a tinted pill: the colour repeats the words, it never replaces them. */
export function Pill({ tone, children, testid }: { tone: Tone; children: ReactNode; testid?: string }) {
  return (
    <span className={`status-pill ${PILL[tone]}`} data-tone={tone} data-testid={testid}>
      {children}
    </span>
  );
}

/** A long value in full (monospace, wrapped) with a copy button named after it. */
export function CopyValue({ label, value }: { label: string; value: string }) {
  return (
    <span className="mb-value">
      <span className="mono mb-hex">{value}</span>
      <button type="button" className="copy" aria-label={`copy ${label}`} onClick={() => void navigator.clipboard?.writeText(value)}>
        copy
      </button>
    </span>
  );
}
