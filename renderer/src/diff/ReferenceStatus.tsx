import { useApp, removeReference } from '../store.js';
import './diff.css';

/** The loaded golden-values file: its name, a remove button, and why it cannot be used (the verdict stands without it). */
export function ReferenceStatus() {
  const reference = useApp((s) => s.reference);
  const error = useApp((s) => s.referenceError);
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
      {error && (
        <em className="reference-error" role="alert" data-testid="reference-error">
          {error}. The evidence is verified without golden values.
        </em>
      )}
    </div>
  );
}
