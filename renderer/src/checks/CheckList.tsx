import type { Check } from '../../../app/check.js';

const MARK: Record<Check['status'], string> = { pass: '✓', fail: '✗', warn: '!', skip: '–' };

/** Every check, in the order it ran, with its explanation and, where something is wrong, the fix. */
export function CheckList({ checks }: { checks: Check[] }) {
  const counts = checks.reduce<Record<string, number>>((n, c) => ((n[c.status] = (n[c.status] ?? 0) + 1), n), {});
  return (
    <section className="card checks" data-testid="checks">
      <h2>
        Checks{' '}
        <small>
          {['pass', 'warn', 'fail', 'skip']
            .filter((k) => counts[k])
            .map((k) => `${counts[k]} ${k}`)
            .join(' · ')}
        </small>
      </h2>
      <ol>
        {checks.map((c) => (
          <li key={c.id} className={`check ${c.status}`} data-check-id={c.id} data-status={c.status}>
            <span className="mark" aria-label={c.status}>
              {MARK[c.status]}
            </span>
            <div>
              <div className="check-title">
                {c.title}
                {c.code && c.status !== 'pass' && <code className="code">{c.code}</code>}
              </div>
              <p>{c.explain}</p>
              {c.fix && c.status !== 'pass' && <p className="fix">Fix: {c.fix}</p>}
              <span className="check-id">{c.id}</span>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
