import type { Check } from '../../../app/check.js';
import { checkLine } from '../verdict/verdict-lines.js';
import './checks.css';

const MARK: Record<Check['status'], string> = { pass: '✓', fail: '✗', warn: '!', skip: '–' };
const WORD: Record<Check['status'], string> = { pass: 'Passed', fail: 'Failed', warn: 'Warning', skip: 'Not run' };
/** Worst first; within a status, the order the checks ran. */
const RANK: Record<Check['status'], number> = { fail: 0, warn: 1, skip: 2, pass: 3 };

export function sortWorstFirst(checks: readonly Check[]): Check[] {
  return checks
    .map((c, i) => [c, i] as const)
    .sort(([a, i], [b, j]) => RANK[a.status] - RANK[b.status] || i - j)
    .map(([c]) => c);
}

/** Every check, failures first, each with its status in words, its explanation and, where something is wrong, the fix. */
export function CheckList({ checks }: { checks: Check[] }) {
  const counts = checks.reduce<Record<string, number>>((n, c) => ((n[c.status] = (n[c.status] ?? 0) + 1), n), {});
  return (
    <section className="card checks" data-testid="checks">
      <h2>
        Checks{' '}
        <small>
          {(['fail', 'warn', 'skip', 'pass'] as const)
            .filter((k) => counts[k])
            .map((k) => `${counts[k]} ${WORD[k].toLowerCase()}`)
            .join(' · ')}
        </small>
      </h2>
      <ol>
        {sortWorstFirst(checks).map((c) => (
          <li key={c.id} className={`check ${c.status}`} data-check-id={c.id} data-status={c.status}>
            <span className="mark" aria-hidden="true">
              {MARK[c.status]}
            </span>
            <div>
              <div className="check-title">
                <span className={`check-word ${c.status}`}>{c.status === 'fail' ? 'Failed:' : WORD[c.status]}</span>{' '}
                {c.status === 'fail' ? <span>{checkLine(c).replace(/^Failed: /, '')}</span> : c.title}
                {c.code && c.status !== 'pass' && <code className="code">{c.code}</code>}
              </div>
              {c.status !== 'fail' && <p>{c.explain}</p>}
              {c.fix && c.status !== 'pass' && <p className="fix">Fix: {c.fix}</p>}
              <span className="check-id">{c.id}</span>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
