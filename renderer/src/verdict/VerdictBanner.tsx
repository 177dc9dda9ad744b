import type { ReactNode } from 'react';
import { technologyInfo } from '../../../app/tee/registry.js';
import type { VerifyResponse } from '../../../main/api/types.js';
import { useApp } from '../store.js';
import { tcbGloss, tierGloss } from './glossary.js';
import { Term } from './Term.js';
import { collateralLines, failureLines, notEstablishedLines, tcbStatusText, warningReasons } from './verdict-lines.js';
import './verdict.css';

/** "Intel TDX trust domain": the technology and what one instance of it is called, as its module says. */
function instanceName(technology: string): string {
  const t = technologyInfo(technology);
  return t ? `${t.name} ${t.instance}` : technology;
}

/**
 * Verified / Rejected first, then what it rests on: appraisal tier, TCB status and advisories; then every
 * failure worst first, why a tier is "warning", what collateral could not be had and what is not established.
 * The whole banner is a polite live region, so a screen reader hears each new verdict.
 */
export function VerdictBanner() {
  return (
    <div role="status" aria-live="polite" className="verdict-live">
      <BannerBody />
    </div>
  );
}

function BannerBody() {
  const status = useApp((s) => s.status);
  const response = useApp((s) => s.response);
  const error = useApp((s) => s.error);
  const files = useApp((s) => s.files);
  const nonceError = useApp((s) => s.nonceError);
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
    const waiting = nonceError ? 'Waiting for a valid expected nonce' : 'Waiting for a valid verification time';
    const text = status === 'running' ? 'Verifying…' : files.length ? waiting : 'No evidence loaded';
    return (
      <div className="verdict idle" data-testid="verdict">
        {text}
      </div>
    );
  }
  return <VerdictDetails response={response} testid="verdict" />;
}

/** The verdict of one response; the exported report's header is this same component. */
export function VerdictDetails({ response, testid, extraFacts }: { response: VerifyResponse; testid?: string; extraFacts?: ReactNode }) {
  const r = response.result;
  const ok = r.verdict === 'verified';
  const tcbText = tcbStatusText(r);
  return (
    <div className={`verdict ${ok ? 'ok' : 'bad'} tier-${r.appraisal.tier}`} data-testid={testid}>
      <div className="verdict-main">
        <span className="verdict-word">{ok ? 'Verified' : 'Rejected'}</span>
        <span className="verdict-tech">
          {instanceName(r.technology)} · {r.format}
        </span>
      </div>
      <div className="verdict-facts">
        <Fact label="Appraisal" testid="tier">
          <Term explain={tierGloss(r.appraisal.tier)?.explain}>{r.appraisal.tier}</Term>
        </Fact>
        <Fact label="TCB status" testid="tcb-status">
          <Term explain={r.cryptoValid && r.tcb ? tcbGloss(r.tcb.status)?.explain : undefined}>{tcbText}</Term>
        </Fact>
        <Fact label="Signatures & chains">{r.cryptoValid ? 'valid' : 'not valid'}</Fact>
        <Fact label="As of">{r.at}</Fact>
        {extraFacts}
      </div>
      {r.cryptoValid && r.tcb && r.tcb.advisories.length > 0 && (
        <div className="advisories" data-testid="advisories">
          Advisories:{' '}
          {r.tcb.advisories.map((a) => (
            <a key={a} href={`https://www.intel.com/content/www/us/en/security-center/advisory/${a.toLowerCase()}.html`} target="_blank" rel="noreferrer">
              {a}
            </a>
          ))}
        </div>
      )}
      <VerdictLists response={response} />
    </div>
  );
}

function VerdictLists({ response }: { response: VerifyResponse }) {
  const r = response.result;
  const failures = failureLines(r, response.collateral);
  const warnings = warningReasons(r);
  const collateral = collateralLines(response.collateral);
  const open = notEstablishedLines(r);
  return (
    <>
      {failures.length > 0 && (
        <List title={failures.length === 1 ? 'What failed' : `What failed (${failures.length}, worst first)`} testid="verdict-failures">
          {failures.map((f, i) => (
            <li key={`${f.check ?? f.code}:${i}`} className="line-failed" data-check={f.check}>
              {f.text} <code className="code">{f.code}</code>
            </li>
          ))}
        </List>
      )}
      {warnings.length > 0 && (
        <List title="Why the appraisal is “warning”" testid="verdict-warnings">
          {warnings.map((w) => (
            <li key={w} className="line-warned">
              {w}
            </li>
          ))}
        </List>
      )}
      {collateral.length > 0 && (
        <List title="Collateral" testid="verdict-collateral">
          {collateral.map((c, i) => (
            <li key={i} className="line-warned">
              {c}
            </li>
          ))}
        </List>
      )}
      {open.length > 0 && (
        <List title="Not established by this evidence" testid="not-established">
          {open.map((o) => (
            <li key={o.gap} data-gap={o.gap} className="line-open">
              {o.text}
            </li>
          ))}
        </List>
      )}
    </>
  );
}

function List({ title, testid, children }: { title: string; testid: string; children: ReactNode }) {
  return (
    <div className="verdict-list" data-testid={testid}>
      <div className="verdict-list-title">{title}</div>
      <ul>{children}</ul>
    </div>
  );
}

function Fact({ label, testid, children }: { label: string; testid?: string; children: ReactNode }) {
  return (
    <div className="fact" data-testid={testid}>
      <span className="fact-label">{label}</span>
      <span className="fact-value">{children}</span>
    </div>
  );
}
