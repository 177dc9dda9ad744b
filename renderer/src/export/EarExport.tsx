import { useState } from 'react';
import type { VerifyResponse } from '../../../main/api/handlers.js';
import { api } from '../api.js';
import { toBase64 } from '../store.js';

/**
 * Export the shown report as an EAR token (IETF RATS EAR, ES256), as `verify --ear --sign-key` writes it. The
 * private key is read from the chosen file for this one export and sent to the main process only to sign.
 */
export function EarExport({
  response,
  base,
  download,
}: {
  response: VerifyResponse;
  base: string;
  download: (name: string, type: string, text: string) => void;
}) {
  const [key, setKey] = useState<{ name: string; pem: string } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const sign = async () => {
    if (!key) return;
    setError(undefined);
    try {
      const report = new TextEncoder().encode(JSON.stringify(response.report));
      const { token } = await api.signEar({ name: 'report.json', base64: toBase64(report), keyPem: key.pem });
      download(`${base}.ear.jwt`, 'application/jwt', token + '\n');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="ear-export">
      <label className="field">
        <span>Signing key for an EAR token (P-256 private key, PKCS#8 PEM; used for this export only)</span>
        <input
          type="file"
          data-testid="ear-key"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void f.text().then((pem) => setKey({ name: f.name, pem }));
          }}
        />
      </label>
      <button type="button" data-testid="export-ear" disabled={!key} onClick={() => void sign()}>
        Download signed EAR token
      </button>
      {!key ? <em className="hint">Choose a signing key to enable the EAR export.</em> : null}
      {error ? (
        <em className="error" role="alert">
          {error}
        </em>
      ) : null}
    </div>
  );
}
