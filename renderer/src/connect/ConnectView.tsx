import { useEffect, useState } from 'react';
import type { TargetView } from '../../../main/api/types.js';
import { useApp } from '../store.js';
import { importKnownHosts, loadTargets, removeTarget, verifyTarget } from './connect-store.js';
import { TargetFormCard } from './TargetFormCard.js';
import { VerdictPill } from '../fleet/VerdictPill.js';
import { shortTime } from '../collateral/humanise.js';
import { GrantDialog } from './GrantDialog.js';
import { AcquisitionNote } from './AcquisitionNote.js';

/** Live targets: the saved list with "Verify now", the add/edit form, and known_hosts import. */
export function ConnectView() {
  const targets = useApp((s) => s.targets);
  const loaded = useApp((s) => s.targetsLoaded);
  const message = useApp((s) => s.connectNotice);
  const [editing, setEditing] = useState<string | undefined>();
  useEffect(() => void loadTargets(), []);
  const edited = targets.find((t) => t.name === editing);
  return (
    <div className="connect">
      <AcquisitionNote />
      {message && (
        <p className={`notice ${message.kind === 'error' ? 'bad' : 'good'}`} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="connect-message">
          {message.text}
        </p>
      )}
      <div className="two-col">
        <section className="card" data-testid="targets">
          <h2>
            Saved targets <small>{targets.length ? `${targets.length} · also used by tee-inspect fleet verify` : ''}</small>
          </h2>
          {loaded && targets.length === 0 && <p className="hint">No targets yet. Add a VM reached over SSH, or an attestation agent over HTTPS.</p>}
          <ul className="target-list">
            {targets.map((t) => (
              <TargetRow key={t.name} t={t} onEdit={() => setEditing(t.name)} />
            ))}
          </ul>
          {editing && (
            <button type="button" className="link" onClick={() => setEditing(undefined)}>
              + Add another target
            </button>
          )}
        </section>
        <div className="stack">
          <TargetFormCard key={edited?.name ?? 'new'} editing={edited} onDone={(name) => setEditing(name)} />
          <KnownHostsImport />
        </div>
      </div>
    </div>
  );
}

function TargetRow({ t, onEdit }: { t: TargetView; onEdit(): void }) {
  const verifying = useApp((s) => s.verifying);
  const [confirm, setConfirm] = useState(false);
  return (
    <li className="target" data-target={t.name}>
      <div className="target-main">
        <strong>{t.name}</strong>
        <span className="mono target-url" title={t.url}>
          {t.url}
        </span>
        <span className="source">
          {t.kind === 'ssh' ? (t.identity ? 'key file' : 'ssh-agent') : `adapter ${t.adapter}`} · {t.nonce === false ? 'no nonce' : 'fresh nonce'}
          {t.secrets.passphrase || t.secrets.token ? ' · secret saved' : ''}
        </span>
      </div>
      <div className="target-latest">
        {t.latest ? (
          <>
            <VerdictPill verdict={t.latest.verdict} tier={t.latest.tier} /> <span className="source">{shortTime(t.latest.time)}</span>
          </>
        ) : (
          <span className="source">never verified</span>
        )}
      </div>
      <div className="target-actions">
        <button type="button" className="primary" disabled={verifying !== undefined} onClick={() => void verifyTarget(t.name)} data-testid={`verify-${t.name}`}>
          {verifying === t.name ? 'Verifying…' : 'Verify now'}
        </button>
        <button type="button" onClick={onEdit}>
          Edit
        </button>
        <button
          type="button"
          className={confirm ? 'danger' : ''}
          onClick={() => (confirm ? void removeTarget(t.name) : setConfirm(true))}
          onBlur={() => setConfirm(false)}
        >
          {confirm ? 'Confirm remove' : 'Remove'}
        </button>
      </div>
    </li>
  );
}

/** Pasted known_hosts lines, pinned for the saved SSH targets' hosts after a confirmation saying so. */
function KnownHostsImport() {
  const [text, setText] = useState('');
  const [asking, setAsking] = useState(false);
  const lines = text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).length;
  return (
    <details className="card">
      <summary>Import OpenSSH known_hosts</summary>
      <p className="hint">
        Paste lines from ~/.ssh/known_hosts: keys for your saved SSH targets are pinned (hashed names work too). Hosts that already have a pinned key are
        skipped.
      </p>
      <textarea
        rows={4}
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-label="known_hosts lines"
        data-testid="known-hosts-input"
        spellCheck={false}
      />
      <button type="button" disabled={!text.trim()} onClick={() => setAsking(true)} data-testid="known-hosts-import">
        Import
      </button>
      {asking && (
        <GrantDialog
          title="Trust these host keys?"
          confirmLabel="Pin these keys"
          testid="grant-import"
          onCancel={() => setAsking(false)}
          onConfirm={() => (setAsking(false), void importKnownHosts(text).then(() => setText('')))}
        >
          <p className="grant-what">
            This lets TEE Inspector trust the keys in these {lines} line(s) as the real host keys of your saved SSH targets&rsquo; hosts: connections that
            present them are accepted without asking.
          </p>
          <p>Import only lines from your own ~/.ssh/known_hosts. Hosts that already have a pinned key keep it.</p>
        </GrantDialog>
      )}
    </details>
  );
}
