import { useState } from 'react';
import { useApp } from '../store.js';
import { applyKey } from './open-actions.js';

/** The signer's public key (PEM, pasted or from a file): the token is opened again and its signature checked with it. */
export function KeyField() {
  const keyError = useApp((s) => s.keyError);
  const [pem, setPem] = useState('');
  return (
    <div className="opened-key">
      <label className="field">
        <span>Signer&apos;s public key (PEM) to check the signature</span>
        <textarea
          rows={3}
          value={pem}
          onChange={(e) => setPem(e.target.value)}
          data-testid="key-input"
          spellCheck={false}
          placeholder="-----BEGIN PUBLIC KEY-----"
          aria-invalid={Boolean(keyError)}
        />
      </label>
      <label className="field">
        <span>or a key file</span>
        <input type="file" accept=".pem,.pub,.txt" data-testid="key-file" onChange={(e) => void e.target.files?.[0]?.text().then(setPem)} />
      </label>
      <button type="button" disabled={!pem.trim()} onClick={() => void applyKey(pem)} data-testid="key-apply">
        Check the signature with this key
      </button>
      {keyError && (
        <em className="error" role="alert">
          {keyError}
        </em>
      )}
    </div>
  );
}
