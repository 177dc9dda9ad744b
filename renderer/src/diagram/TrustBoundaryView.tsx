import type { VerificationResult } from '../../../app/report/result.js';
import { trustBoundary, isolationModel } from '../../../app/threat/layers.js';
import { asTechnology, citation } from '../../../app/threat/seeds.js';
import type { LayerState, TrustLayer } from '../../../app/threat/types.js';

const W = 960;
const ROW = 26;
const FILL: Record<LayerState, string> = {
  proven: '#e6f5ec',
  failed: '#fdecec',
  warning: '#fff4e0',
  'not-covered': '#f2f4f7',
  untrusted: '#eceff3',
  unknown: '#f2f4f7',
};
const STROKE: Record<LayerState, string> = {
  proven: '#17804a',
  failed: '#c0262d',
  warning: '#a86200',
  'not-covered': '#8a96a6',
  untrusted: '#9aa5b4',
  unknown: '#8a96a6',
};
const WORD: Record<LayerState, string> = {
  proven: 'PROVEN',
  failed: 'FAILED',
  warning: 'WARNING',
  'not-covered': 'NOT MEASURED',
  untrusted: 'EXCLUDED',
  unknown: 'UNKNOWN',
};

/**
 * The seed's layer model (outermost first) with the trust boundary drawn around the layers that can
 * still reach the confidential data, each coloured by what this evidence proved for it. Text states
 * accompany every colour, so the diagram reads in black and white print too.
 */
export function TrustBoundaryView({ result }: { result: VerificationResult }) {
  const tech = asTechnology(result.technology);
  if (!tech) return <section className="card">No trust-boundary model for {result.technology}.</section>;
  const model = isolationModel(tech);
  const layers = trustBoundary(tech, result);
  const heights = layers.map((l) => 44 + Math.max(1, l.evidence.length) * ROW + (l.note ? 18 : 0));
  const tops = heights.map((_, i) => 70 + heights.slice(0, i).reduce((a, b) => a + b + 8, 0));
  const firstInside = layers.findIndex((l) => l.inside);
  const lastInside = layers.length - 1 - [...layers].reverse().findIndex((l) => l.inside);
  const height = tops[tops.length - 1]! + heights[heights.length - 1]! + 64;
  return (
    <section className="card diagram" data-testid="trust-boundary">
      <h2>
        Trust boundary{' '}
        <small>
          {model.label} · source: {citation(model.source)}
        </small>
      </h2>
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={`Trust boundary for ${tech}`} fontFamily="DejaVu Sans, sans-serif">
        <text x={20} y={30} fontSize={15} fontWeight={700} fill="#1b2430">
          Elements with the potential to access confidential data
        </text>
        <text x={20} y={50} fontSize={12} fill="#5d6b7e">
          Outermost first. Inside the dashed line: the trust boundary (TCB) under {model.label}.
        </text>
        {firstInside >= 0 && (
          <g>
            <rect
              x={8}
              y={tops[firstInside]! - 12}
              width={W - 16}
              height={tops[lastInside]! + heights[lastInside]! - tops[firstInside]! + 24}
              rx={14}
              fill="none"
              stroke="#c0262d"
              strokeWidth={2.5}
              strokeDasharray="10 6"
            />
            <text x={W - 22} y={tops[lastInside]! + heights[lastInside]! + 30} fontSize={12} fontWeight={700} fill="#c0262d" textAnchor="end">
              ▲ TRUST BOUNDARY: only these layers can reach the data
            </text>
          </g>
        )}
        {layers.map((l, i) => (
          <Layer key={l.id} layer={l} y={tops[i]!} h={heights[i]!} />
        ))}
      </svg>
    </section>
  );
}

function Layer({ layer, y, h }: { layer: TrustLayer; y: number; h: number }) {
  const s = layer.state;
  return (
    <g data-layer={layer.id} data-state={s} data-inside={layer.inside}>
      <rect
        x={24}
        y={y}
        width={W - 48}
        height={h}
        rx={8}
        fill={FILL[s]}
        stroke={STROKE[s]}
        strokeWidth={layer.inside ? 1.6 : 1}
        strokeDasharray={layer.inside ? undefined : '4 3'}
      />
      <text x={40} y={y + 24} fontSize={14} fontWeight={700} fill="#1b2430">
        {layer.label}
      </text>
      <text x={W - 40} y={y + 24} fontSize={11} fontWeight={700} fill={STROKE[s]} textAnchor="end">
        {layer.inside ? 'INSIDE' : 'OUTSIDE'} · {WORD[s]}
      </text>
      {layer.evidence.length === 0 && (
        <text x={56} y={y + 24 + ROW} fontSize={12} fill="#5d6b7e">
          {layer.role}
        </text>
      )}
      {layer.evidence.map((e, j) => (
        <text key={e.label} x={56} y={y + 24 + ROW * (j + 1)} fontSize={12} fill="#3a4657">
          <tspan fontWeight={700} fill={STROKE[e.state]}>
            {WORD[e.state]}
          </tspan>
          <tspan dx={8} fontWeight={600}>
            {e.label}
          </tspan>
          {e.value && (
            <tspan dx={8} fontFamily="DejaVu Sans Mono, monospace" fill="#5d6b7e">
              {short(e.value)}
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

/** A long hex value as its head and tail, as both boundary drawings (the view and the export) show it. */
export function short(v: string): string {
  return v.length > 40 ? `${v.slice(0, 24)}…${v.slice(-8)}` : v;
}
