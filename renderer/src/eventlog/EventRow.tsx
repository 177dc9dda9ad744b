import { useId, useState } from 'react';
import { Pill, CopyValue } from './bits.js';
import { BASIS_WORDS, digestMatchWords, eventSummary, shortDigest } from './measured-boot.js';
import type { EventBasis, ShownEvent } from './measured-boot.js';

const COLUMNS = 5;

/**
 * One event: position, type, decoded summary with how far it can be believed, digest (short; the button
 * expands it in full), "digest matches data". `untrustedFrom` marks the first event of a register that does
 * not replay: from it on nothing in that register can be trusted.
 */
export function EventRow({ position, event, basis, untrustedFrom }: { position: number; event: ShownEvent; basis: EventBasis; untrustedFrom?: string }) {
  const [open, setOpen] = useState(false);
  const b = BASIS_WORDS[basis];
  const m = digestMatchWords(event.digestMatchesData);
  const first = event.digests[0];
  const summary = eventSummary(event);
  const detailsId = useId();
  return (
    <>
      <tr
        className={`mb-event mb-basis-${basis}${untrustedFrom ? ' mb-first-untrusted' : ''}`}
        data-position={position}
        data-basis={basis}
        data-testid={untrustedFrom ? 'first-untrusted' : undefined}
      >
        <td className="mb-pos">#{position}</td>
        <td className="mb-type mono">{event.typeName}</td>
        <td className="mb-decoded">
          {untrustedFrom && <strong className="mb-from-here">{untrustedFrom}</strong>}
          <span className="mb-summary">{summary || <span className="mb-muted">no decoded meaning</span>}</span>{' '}
          <span title={b.meaning}>
            <Pill tone={b.tone}>{b.word}</Pill>
          </span>
        </td>
        <td className="mb-digest">
          {first ? (
            <button type="button" className="link mono" aria-expanded={open} aria-controls={detailsId} title={first.digest} onClick={() => setOpen(!open)}>
              {shortDigest(first.digest)}
              <span className="sr-only">, show the full digest</span>
            </button>
          ) : (
            <span className="mb-muted">none</span>
          )}
        </td>
        <td className="mb-match" title={m.meaning} data-match={m.word}>
          {m.word}
        </td>
      </tr>
      {open && (
        <tr className="mb-event-details" id={detailsId}>
          <td colSpan={COLUMNS}>
            <EventDetails event={event} basisMeaning={b.meaning} matchMeaning={m.meaning} />
          </td>
        </tr>
      )}
    </>
  );
}

function EventDetails({ event, basisMeaning, matchMeaning }: { event: ShownEvent; basisMeaning: string; matchMeaning: string }) {
  return (
    <dl className="mb-details">
      {event.digests.map((d) => (
        <div key={d.alg}>
          <dt>{d.alg} digest</dt>
          <dd>
            <CopyValue label={`${d.alg} digest`} value={d.digest} />
          </dd>
        </div>
      ))}
      <div>
        <dt>data</dt>
        <dd>
          {event.dataSize} bytes{event.decoded?.kind ? `, decoded as ${event.decoded.kind}` : ''}
        </dd>
      </div>
      <div>
        <dt>digest matches data</dt>
        <dd>{matchMeaning}</dd>
      </div>
      <div>
        <dt>decoded meaning</dt>
        <dd>{basisMeaning}</dd>
      </div>
    </dl>
  );
}
