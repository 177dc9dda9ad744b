import { useEffect } from 'react';
import type { VerifyResponse } from '../../../main/api/handlers.js';
import { CheckList } from '../checks/CheckList.js';
import { ReferenceDiffView } from '../diff/ReferenceDiffView.js';
import { FieldsView } from '../fields/FieldsView.js';
import { CollateralView } from '../collateral/CollateralView.js';
import { ReportBoundary } from './ReportBoundary.js';
import { ReportThreats } from './ReportThreats.js';
import { ReportMeasuredBoot } from './ReportMeasuredBoot.js';
import { VerdictDetails } from '../verdict/VerdictBanner.js';
import { cssString, reportDigest } from './report-digest.js';
import './print.css';

/**
 * The exported report: the same views as the app, rendered statically (HTML export) or for print (PDF).
 * It carries everything needed to re-check it: input digests, the verification time, the app version. The trust
 * boundary and the threat rows are the report object's own (response.report), never recomputed here, so the
 * HTML, the PDF and the JSON export say the same.
 */
export function Report({ response, exportedAt }: { response: VerifyResponse; exportedAt: string }) {
  const r = response.result;
  const digest = reportDigest(response.report);
  usePageFooter(digest);
  return (
    <article className="report">
      <header>
        <VerdictDetails
          response={response}
          extraFacts={
            <>
              <div className="fact">
                <span className="fact-label">Exported</span>
                <span className="fact-value">
                  {exportedAt} · app {response.appVersion}
                </span>
              </div>
            </>
          }
        />
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
      <ReportMeasuredBoot result={r} />
      <ReportThreats threats={response.report.threats} technology={response.report.trustBoundary.technology || r.technology} />
      {r.appraisal.diffs.length > 0 && <ReferenceDiffView result={r} actions={false} />}
      <FieldsView fields={r.fields} attested={r.cryptoValid} />
      <footer className="report-footer" data-testid="report-footer">
        Report SHA-256 (of the JSON export, tee-inspect/report/v2): <span className="mono">{digest}</span>
      </footer>
    </article>
  );
}

/** Every printed page's footer (print.css @page margin boxes) shows this digest: set on the root element, where the page context reads it. */
function usePageFooter(digest: string): void {
  useEffect(() => {
    const root = document.documentElement;
    root.style.setProperty('--report-sha', cssString(digest));
    return () => void root.style.removeProperty('--report-sha');
  }, [digest]);
}
