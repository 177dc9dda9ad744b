import type { OpenReportResponse } from '../../../main/api/types.js';
import { useApp } from '../store.js';
import { ClaimsTable } from './ClaimsTable.js';
import { KeyField } from './KeyField.js';

const SIGNATURE: Record<string, string> = {
  verified: 'Signature verified with the public key you gave',
  'no-key': 'Signature not verified: no key given',
  'header-key-only': 'Signature not verified: the key is only in the token header',
  'does-not-verify': 'Signature not verified: it does not verify with the key you gave',
};

/** Above the verdict for an opened report or EAR token: where it came from, whether the recheck agrees, the signature. */
export function OpenedBanner() {
  const opened = useApp((s) => s.opened);
  if (!opened) return null;
  const tone = opened.trusted ? 'ok' : opened.recheck && !opened.recheck.agrees ? 'bad' : 'warn';
  return (
    <section className={`opened ${tone}`} data-testid="opened-banner" aria-label="Opened report">
      <p className="opened-main">
        {origin(opened)} — <Recheck opened={opened} />
      </p>
      {opened.recheck && !opened.recheck.agrees && (
        <ul className="opened-diffs" data-testid="recheck-differences">
          {opened.recheck.errors.map((e, i) => (
            <li key={i}>
              {e.code}: {e.message}
            </li>
          ))}
        </ul>
      )}
      {opened.recheck && opened.response && (
        <p className="opened-sub">
          The verdict below is the recheck{opened.recheck.agrees ? '' : ", not the report's recorded one"}: the evidence re-verified offline at{' '}
          {opened.recheck.at}.
        </p>
      )}
      {opened.token && <Signature opened={opened} />}
      {opened.token && <ClaimsTable claims={opened.token.claims} />}
      {opened.token && <KeyField />}
    </section>
  );
}

function origin(o: OpenReportResponse): string {
  const what = o.kind === 'token' ? 'EAR token' : 'report';
  if (o.recorded) return `Opened ${what} from ${o.recorded.tool.name} ${o.recorded.tool.version}, created ${o.recorded.createdAt}`;
  const id = o.token?.claims.verifierId;
  return `Opened ${what} from ${[id?.build, id?.developer].filter(Boolean).join(', ') || 'an unnamed verifier'}`;
}

function Recheck({ opened }: { opened: OpenReportResponse }) {
  if (!opened.recheck)
    return <strong data-testid="recheck-state">the evidence itself is not in the token and cannot be rechecked: only its claims are shown</strong>;
  return <strong data-testid="recheck-state">{opened.recheck.agrees ? 'recheck agrees' : 'recheck DOES NOT AGREE'}</strong>;
}

function Signature({ opened }: { opened: OpenReportResponse }) {
  const s = opened.token!.signature;
  return (
    <div className="opened-signature">
      <p data-testid="signature-state" data-state={s.state}>
        <strong>{SIGNATURE[s.state] ?? s.state}</strong> ({s.alg}). {s.message}
      </p>
      {s.exampleKey && (
        <p className="opened-warning" data-testid="example-key" role="alert">
          Warning: {s.exampleKey}
        </p>
      )}
    </div>
  );
}
