import { renderToStaticMarkup } from 'react-dom/server';
import { downloadText } from '../download.js';
import type { VerifyResponse } from '../../../main/api/handlers.js';
import { api, inElectron } from '../api.js';
import { Report } from './Report.js';
import { EarExport } from './EarExport.js';
import css from '../styles.css?raw';
import boundaryCss from '../diagram/boundary.css?raw';
import verdictCss from '../verdict/verdict.css?raw';
import termCss from '../verdict/term.css?raw';
import checksCss from '../checks/checks.css?raw';
import threatsCss from '../threats/threats.css?raw';
import printCss from './print.css?raw';
import { cssString, reportDigest, reportJsonText } from './report-digest.js';

/** The app's stylesheet and the views' own, inlined: the HTML export loads nothing. */
const REPORT_CSS = [css, boundaryCss, verdictCss, termCss, checksCss, threatsCss, printCss].join('\n');

/** HTML (self-contained, no scripts), JSON (the result plus every input's digest) and PDF. */
export function ExportPanel({ response }: { response: VerifyResponse }) {
  const stamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const base = `tee-inspector-${response.result.technology}-${response.result.evidence.sha256.slice(0, 12)}`;
  return (
    <section className="card" data-testid="export">
      <h2>Export a verification report</h2>
      <p>
        The report holds the verdict, every check, the trust-boundary diagram, the threat matrix, the golden-value diff, the SHA-256 of every input, the
        verification time and the app version, so anyone can re-check it with the same files.
      </p>
      <div className="export-actions">
        <button
          type="button"
          className="primary"
          data-testid="export-html"
          onClick={() => downloadText(`${base}.html`, 'text/html', reportHtml(response, stamp()))}
        >
          Download HTML report
        </button>
        <button type="button" data-testid="export-json" onClick={() => downloadText(`${base}.json`, 'application/json', reportJson(response, stamp()))}>
          Download JSON
        </button>
        <button type="button" data-testid="export-pdf" onClick={() => void savePdf()}>
          Save as PDF…
        </button>
      </div>
      <EarExport response={response} base={base} download={downloadText} />
    </section>
  );
}

/** Electron renders the page to PDF in the main process; a browser prints it (Save as PDF in its dialog). */
async function savePdf(): Promise<void> {
  if (!inElectron || !api.savePdf) return window.print();
  window.dispatchEvent(new Event('beforeprint'));
  try {
    await api.savePdf();
  } finally {
    window.dispatchEvent(new Event('afterprint'));
  }
}

export function reportHtml(response: VerifyResponse, exportedAt: string): string {
  const body = renderToStaticMarkup(<Report response={response} exportedAt={exportedAt} />);
  const title = `TEE Inspector report: ${response.result.verdict} (${response.result.technology}, ${response.result.at})`;
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"><title>${escapeHtml(title)}</title><style>${REPORT_CSS}\n:root{--report-sha:${cssString(reportDigest(response.report))}}\n.report{max-width:1100px;margin:24px auto;display:flex;flex-direction:column;gap:16px}</style></head><body>${body}</body></html>\n`;
}

/** The report the pipeline built (tee-inspect/report/v2): the app exports it as it is, so `tee-inspect recheck` can re-verify it. */
export function reportJson(response: VerifyResponse, _exportedAt: string): string {
  return reportJsonText(response.report);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
