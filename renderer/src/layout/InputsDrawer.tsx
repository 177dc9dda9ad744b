import { useState } from 'react';
import type { ReactNode } from 'react';
import { useApp } from '../store.js';

const BODY_ID = 'inputs-drawer-body';

/**
 * The inputs column. On narrow windows (single column, styles.css) a disclosure button folds it away so the
 * verdict and views get the width; on wide windows it is always open and the button is not shown.
 * Folded content stays mounted, so a half-typed paste or time is not lost.
 */
export function InputsDrawer({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(true);
  const files = useApp((s) => s.files.length);
  const summary = files ? ` (${files} ${files === 1 ? 'file' : 'files'})` : '';
  return (
    <div className="inputs-drawer" data-testid="inputs-drawer">
      <h2 className="drawer-heading">
        <button type="button" className="drawer-toggle" aria-expanded={open} aria-controls={BODY_ID} onClick={() => setOpen(!open)} data-testid="inputs-toggle">
          <span className="drawer-chevron" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
          Evidence and settings{summary}
        </button>
        <span className="drawer-title">Evidence and settings</span>
      </h2>
      <div id={BODY_ID} className="drawer-body" data-open={open}>
        {children}
      </div>
    </div>
  );
}
