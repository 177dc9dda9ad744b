import { technologyInfo } from '../../../app/tee/registry.js';
import { useApp } from '../store.js';

/** "Intel TDX trust domain": the technology and what one instance of it is called, as its module says. */
function instanceName(technology: string): string {
  const t = technologyInfo(technology);
  return t ? `${t.name} ${t.instance}` : technology;
}

/** Verified / Rejected first, then what it rests on: appraisal tier, TCB status and advisories. */
export function VerdictBanner() {
  const status = useApp((s) => s.status);
  const response = useApp((s) => s.response);
  const error = useApp((s) => s.error);
  const files = useApp((s) => s.files);
  if (status === 'error' && error) {
    return (
      <div className="verdict error" data-testid="verdict">
        <div className="verdict-main">Cannot verify</div>
        <div className="verdict-sub">
          {error.code}: {error.message}
        </div>
      </div>
    );
  }
  if (!response) {
    const text = status === 'running' ? 'Verifying…' : files.length ? 'Waiting for a valid verification time' : 'No evidence loaded';
    return (
      <div className="verdict idle" data-testid="verdict">
        {text}
      </div>
    );
  }
  const r = response.result;
  const ok = r.verdict === 'verified';
  const first = r.errors[0];
  return (
    <div className={`verdict ${ok ? 'ok' : 'bad'} tier-${r.appraisal.tier}`} data-testid="verdict">
      <div className="verdict-main">
        <span className="verdict-word">{ok ? 'Verified' : 'Rejected'}</span>
        <span className="verdict-tech">
          {instanceName(r.technology)} · {r.format}
        </span>
      </div>
      <div className="verdict-facts">
        <Fact label="Appraisal" value={r.appraisal.tier} testid="tier" />
        <Fact label="TCB status" value={r.tcb?.status ?? 'not determined'} testid="tcb-status" />
        <Fact label="Signatures & chains" value={r.cryptoValid ? 'valid' : 'not valid'} />
        <Fact label="As of" value={r.at} />
      </div>
      {r.tcb && r.tcb.advisories.length > 0 && (
        <div className="advisories" data-testid="advisories">
          Advisories:{' '}
          {r.tcb.advisories.map((a) => (
            <a key={a} href={`https://www.intel.com/content/www/us/en/security-center/advisory/${a.toLowerCase()}.html`} target="_blank" rel="noreferrer">
              {a}
            </a>
          ))}
        </div>
      )}
      {first && (
        <div className="verdict-sub">
          {first.code}: {first.message}
        </div>
      )}
    </div>
  );
}

function Fact({ label, value, testid }: { label: string; value: string; testid?: string }) {
  return (
    <div className="fact" data-testid={testid}>
      <span className="fact-label">{label}</span>
      <span className="fact-value">{value}</span>
    </div>
  );
}
