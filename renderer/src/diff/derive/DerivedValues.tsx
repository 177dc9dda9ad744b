import type { ReferenceSetJson } from '../../../../app/appraisal/create-reference.js';
import { mergeReference } from '../../../../app/appraisal/merge-reference.js';
import type { VerificationResult } from '../../../../app/report/result.js';
import { downloadText } from '../../download.js';
import { setReference } from '../../store.js';
import { against } from './against.js';
import type { Against } from './against.js';

/** The derived values, each with how it was computed and how this evidence compares; then save or use them. */
export function DerivedValues({ set, result }: { set: ReferenceSetJson; result: VerificationResult | undefined }) {
  const file = mergeReference(undefined, set, { name: `Golden values derived from build artefacts (${set.name})` });
  const text = `${JSON.stringify(file, null, 2)}\n`;
  const fileName = `golden-${set.name}.reference.json`;
  const use = () => void setReference(new File([text], fileName, { type: 'application/json' }));
  return (
    <div className="derived" data-testid="derived-values">
      <table className="matrix">
        <thead>
          <tr>
            <th>Claim</th>
            <th>Predicted value</th>
            <th>From</th>
            <th>This evidence</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(set.claims).map(([claim, values]) => (
            <tr key={claim} data-claim={claim}>
              <td>
                <strong>{claim}</strong>
              </td>
              <td className="bytes">{values.map(String).join(', ')}</td>
              <td className="derived-from">{describe(set, claim)}</td>
              <td>
                <AgainstPill state={against(set, claim, result)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="derived-actions">
        <button type="button" onClick={() => downloadText(fileName, 'application/json', text)} data-testid="derived-download">
          Save as reference file
        </button>{' '}
        <button type="button" onClick={use} disabled={!result || result.technology !== set.technology} data-testid="derived-use">
          Use as golden values for this evidence
        </button>
        {result && result.technology !== set.technology && (
          <span className="hint">
            {' '}
            A {set.technology} set applies only to {set.technology} evidence; this is {result.technology}.
          </span>
        )}
      </div>
    </div>
  );
}

function describe(set: ReferenceSetJson, claim: string): string {
  const p = set.provenance?.find((e) => Object.hasOwn(e.claims, claim));
  if (!p) return '';
  const what = p.describes?.[claim];
  const inputs = (p.inputs ?? []).map((i) => `${i.name} (sha256 ${i.sha256.slice(0, 12)}…)`).join(', ');
  return [what, p.method, inputs].filter(Boolean).join(' · ');
}

const PILLS: Record<Against, { cls: string; text: string }> = {
  match: { cls: 'pill-good', text: 'matches this evidence' },
  'match-unsigned': { cls: 'pill-warn', text: "equals this evidence's value, but its signatures did not verify" },
  differs: { cls: 'pill-bad', text: 'differs from this evidence' },
  absent: { cls: 'pill-none', text: 'not in this evidence (for boot events: no event log replayed)' },
  'other-technology': { cls: 'pill-none', text: 'evidence of another technology' },
  'no-evidence': { cls: 'pill-none', text: 'no evidence loaded' },
};

function AgainstPill({ state }: { state: Against }) {
  const p = PILLS[state];
  return (
    <span className={`status-pill ${p.cls}`} data-testid="derived-against" data-state={state}>
      {p.text}
    </span>
  );
}
