import { useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { setTab } from '../store.js';
import type { Tab } from '../store.js';

export const TABS: readonly { id: Tab; label: string }[] = [
  { id: 'inspector', label: 'Checks & fields' },
  { id: 'collateral', label: 'Collateral' },
  { id: 'boundary', label: 'Trust boundary' },
  // Always shown: a stable tab order, and for evidence without a log the view says what to drop (MeasuredBootView).
  { id: 'boot', label: 'Measured boot' },
  { id: 'threats', label: 'Threat matrix' },
  { id: 'reference', label: 'Golden values' },
  { id: 'export', label: 'Export' },
  { id: 'connect', label: 'Connect' },
  { id: 'fleet', label: 'Fleet' },
];

/** One panel shows whichever view is selected, so every tab controls the same element. */
export const PANEL_ID = 'view-panel';
export const tabElementId = (tab: Tab) => `view-tab-${tab}`;

/** The tab a key moves to (WAI-ARIA tabs pattern: arrows wrap, Home and End jump), or undefined for other keys. */
export function tabAfterKey(key: string, current: Tab): Tab | undefined {
  const at = TABS.findIndex((t) => t.id === current);
  const last = TABS.length - 1;
  const index =
    key === 'ArrowRight' ? (at + 1) % TABS.length : key === 'ArrowLeft' ? (at + last) % TABS.length : key === 'Home' ? 0 : key === 'End' ? last : -1;
  return index < 0 ? undefined : TABS[index]!.id;
}

/** The view switcher: roving tabindex (only the selected tab is a Tab stop) and automatic activation on arrow keys. */
export function ViewTabs({ selected }: { selected: Tab }) {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: KeyboardEvent) => {
    const next = tabAfterKey(e.key, selected);
    if (!next) return;
    e.preventDefault();
    setTab(next);
    list.current?.querySelector<HTMLElement>(`#${tabElementId(next)}`)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label="Views" ref={list} onKeyDown={onKeyDown}>
      {TABS.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={tabElementId(t.id)}
          aria-controls={PANEL_ID}
          aria-selected={selected === t.id}
          tabIndex={selected === t.id ? 0 : -1}
          className={`${selected === t.id ? 'tab active' : 'tab'}${t.id === 'connect' ? ' tab-gap' : ''}`}
          onClick={() => setTab(t.id)}
          data-testid={`tab-${t.id}`}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
