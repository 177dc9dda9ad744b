import type { VerifyResponse } from '../../../main/api/handlers.js';
import { CheckList } from '../checks/CheckList.js';
import { ReferenceDiffView } from '../diff/ReferenceDiffView.js';
import { FieldsView } from '../fields/FieldsView.js';
import { CollateralView } from '../collateral/CollateralView.js';
import { ReportBoundary } from './ReportBoundary.js';
import { ReportThreats } from './ReportThreats.js';

/**
 * The exported report: the same views as the app, rendered statically (HTML export) or for print (PDF).
 * It carries everything needed to re-check it: input digests, the verification time, the app version. The trust
 * boundary and the threat rows are the report object's own (response.report), never recomputed here, so the
 * HTML, the PDF and the JSON export say the same.
 */
export function Report({ response, exportedAt }: { response: VerifyResponse; exportedAt: string }) {
  const r = response.result;
  const ok = r.verdict === 'verified';
  return (
    <article className="report">
      <header className={`verdict ${ok ? 'ok' : 'bad'} tier-${r.appraisal.tier}`}>
        <div className="verdict-main">
          <span className="verdict-word">{ok ? 'Verified' : 'Rejected'}</span>
          <span className="verdict-tech">
            TEE Inspector verification report · {r.technology} · {r.format}
          </span>
        </div>
        <div className="verdict-facts">
          <div className="fact">
            <span className="fact-label">Appraisal</span>
            <span className="fact-value">{r.appraisal.tier}</span>
          </div>
          <div className="fact">
            <span className="fact-label">TCB status</span>
            <span className="fact-value">{r.tcb?.status ?? 'not determined'}</span>
          </div>
          <div className="fact">
            <span className="fact-label">Advisories</span>
            <span className="fact-value">{r.tcb?.advisories.join(', ') || 'none'}</span>
          </div>
          <div className="fact">
            <span className="fact-label">Verified as of</span>
            <span className="fact-value">{r.at}</span>
          </div>
          <div className="fact">
            <span className="fact-label">Exported</span>
            <span className="fact-value">
              {exportedAt} · app {response.appVersion}
            </span>
          </div>
        </div>
        {r.errors.map((e) => (
          <div key={e.check ?? e.code} className="verdict-sub">
            {e.code}: {e.message}
          </div>
        ))}
      </header>
      <section className="card">
        <h2>
          Inputs <small>recheck with: tee-inspect verify EVIDENCE --collateral FILE… --at {r.at}</small>
        </h2>
        <table className="matrix">
          <thead>
            <tr>
              <th>Role</th>
              <th>File</th>
              <th>Bytes</th>
              <th>SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {response.inputs.map((i, n) => (
              <tr key={`${n}:${i.name}`}>
                <td>{i.role}</td>
                <td>
                  {i.name}
                  {i.note ? <div className="verdict-sub">{i.note}</div> : null}
                </td>
                <td>{i.bytes}</td>
                <td className="mono">{i.sha256}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <CheckList checks={r.checks} />
      {response.collateral && <CollateralView response={response} />}
      <ReportBoundary boundary={response.report.trustBoundary} />
      <ReportThreats threats={response.report.threats} />
      {r.appraisal.diffs.length > 0 && <ReferenceDiffView result={r} />}
      <FieldsView fields={r.fields} attested={r.cryptoValid} />
    </article>
  );
}
