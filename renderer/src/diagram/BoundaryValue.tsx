import { useState } from 'react';
import { formatValue } from './boundary-format.js';

/**
 * One claim's value: long hex shortened with a copy button on screen, wrapped in full in a printed report;
 * a JSON object as short "key value" text. Never raw JSON.
 */
export function BoundaryValue({ value, label, full }: { value: string; label: string; full: boolean }) {
  const f = formatValue(value);
  if (f.kind === 'pairs')
    return (
      <span className="bv-pairs">
        {f.pairs.map(([k, v]) => (
          <span key={k} className="bv-pair">
            <span className="bv-key">{k}</span> <span className="mono">{v}</span>
          </span>
        ))}
      </span>
    );
  if (f.kind === 'text') return <code className="bv-text">{f.text}</code>;
  const size = `${f.bytes} bytes${f.zero ? ', all zero' : ''}`;
  if (full)
    return (
      <span className="bv-hex">
        <code className="bv-full">{f.full}</code> <small className="bv-size">({size})</small>
      </span>
    );
  return (
    <span className="bv-hex">
      <code className="bv-short" title={f.full}>
        {f.head}…{f.tail}
      </code>{' '}
      <small className="bv-size">({size})</small> <CopyButton value={f.full} label={label} />
    </span>
  );
}

function CopyButton({ value, label }: { value: string; label: string }) {
  const [done, setDone] = useState(false);
  const copy = () =>
    void navigator.clipboard?.writeText(value).then(
      () => setDone(true),
      () => setDone(false),
    );
  return (
    <button type="button" className="copy" aria-label={`copy ${label}`} onClick={copy}>
      {done ? 'copied' : 'copy'}
    </button>
  );
}
