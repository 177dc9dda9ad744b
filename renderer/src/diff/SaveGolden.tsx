import { useState } from 'react';
import type { VerificationResult } from '../../../app/report/result.js';
import { createReference } from '../../../app/appraisal/create-reference.js';
import { api } from '../api.js';
import { nowIso } from '../store.js';
import { downloadText } from '../download.js';

/**
 * "Save these measurements as golden values": a tee-inspect/reference/v1 file from the shown result, with its
 * provenance (evidence SHA-256, verification time, tool version, who and when) in the file's note.
 */
export function SaveGolden({ result }: { result: VerificationResult }) {
  const [who, setWho] = useState('');
  const [setName, setSetName] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  if (!result.cryptoValid) {
    return (
      <p className="hint" data-testid="save-golden-unavailable">
        The evidence's signatures did not verify, so its measurements cannot be saved as golden values.
      </p>
    );
  }
  const save = async () => {
    try {
      const { version } = await api.appInfo();
      const note = `Saved on ${nowIso()}${who.trim() ? ` by ${who.trim()}` : ''}.`;
      const created = createReference(result, { toolVersion: version, note, createdAt: nowIso() });
      // A named set (one per environment: prod, staging) so that values saved later can be merged into it.
      const ref = setName.trim() ? { ...created, sets: [{ ...created.sets[0], name: setName.trim().slice(0, 200) }] } : created;
      const name = `golden-${result.technology}-${result.evidence.sha256.slice(0, 12)}.reference.json`;
      downloadText(name, 'application/json', `${JSON.stringify(ref, null, 2)}\n`);
      setMessage({ kind: 'ok', text: `Saved ${name}: ${Object.keys(ref.sets[0]?.claims ?? {}).length} claims. Review it before you rely on it.` });
    } catch (e) {
      setMessage({ kind: 'error', text: (e as Error).message });
    }
  };
  return (
    <div className="save-golden" data-testid="save-golden">
      {result.verdict !== 'verified' && (
        <p className="hint">This evidence was rejected: save its measurements only once you know why, and that this workload is the one you approve.</p>
      )}
      {result.claims.debug === true && <p className="hint">It runs in debug mode; the saved values do not allow debug.</p>}
      <label className="inline">
        <span>Saved by</span>{' '}
        <input type="text" value={who} onChange={(e) => setWho(e.target.value)} placeholder="your name (optional)" data-testid="save-golden-who" />
      </label>{' '}
      <label className="inline">
        <span>Set name</span>{' '}
        <input type="text" value={setName} onChange={(e) => setSetName(e.target.value)} placeholder="for example prod" data-testid="save-golden-set" />
      </label>{' '}
      <button type="button" onClick={() => void save()} data-testid="save-golden-button">
        Save these measurements as golden values
      </button>
      {message && (
        <p className={message.kind === 'error' ? 'error' : 'hint'} role="status" data-testid="save-golden-message">
          {message.text}
        </p>
      )}
    </div>
  );
}
