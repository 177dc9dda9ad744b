import { useState } from 'react';
import type { TargetView } from '../../../main/api/types.js';
import { useApp } from '../store.js';
import { clearSecret, saveTarget, verifyTarget } from './connect-store.js';
import type { TargetForm } from './connect-store.js';
import { saveBlockers, sshGrant } from './form-check.js';
import type { SshGrant } from './form-check.js';
import { GrantDialog } from './GrantDialog.js';

const EMPTY: TargetForm = { name: '', url: '', adapter: 'coco-aa', auth: 'agent', identity: '', collector: '', nonce: true, passphrase: '', token: '' };

function fromTarget(t: TargetView | undefined): TargetForm {
  if (!t) return EMPTY;
  return {
    ...EMPTY,
    name: t.name,
    url: t.url,
    adapter: t.adapter ?? 'coco-aa',
    auth: t.identity ? 'key' : 'agent',
    identity: t.identity ?? '',
    collector: t.collector ?? '',
    nonce: t.nonce !== false,
  };
}

/**
 * Add or edit a target (the parent keys it by the edited name, so switching targets starts a fresh form):
 * where it is, how to authenticate, how to collect; secrets go to the secret store on save.
 */
export function TargetFormCard({ editing, onDone }: { editing?: TargetView; onDone(name?: string): void }) {
  const persist = useApp((s) => s.secretsPersist);
  const [form, setForm] = useState<TargetForm>(fromTarget(editing));
  const set = <K extends keyof TargetForm>(k: K, v: TargetForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  // An ssh:// save waits for the grant confirmation: which way it was asked for (with or without verifying).
  const [asking, setAsking] = useState<{ andVerify: boolean; grant: SshGrant } | undefined>();
  const ssh = form.url.trim().startsWith('ssh:');
  const https = form.url.trim().startsWith('https:');
  const blockers = saveBlockers(form);
  const ready = blockers.length === 0;

  const submit = (andVerify: boolean) => {
    const grant = ssh ? sshGrant(form) : undefined;
    if (grant) setAsking({ andVerify, grant });
    else void save(andVerify, false);
  };
  const save = async (andVerify: boolean, confirmed: boolean) => {
    setAsking(undefined);
    const name = await saveTarget(form, editing?.name, confirmed);
    if (!name) return;
    setForm((f) => ({ ...f, passphrase: '', token: '' }));
    onDone(name);
    if (andVerify) await verifyTarget(name);
  };

  return (
    <form className="card target-form" data-testid="target-form" onSubmit={(e) => (e.preventDefault(), ready && submit(true))}>
      <h2>{editing ? `Edit ${editing.name}` : 'Add a target'}</h2>
      <label className="row">
        <span>Name</span>
        <input type="text" value={form.name} onChange={(e) => set('name', e.target.value)} data-testid="target-name" placeholder="db-primary" required />
      </label>
      <label className="row">
        <span>URL</span>
        <input
          type="text"
          value={form.url}
          onChange={(e) => set('url', e.target.value)}
          data-testid="target-url"
          placeholder="ssh://user@host:22 or https://host/…"
          spellCheck={false}
          required
        />
      </label>
      {https && (
        <label className="row">
          <span>Adapter</span>
          <select value={form.adapter} onChange={(e) => set('adapter', e.target.value)} data-testid="target-adapter">
            <option value="coco-aa">CoCo attestation agent (coco-aa)</option>
            <option value="dstack">dstack guest agent</option>
            <option value="template">URL template with {'{nonce}'}</option>
          </select>
        </label>
      )}
      {ssh && (
        <div className="row" role="radiogroup" aria-labelledby="auth-label">
          <span id="auth-label">Sign in with</span>
          <div>
            <label className="inline">
              <input type="radio" name="auth" checked={form.auth === 'agent'} onChange={() => set('auth', 'agent')} data-testid="auth-agent" /> ssh-agent
            </label>
            <label className="inline">
              <input type="radio" name="auth" checked={form.auth === 'key'} onChange={() => set('auth', 'key')} data-testid="auth-key" /> key file
            </label>
          </div>
        </div>
      )}
      {ssh && form.auth === 'key' && (
        <label className="row">
          <span>Key file</span>
          <input
            type="text"
            value={form.identity}
            onChange={(e) => set('identity', e.target.value)}
            data-testid="target-identity"
            placeholder="/home/me/.ssh/id_ed25519"
            spellCheck={false}
          />
        </label>
      )}
      {ssh && (
        <label className="row">
          <span>Collector</span>
          <input
            type="text"
            value={form.collector}
            onChange={(e) => set('collector', e.target.value)}
            data-testid="target-collector"
            placeholder="default: configfs-tsm or Gramine, detected"
            spellCheck={false}
          />
        </label>
      )}
      <label className="inline row-check">
        <input type="checkbox" checked={form.nonce} onChange={(e) => set('nonce', e.target.checked)} data-testid="target-nonce" /> Send a fresh nonce (proves
        the evidence is recent)
      </label>
      {ssh && form.auth === 'key' && (
        <SecretField
          label="Key passphrase"
          kind="passphrase"
          value={form.passphrase}
          saved={editing?.secrets.passphrase}
          onChange={(v) => set('passphrase', v)}
          target={editing?.name}
        />
      )}
      {https && (
        <SecretField
          label="Bearer token"
          kind="token"
          value={form.token}
          saved={editing?.secrets.token}
          onChange={(v) => set('token', v)}
          target={editing?.name}
        />
      )}
      {(ssh || https) && (
        <p className="hint" data-testid="secret-note">
          {persist
            ? 'Secrets are stored encrypted by the operating system keychain and never shown again.'
            : 'Secrets are kept in memory for this session only (browser mode has no OS keychain); you will be asked again after a restart.'}
        </p>
      )}
      {editing && editing.fileOnly.length > 0 && <p className="hint">Also uses {editing.fileOnly.join(', ')} from the targets file; edit those there.</p>}
      {!ready && (
        <ul className="save-blocked" id="save-blocked" data-testid="save-blocked" aria-label="Why Save is disabled">
          {blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!ready} aria-describedby={ready ? undefined : 'save-blocked'} data-testid="target-save-verify">
          Save &amp; verify now
        </button>
        <button type="button" disabled={!ready} aria-describedby={ready ? undefined : 'save-blocked'} onClick={() => submit(false)} data-testid="target-save">
          Save
        </button>
        {editing && (
          <button type="button" onClick={() => onDone()}>
            Cancel
          </button>
        )}
      </div>
      {asking && (
        <GrantDialog
          title="Let TEE Inspector log in and run a command?"
          confirmLabel="Allow and save"
          testid="grant-ssh"
          onConfirm={() => void save(asking.andVerify, true)}
          onCancel={() => setAsking(undefined)}
        >
          <SshGrantText grant={asking.grant} nonce={form.nonce} />
        </GrantDialog>
      )}
    </form>
  );
}

function SshGrantText({ grant, nonce }: { grant: SshGrant; nonce: boolean }) {
  return (
    <>
      <p className="grant-what" data-testid="grant-ssh-text">
        This lets TEE Inspector log in to <strong>{grant.host}</strong> as <strong>{grant.user}</strong> with {grant.key} and run <code>{grant.command}</code>.
      </p>
      <p>
        It does so each time you verify this target, in fleet runs and on a schedule{nonce ? ', with a fresh nonce each time' : ''}. The target is saved in the
        targets file that <code>tee-inspect fleet verify</code> also reads.
      </p>
    </>
  );
}

function SecretField(p: { label: string; kind: 'passphrase' | 'token'; value: string; saved?: boolean; target?: string; onChange(v: string): void }) {
  return (
    <label className="row">
      <span>{p.label}</span>
      <input
        type="password"
        value={p.value}
        onChange={(e) => p.onChange(e.target.value)}
        autoComplete="off"
        data-testid={`target-${p.kind}`}
        placeholder={p.saved ? 'saved (type to replace)' : 'optional'}
      />
      {p.saved && p.target && (
        <button type="button" className="link" onClick={() => void clearSecret(p.target!, p.kind)}>
          Forget saved {p.kind}
        </button>
      )}
    </label>
  );
}
