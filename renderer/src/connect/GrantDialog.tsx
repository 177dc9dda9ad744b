import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import './connect.css';

/**
 * A confirmation before the app is given a capability (log in somewhere and run a command, trust host keys):
 * it says exactly what is granted, Cancel has the focus, Escape cancels. A native modal <dialog>.
 */
export function GrantDialog(p: { title: string; confirmLabel: string; testid: string; children: ReactNode; onConfirm(): void; onCancel(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="hostkey grant"
      aria-labelledby={`${p.testid}-title`}
      aria-describedby={`${p.testid}-body`}
      onCancel={p.onCancel}
      data-testid={p.testid}
    >
      <h2 id={`${p.testid}-title`}>{p.title}</h2>
      <div id={`${p.testid}-body`}>{p.children}</div>
      <div className="dialog-actions">
        <button type="button" autoFocus onClick={p.onCancel} data-testid={`${p.testid}-cancel`}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={p.onConfirm} data-testid={`${p.testid}-confirm`}>
          {p.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
