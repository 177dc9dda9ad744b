import type { VerificationResult, ClaimDiff } from '../../../app/report/result.js';
import { useApp } from '../store.js';
import { ReferenceStatus, SignatureLine } from './ReferenceStatus.js';
import { SaveGolden } from './SaveGolden.js';
import { DeriveGolden } from './derive/DeriveGolden.js';
import { countsText, diffCounts } from './counts.js';

/**
 * Side-by-side: each reference claim, the allowed values, the actual value, differing bytes highlighted. Saving and
 * deriving stay mounted in the same place whether or not a file is applied, so using derived values keeps them shown.
 */
export function ReferenceDiffView({ result, actions = true }: { result: VerificationResult; actions?: boolean }) {
  return (
    <section className="card" data-testid="reference-diff">
      {result.appraisal.reference ? <AppliedReference result={result} actions={actions} /> : <NoReference />}
      {/* A printed or exported report records the comparison; saving and deriving are for the app only. */}
      {actions && <SaveGolden result={result} />}
      {actions && <DeriveGolden result={result} />}
    </section>
  );
}

function NoReference() {
  const reference = useApp((s) => s.reference);
  return (
    <>
      <h2>Golden values</h2>
      {reference && <ReferenceStatus />}
      <p>
        Load a reference-values file (left panel) to compare this evidence's measurements with the values you expect, or derive them below from the build
        artefacts. The format is described in docs/reference-values.md.
      </p>
    </>
  );
}

function AppliedReference({ result, actions }: { result: VerificationResult; actions: boolean }) {
  const applied = result.appraisal.reference!;
  const diffs = result.appraisal.diffs;
  const counts = diffCounts(result);
  return (
    <>
      <h2>
        Golden values{' '}
        <small data-testid="reference-counts">
          {applied.name}
          {applied.set ? ` · set ${applied.set}` : ''} · {applied.set ? countsText(counts) : 'no set for this technology'} · appraisal {result.appraisal.tier}
        </small>
      </h2>
      {actions ? <ReferenceStatus /> : <SignatureLine applied={applied} />}
      {diffs.length > 0 && (
        <table className="matrix">
          <thead>
            <tr>
              <th>Claim</th>
              <th>Expected (any of)</th>
              <th>Actual</th>
              <th>Result</th>
            </tr>
          </thead>
          <tbody>
            {[...counts.claims, ...counts.minimums].map((d) => (
              <DiffRow key={d.claim} d={d} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function DiffRow({ d }: { d: ClaimDiff }) {
  const closest = closestExpected(d);
  return (
    <>
      <tr className="diff-row" data-claim={d.claim} data-match={d.match}>
        <td>
          <strong>{d.claim}</strong>
          {d.source && (
            <div className="diff-source" data-testid="diff-source">
              {d.source.register.toUpperCase()}, event {d.source.event}
              {d.source.detail ? ` · ${d.source.detail}` : ''}
            </div>
          )}
        </td>
        <td className="bytes">
          {d.expected.map((e) => (
            <div key={e}>{e === closest && !d.match ? <Bytes value={e} against={d.actual} /> : e}</div>
          ))}
        </td>
        <td className="bytes">{d.match ? d.actual : <Bytes value={d.actual} against={closest} />}</td>
        <td>
          <span className={`status-pill ${d.match ? 'pill-good' : 'pill-bad'}`}>{d.match ? 'match' : 'differs'}</span>
        </td>
      </tr>
      {!d.match && d.explainedBy && (
        <tr className="diff-explained-row" data-claim={d.claim}>
          <td colSpan={4} className="diff-explained" data-testid="diff-explained">
            {d.explainedBy}
          </td>
        </tr>
      )}
    </>
  );
}

/** Shows `value` two hex digits (one byte) at a time, marking bytes that differ from `against`. */
function Bytes({ value, against }: { value: string; against: string }) {
  const bytes = value.match(/.{1,2}/g) ?? [];
  return (
    <>
      {bytes.map((b, i) => (
        <span key={i} className={against.slice(i * 2, i * 2 + 2) === b ? 'byte-same' : 'byte-diff'}>
          {b}
        </span>
      ))}
    </>
  );
}

function closestExpected(d: ClaimDiff): string {
  let best = d.expected[0] ?? '';
  let bestScore = -1;
  for (const e of d.expected) {
    let same = 0;
    for (let i = 0; i < Math.min(e.length, d.actual.length); i += 2) if (e.slice(i, i + 2) === d.actual.slice(i, i + 2)) same++;
    if (same > bestScore) {
      best = e;
      bestScore = same;
    }
  }
  return best;
}
