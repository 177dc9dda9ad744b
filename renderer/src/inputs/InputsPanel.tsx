import { useRef, useState } from 'react';
import type { DragEvent } from 'react';
import { useApp, removeFile, clearAll, setVerifyAt, setReference } from '../store.js';
import { takeFiles, takePasted } from '../opened/open-actions.js';
import { OfflineToggle } from './OfflineToggle.js';

/** Evidence and collateral in (drop, open, paste), the verification time, and golden values. */
export function InputsPanel() {
  const files = useApp((s) => s.files);
  const reference = useApp((s) => s.reference);
  const verifyAt = useApp((s) => s.verifyAt);
  const atError = useApp((s) => s.verifyAtError);
  const [dragging, setDragging] = useState(false);
  const [paste, setPaste] = useState('');
  const input = useRef<HTMLInputElement>(null);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length) void takeFiles(e.dataTransfer.files);
  };

  return (
    <aside className="inputs">
      <div
        className={dragging ? 'dropzone dragging' : 'dropzone'}
        onDragOver={(e) => (e.preventDefault(), setDragging(true))}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        onClick={() => input.current?.click()}
        role="button"
        tabIndex={0}
        data-testid="dropzone"
      >
        <strong>Drop evidence and collateral</strong>
        <span>
          SGX/TDX quote or SEV-SNP report · Intel PCS/PCCS responses · collateral bundle · VCEK/VLEK and other certificates · CRLs · or a TEE Inspector report
          or EAR token to recheck
        </span>
        <button type="button" className="primary">
          Open files…
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          data-testid="evidence-input"
          onChange={(e) => e.target.files && void takeFiles(e.target.files).then(() => (e.target.value = ''))}
        />
      </div>

      {files.length > 0 && (
        <ul className="filelist" data-testid="file-list">
          {files.map((f) => (
            <li key={f.name}>
              <span className="fname" title={f.name}>
                {f.name}
              </span>
              <span className="fsize">{formatSize(f.size)}</span>
              <button type="button" className="link" aria-label={`remove ${f.name}`} onClick={() => removeFile(f.name)}>
                ✕
              </button>
            </li>
          ))}
          <li className="clear">
            <button type="button" className="link" onClick={clearAll}>
              Clear all
            </button>
          </li>
        </ul>
      )}

      <label className="field">
        <span>Verify as of (ISO-8601, UTC)</span>
        <input
          type="text"
          value={verifyAt}
          onChange={(e) => setVerifyAt(e.target.value)}
          data-testid="verify-at"
          spellCheck={false}
          aria-invalid={Boolean(atError)}
        />
        {atError ? <em className="error">{atError}</em> : <em className="hint">Collateral and certificates must be valid at this time.</em>}
      </label>

      <OfflineToggle />

      <label className="field">
        <span>Golden values (reference JSON)</span>
        <input
          key={reference ? reference.name : 'none'}
          type="file"
          accept=".json,application/json"
          data-testid="reference-input"
          onChange={(e) => void setReference(e.target.files?.[0])}
        />
        {reference && <em className="hint">Loaded {reference.name}</em>}
      </label>

      <details className="field">
        <summary>Paste a quote as hex or base64</summary>
        <textarea value={paste} onChange={(e) => setPaste(e.target.value)} rows={4} data-testid="paste-input" placeholder="030002000000…" />
        <button type="button" disabled={!paste.trim()} onClick={() => (void takePasted(paste), setPaste(''))}>
          Add pasted evidence
        </button>
      </details>
    </aside>
  );
}

function formatSize(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
