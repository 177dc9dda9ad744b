import { useId, useState } from 'react';
import { Pill } from './bits.js';
import { EventRow } from './EventRow.js';
import { DIGEST_MATCH_EXPLAIN, eventBasis, registerLabel, registerWords, untrustedFromText } from './measured-boot.js';
import type { LogState, RegisterGroup, ShownReplay } from './measured-boot.js';
import { Term } from '../verdict/Term.js';

/** Rows drawn at first per register, and added per "show more": a long log stays fast to show. */
export const FIRST_ROWS = 100;
const MORE_ROWS = 200;

/** One register's events in log order, collapsible; on a mismatch its first event is marked untrusted. */
export function RegisterEvents({ group, replay, state }: { group: RegisterGroup; replay: ShownReplay; state: LogState }) {
  const c = group.comparison;
  const [open, setOpen] = useState(true);
  const [limit, setLimit] = useState(FIRST_ROWS);
  const bodyId = useId();
  const label = group.register ? registerLabel(group.register) : 'Not extended (EV_NO_ACTION)';
  const w = c ? registerWords(c) : undefined;
  const shown = group.positions.slice(0, limit);
  const rest = group.positions.length - shown.length;
  const untrustedAt = c?.status === 'mismatch' ? c.firstEvent : undefined;
  return (
    <section className="mb-register" data-testid={`register-${group.register ?? 'none'}`}>
      <h3>
        <button type="button" className="mb-toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen(!open)}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {label}
        </button>{' '}
        {w && <Pill tone={w.tone}>{w.word}</Pill>} <small>{countText(group.positions.length)}</small>
      </h3>
      <div id={bodyId} hidden={!open}>
        {open && group.positions.length > 0 && (
          <table className="matrix mb-events">
            <caption className="sr-only">Events of {label} in log order</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Type</th>
                <th scope="col">Decoded meaning</th>
                <th scope="col">Digest</th>
                <th scope="col">
                  <Term explain={DIGEST_MATCH_EXPLAIN}>Digest matches data</Term>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <EventRow
                  key={p}
                  position={p}
                  event={replay.log.events[p]!}
                  basis={eventBasis(replay.log.events[p]!, c, state)}
                  {...(p === untrustedAt && group.register ? { untrustedFrom: untrustedFromText(group.register) } : {})}
                />
              ))}
            </tbody>
          </table>
        )}
        {open && rest > 0 && (
          <p className="mb-more">
            {shown.length} of {group.positions.length} events shown.{' '}
            {rest > MORE_ROWS && (
              <button type="button" onClick={() => setLimit(limit + MORE_ROWS)}>
                Show {MORE_ROWS} more events of {label}
              </button>
            )}{' '}
            <button type="button" onClick={() => setLimit(group.positions.length)}>
              Show all {rest} other events of {label}
            </button>
          </p>
        )}
      </div>
    </section>
  );
}

function countText(n: number): string {
  return n === 0 ? 'no events in the log' : n === 1 ? '1 event' : `${n} events`;
}
