import { setReferenceKey, useApp } from '../store.js';

/** The largest PEM read as a key: a P-384 SPKI PEM is about 250 bytes. */
const MAX_KEY_BYTES = 16 * 1024;

/**
 * The public key golden values must be signed with. Given, a signed file is used only if its signature verifies
 * with it, and an unsigned file is refused: the set is the one its signer approved, or none.
 */
export function ReferenceKeyField() {
  const key = useApp((s) => s.referenceKey);
  const choose = async (file: File | undefined) => {
    if (!file) return setReferenceKey(undefined);
    const pem = file.size > MAX_KEY_BYTES ? '' : await file.text();
    await setReferenceKey({ name: file.name, pem });
  };
  return (
    <div className="reference-key" data-testid="reference-key">
      <label htmlFor="reference-key-input">Signer's public key (PEM, optional)</label>
      <input
        id="reference-key-input"
        key={key ? key.name : 'none'}
        type="file"
        accept=".pem,.pub,application/x-pem-file"
        data-testid="reference-key-input"
        onChange={(e) => void choose(e.target.files?.[0])}
      />
      {key && (
        <div className="reference-line">
          <span className="fname" title={key.name}>
            Key {key.name}: only a set signed with it is used
          </span>
          <button type="button" className="link" aria-label={`remove signing key ${key.name}`} onClick={() => void setReferenceKey(undefined)}>
            Remove
          </button>
        </div>
      )}
    </div>
  );
}
