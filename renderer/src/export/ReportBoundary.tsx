import { short } from '../diagram/TrustBoundaryView.js';
import type { BoundaryLayer, BoundaryState, TrustBoundaryView } from '../../../app/report/report.js';

const W = 960;
const ROW = 24;
const COLOUR: Record<BoundaryState, { fill: string; stroke: string }> = {
  proven: { fill: '#e6f5ec', stroke: '#17804a' },
  matched: { fill: '#e6f5ec', stroke: '#17804a' },
  measured: { fill: '#fff4e0', stroke: '#a86200' },
  failed: { fill: '#fdecec', stroke: '#c0262d' },
  'not-measured': { fill: '#f2f4f7', stroke: '#8a96a6' },
  excluded: { fill: '#eceff3', stroke: '#9aa5b4' },
};

/**
 * The report's own trust boundary (report.trustBoundary), drawn as it is stated there, so the export says
 * exactly what the report object says. Every colour has its state in words, for black-and-white print.
 */
export function ReportBoundary({ boundary }: { boundary: TrustBoundaryView }) {
  const heights = boundary.layers.map((l) => 40 + Math.max(1, l.items.length) * ROW + (l.note ? 18 : 0));
  const tops = heights.map((_, i) => 60 + heights.slice(0, i).reduce((a, b) => a + b + 8, 0));
  const height = (tops.at(-1) ?? 60) + (heights.at(-1) ?? 0) + 24;
  return (
    <section className="card diagram" data-testid="report-trust-boundary">
      <h2>
        Trust boundary <small>{boundary.technology} · as stated in the report</small>
      </h2>
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={`Trust boundary for ${boundary.technology}`} fontFamily="DejaVu Sans, sans-serif">
        <text x={20} y={30} fontSize={13} fill="#5d6b7e">
          Outermost first. INSIDE: within the trust boundary. proven = vouched for by the vendor&apos;s chain · matched = equal to a reference value · measured
          = signed, compared with nothing
        </text>
        {boundary.layers.map((l, i) => (
          <Layer key={l.id} layer={l} y={tops[i]!} h={heights[i]!} />
        ))}
      </svg>
    </section>
  );
}

function Layer({ layer, y, h }: { layer: BoundaryLayer; y: number; h: number }) {
  const c = COLOUR[layer.state];
  return (
    <g data-layer={layer.id} data-state={layer.state} data-inside={layer.inside}>
      <rect x={24} y={y} width={W - 48} height={h} rx={8} fill={c.fill} stroke={c.stroke} strokeDasharray={layer.inside ? undefined : '4 3'} />
      <text x={40} y={y + 24} fontSize={14} fontWeight={700} fill="#1b2430">
        {layer.title}
      </text>
      <text x={W - 40} y={y + 24} fontSize={11} fontWeight={700} fill={c.stroke} textAnchor="end">
        {layer.inside ? 'INSIDE' : 'OUTSIDE'} · {layer.state.toUpperCase()}
      </text>
      {layer.items.map((it, j) => (
        <text key={`${it.claim}:${j}`} x={56} y={y + 24 + ROW * (j + 1)} fontSize={12} fill="#3a4657">
          <tspan fontWeight={700} fill={COLOUR[it.state].stroke}>
            {it.state.toUpperCase()}
          </tspan>
          <tspan dx={8} fontWeight={600}>
            {it.label}
          </tspan>
          {it.value && (
            <tspan dx={8} fontFamily="DejaVu Sans Mono, monospace" fill="#5d6b7e">
              {short(it.value)}
            </tspan>
          )}
        </text>
      ))}
      {layer.note && (
        <text x={56} y={y + h - 10} fontSize={11} fontStyle="italic" fill="#5d6b7e">
          {layer.note}
        </text>
      )}
    </g>
  );
}
