import { useRef, useState } from 'react';
import type { DragEvent } from 'react';
import { useApp, setVerifyAt, setReference, setNonce } from '../store.js';
import { takeFiles, takePasted } from '../opened/open-actions.js';
import { OfflineToggle } from './OfflineToggle.js';
import { FileList } from './FileList.js';
import { CollateralWindowOffer } from './CollateralWindowOffer.js';
import { ReferenceKeyField } from '../diff/ReferenceKeyField.js';
import { ReferenceStatus } from '../diff/ReferenceStatus.js';
import { SaveGolden } from '../diff/SaveGolden.js';
import './inputs.css';

/** Evidence and collateral in (drop, open, paste), the verification time, the expected nonce, and golden values. */
export function InputsPanel() {
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

      <FileList />
      <VerifyAtField />
      <NonceField />
      <OfflineToggle />
      <ReferenceField />

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

function VerifyAtField() {
  const text = useApp((s) => s.verifyAtText ?? s.verifyAt);
  const iso = useApp((s) => s.verifyAt);
  const assumedUtc = useApp((s) => s.verifyAtAssumedUtc);
  const error = useApp((s) => s.verifyAtError);
  return (
    <div className="field">
      <label htmlFor="verify-at">Verify as of (ISO-8601, UTC)</label>
      <input
        id="verify-at"
        type="text"
        value={text}
        onChange={(e) => setVerifyAt(e.target.value)}
        data-testid="verify-at"
        spellCheck={false}
        aria-invalid={Boolean(error)}
        aria-describedby="verify-at-hint"
      />
      <em id="verify-at-hint" className={error ? 'error' : 'hint'} data-testid="verify-at-hint">
        {error ?? (assumedUtc ? `No time zone given: read as UTC, ${iso}.` : 'Collateral and certificates must be valid at this time.')}
      </em>
      <CollateralWindowOffer />
    </div>
  );
}

function NonceField() {
  const nonce = useApp((s) => s.nonce);
  const error = useApp((s) => s.nonceError);
  const hex = useApp((s) => s.nonceHex);
  return (
    <div className="field">
      <label htmlFor="nonce">Expected nonce / report data (hex)</label>
      <input
        id="nonce"
        type="text"
        value={nonce}
        onChange={(e) => setNonce(e.target.value)}
        data-testid="nonce-input"
        spellCheck={false}
        placeholder="optional: 1 to 64 bytes"
        aria-invalid={Boolean(error)}
        aria-describedby="nonce-hint"
      />
      <em id="nonce-hint" className={error ? 'error' : 'hint'} data-testid="nonce-hint">
        {error ??
          (hex
            ? `The report data must begin with these ${hex.length / 2} bytes.`
            : 'The value you sent for freshness; without it, the verdict does not show the evidence is fresh.')}
      </em>
    </div>
  );
}

function ReferenceField() {
  const reference = useApp((s) => s.reference);
  const result = useApp((s) => s.response?.result);
  return (
    <div className="field">
      <label htmlFor="reference-input">Golden values (reference JSON)</label>
      <input
        id="reference-input"
        key={reference ? reference.name : 'none'}
        type="file"
        accept=".json,application/json"
        data-testid="reference-input"
        onChange={(e) => void setReference(e.target.files?.[0])}
      />
      <ReferenceStatus />
      <ReferenceKeyField />
      {result && !reference && <SaveGolden result={result} />}
    </div>
  );
}
