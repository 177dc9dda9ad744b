import { useApp, removeReference } from '../store.js';
import type { ReferenceSummary } from '../../../app/report/result.js';
import './diff.css';

/** The loaded golden-values file: its name, a remove button, and why it cannot be used (the verdict stands without it). */
export function ReferenceStatus() {
  const reference = useApp((s) => s.reference);
  const error = useApp((s) => s.referenceError);
  const applied = useApp((s) => s.response?.result.appraisal.reference);
  if (!reference) return null;
  return (
    <div className="reference-status" data-testid="reference-status">
      <div className="reference-line">
        <span className="fname" title={reference.name}>
          {error ? 'Not used: ' : 'Loaded '}
          {reference.name}
        </span>
        <button
          type="button"
          className="link"
          aria-label={`remove golden values ${reference.name}`}
          onClick={() => void removeReference()}
          data-testid="reference-remove"
        >
          Remove
        </button>
      </div>
      {!error && applied && <SignatureLine applied={applied} />}
      {error && (
        <em className="reference-error" role="alert" data-testid="reference-error">
          {error}. The evidence is verified without golden values.
        </em>
      )}
    </div>
  );
}

/** What the file's signature establishes: verified with the key given, present but not checked, or absent. */
export function SignatureLine({ applied }: { applied: ReferenceSummary }) {
  const sig = applied.signature;
  const digest = applied.sha256 ? ` · sha256 ${applied.sha256.slice(0, 16)}…` : '';
  const text = !sig
    ? 'Unsigned: whoever can change this file can change what is approved.'
    : sig.verified
      ? `Signed (${sig.alg}); the signature verifies with the key given (sha256 ${sig.keySha256?.slice(0, 16)}…).`
      : `Signed (${sig.alg}), but the signature was not checked: load the signer's public key to check it.`;
  return (
    <em className={`reference-signature ${sig?.verified ? 'hint' : 'hint-warn'}`} data-testid="reference-signature" data-verified={Boolean(sig?.verified)}>
      {text}
      {digest}
    </em>
  );
}
