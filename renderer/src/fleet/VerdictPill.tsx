/** A verdict as a coloured pill: verified (green, amber for a warning tier), rejected (red), error (grey). */
export function VerdictPill({ verdict, tier }: { verdict?: string; tier?: string }) {
  if (!verdict) return <span className="status-pill pill-none">—</span>;
  const cls = verdict === 'verified' ? (tier === 'affirming' ? 'pill-good' : 'pill-warn') : verdict === 'rejected' ? 'pill-bad' : 'pill-none';
  const text = verdict === 'verified' ? `Verified${tier && tier !== 'affirming' ? ` · ${tier}` : ''}` : verdict === 'rejected' ? 'Rejected' : 'Error';
  return (
    <span className={`status-pill ${cls}`} data-verdict={verdict}>
      {text}
    </span>
  );
}
