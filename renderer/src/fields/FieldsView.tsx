import { useState } from 'react';
import { fieldGloss } from '../verdict/glossary.js';
import { Term } from '../verdict/Term.js';

/** Every decoded field (each name explained on hover and focus); long hex values open in a hex viewer, and each value can be copied. */
export function FieldsView({ fields, attested = true }: { fields: Record<string, unknown>; attested?: boolean }) {
  const [open, setOpen] = useState<string>();
  const rows = flatten(fields);
  return (
    <section className="card fields" data-testid="fields">
      <h2>
        Decoded fields <small>attested only when the verdict is Verified</small>
      </h2>
      {!attested && (
        <p className="error" data-testid="fields-not-attested">
          Not attested: the signatures over this evidence do not verify, so any of these values may have been altered.
        </p>
      )}
      <table>
        <tbody>
          {rows.map(([key, value]) => (
            <tr key={key}>
              <th scope="row">
                <Term explain={fieldGloss(key)}>{key}</Term>
              </th>
              <td>
                <div className="value">
                  {isHex(value) && value.length > 40 ? (
                    <button type="button" className="link mono" onClick={() => setOpen(open === key ? undefined : key)} title="show hex viewer">
                      {value.slice(0, 24)}…{value.slice(-8)} <small>({value.length / 2} bytes)</small>
                    </button>
                  ) : (
                    <span className="mono">{value}</span>
                  )}
                  <button type="button" className="copy" aria-label={`copy ${key}`} onClick={() => void navigator.clipboard?.writeText(value)}>
                    copy
                  </button>
                </div>
                {open === key && <HexViewer hex={value} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function HexViewer({ hex }: { hex: string }) {
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += 32) {
    const chunk = hex.slice(i, i + 32);
    const bytes = chunk.match(/../g) ?? [];
    const ascii = bytes
      .map((b) => {
        const c = parseInt(b, 16);
        return c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
      })
      .join('');
    lines.push(`${(i / 2).toString(16).padStart(4, '0')}  ${bytes.join(' ').padEnd(47)}  ${ascii}`);
  }
  return (
    <pre className="hexview" data-testid="hex-viewer">
      {lines.join('\n')}
    </pre>
  );
}

function isHex(v: string): boolean {
  return /^[0-9a-f]+$/.test(v) && v.length % 2 === 0;
}

function flatten(obj: Record<string, unknown>, prefix = ''): [string, string][] {
  return Object.entries(obj).flatMap(([k, v]): [string, string][] => {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return flatten(v as Record<string, unknown>, key);
    // Lists of records (event logs, PCR rows) have their own view: named here, not printed as "[object Object]".
    if (Array.isArray(v) && v.some((x) => x !== null && typeof x === 'object')) return [[key, `${v.length} entries (see the Measured boot tab)`]];
    return [[key, Array.isArray(v) ? v.join(', ') : String(v)]];
  });
}
