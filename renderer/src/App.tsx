import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import { useApp, setTab } from './store.js';
import type { Tab } from './store.js';
import type { VerifyResponse } from '../../main/api/handlers.js';
import { api, inElectron } from './api.js';
import { InputsPanel } from './inputs/InputsPanel.js';
import { VerdictBanner } from './verdict/VerdictBanner.js';
import { OpenedBanner } from './opened/OpenedBanner.js';
import { CheckList } from './checks/CheckList.js';
import { FieldsView } from './fields/FieldsView.js';
import { TrustBoundaryView } from './diagram/TrustBoundaryView.js';
import { ThreatMatrixView } from './threats/ThreatMatrixView.js';
import { MeasuredBootView } from './eventlog/MeasuredBootView.js';
import { ReferenceDiffView } from './diff/ReferenceDiffView.js';
import { ExportPanel } from './export/ExportPanel.js';
import { Report } from './export/Report.js';
import { CollateralView } from './collateral/CollateralView.js';
import { ConnectView } from './connect/ConnectView.js';
import { HostKeyDialog } from './connect/HostKeyDialog.js';
import { FleetView } from './fleet/FleetView.js';
import { ViewTabs, PANEL_ID, tabElementId } from './layout/ViewTabs.js';
import { InputsDrawer } from './layout/InputsDrawer.js';
import { SkipLink } from './layout/SkipLink.js';

const MAIN_ID = 'main-content';

/** Views of their own (live targets), shown with or without a verification result. */
const WORKSPACES: readonly Tab[] = ['connect', 'fleet'];

export function App() {
  const tab = useApp((s) => s.tab);
  const response = useApp((s) => s.response);
  const opened = useApp((s) => s.opened);
  const [version, setVersion] = useState('');
  const printing = usePrinting();
  useEffect(() => {
    api.appInfo().then(
      (i) => setVersion(`v${i.version} · ${i.mode === 'electron' ? 'desktop' : 'browser mode'}`),
      () => setVersion(inElectron ? 'desktop' : 'browser mode'),
    );
  }, []);
  return (
    <div className="app">
      <SkipLink target={MAIN_ID} />
      <header className="topbar">
        <img src="./icon.png" alt="" className="logo" />
        <h1>TEE Inspector</h1>
        <ViewTabs selected={tab} />
        <span className="version">{version}</span>
      </header>
      <div className="layout">
        <InputsDrawer>
          <InputsPanel />
        </InputsDrawer>
        <main className="content" id={MAIN_ID} tabIndex={-1}>
          <div className="view-panel" role="tabpanel" id={PANEL_ID} aria-labelledby={tabElementId(tab)}>
            {tab !== 'fleet' && <OpenedBanner />}
            {tab !== 'fleet' && !(opened && !response) && <VerdictBanner />}
            {tab === 'connect' && <ConnectView />}
            {tab === 'fleet' && <FleetView />}
            {WORKSPACES.includes(tab) ? null : response ? <ResultView tab={tab} response={response} /> : opened ? null : <EmptyState />}
          </div>
        </main>
      </div>
      <HostKeyDialog />
      {response && printing && (
        <div className="print-only" aria-hidden="true">
          <Report response={response} exportedAt={new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')} />
        </div>
      )}
    </div>
  );
}

/** The printable report is mounted only around printing, so the page never holds two copies of the views. */
function usePrinting(): boolean {
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    const on = () => flushSync(() => setPrinting(true));
    const off = () => setPrinting(false);
    window.addEventListener('beforeprint', on);
    window.addEventListener('afterprint', off);
    return () => (window.removeEventListener('beforeprint', on), window.removeEventListener('afterprint', off));
  }, []);
  return printing;
}

/** The views of one verification result. */
function ResultView({ tab, response }: { tab: Tab; response: VerifyResponse }) {
  return (
    <>
      {tab === 'inspector' && (
        <div className="two-col">
          <CheckList checks={response.result.checks} />
          <FieldsView fields={response.result.fields} attested={response.result.cryptoValid} />
        </div>
      )}
      {tab === 'collateral' && <CollateralView response={response} />}
      {tab === 'boundary' && <TrustBoundaryView result={response.result} />}
      {tab === 'boot' && <MeasuredBootView result={response.result} />}
      {tab === 'threats' && <ThreatMatrixView result={response.result} />}
      {tab === 'reference' && <ReferenceDiffView result={response.result} />}
      {tab === 'export' && <ExportPanel response={response} />}
    </>
  );
}

function EmptyState() {
  return (
    <div className="empty">
      <h2>Drop a quote to begin</h2>
      <p>
        Drag an Intel SGX or TDX quote onto the panel on the left, together with its collateral (Intel PCS responses or a collateral bundle), or an AMD SEV-SNP
        attestation report with its VCEK or VLEK certificate; or paste evidence as hex or base64.
      </p>
      <p>Every signature, certificate chain, revocation list, TCB level and policy rule is checked and explained.</p>
      <p>
        Or fetch fresh evidence from a live VM over SSH or from an attestation agent over HTTPS:{' '}
        <button type="button" className="link" onClick={() => setTab('connect')}>
          Connect to a target
        </button>
      </p>
    </div>
  );
}
