import type { BoundaryItem, BoundaryLayer, BoundaryState, TrustBoundaryView as BoundaryModel } from '../../../app/report/report.js';
import { isolationModel } from '../../../app/threat/layers.js';
import { asTechnology } from '../../../app/threat/seeds.js';
import { citeSource } from '../threats/cite.js';
import { fieldGloss } from '../verdict/glossary.js';
import { Term } from '../verdict/Term.js';
import { BoundaryValue } from './BoundaryValue.js';
import { STATE_MEANING, STATE_TONE, STATE_WORDS } from './boundary-format.js';
import './boundary.css';

const MARK: Readonly<Record<BoundaryState, string>> = { proven: '✓', matched: '✓', measured: '◐', failed: '✗', 'not-measured': '–', excluded: '⊘' };
const ORDER: readonly BoundaryState[] = ['proven', 'matched', 'measured', 'failed', 'not-measured', 'excluded'];

/**
 * The report's trust boundary (report.trustBoundary) as HTML, outermost layer first, the layers that can
 * reach the data inside a dashed frame. The app's view and the exported report both render this component,
 * so they cannot say different things. Every state is written in words; colour only repeats it.
 * `full`: print every value in full (the export) instead of shortening it with a copy button.
 */
export function BoundaryLayers({ boundary, testid, full = false }: { boundary: BoundaryModel; testid: string; full?: boolean }) {
  const tech = asTechnology(boundary.technology);
  const model = tech ? isolationModel(tech) : undefined;
  return (
    <section className="card boundary" data-testid={testid} aria-labelledby={`${testid}-title`}>
      <h2 id={`${testid}-title`}>
        Trust boundary <small>{model ? `${model.label} · source: ${citeSource(model.source)}` : boundary.technology} · as stated in the report</small>
      </h2>
      {boundary.layers.length === 0 ? (
        <p>No trust-boundary model for {boundary.technology}.</p>
      ) : (
        <>
          <p className="boundary-intro">
            Elements with the potential to access confidential data, outermost first. Inside the dashed frame: the trust boundary, the layers that can still
            reach the data.
          </p>
          <Legend states={ORDER.filter((s) => boundary.layers.some((l) => l.state === s || l.items.some((i) => i.state === s)))} />
          <Segments layers={boundary.layers} full={full} />
        </>
      )}
    </section>
  );
}

function Legend({ states }: { states: readonly BoundaryState[] }) {
  return (
    <dl className="boundary-legend">
      {states.map((s) => (
        <div key={s} className="legend-entry">
          <dt>
            <StateBadge state={s} />
          </dt>
          <dd>{STATE_MEANING[s]}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Runs of outside layers as they are; each run of inside layers inside one frame. */
function Segments({ layers, full }: { layers: readonly BoundaryLayer[]; full: boolean }) {
  const runs: BoundaryLayer[][] = [];
  for (const l of layers) {
    const last = runs.at(-1);
    if (last && last[0]!.inside === l.inside) last.push(l);
    else runs.push([l]);
  }
  return (
    <div className="boundary-layers">
      {runs.map((run) =>
        run[0]!.inside ? (
          <div key={run[0]!.id} className="boundary-frame">
            <div className="frame-label">Trust boundary: only these layers can reach the data</div>
            <ol>
              {run.map((l) => (
                <Layer key={l.id} layer={l} full={full} />
              ))}
            </ol>
          </div>
        ) : (
          <ol key={run[0]!.id} className="outside-run">
            {run.map((l) => (
              <Layer key={l.id} layer={l} full={full} />
            ))}
          </ol>
        ),
      )}
    </div>
  );
}

function Layer({ layer, full }: { layer: BoundaryLayer; full: boolean }) {
  return (
    <li
      className={`layer tone-${STATE_TONE[layer.state]}${layer.inside ? ' inside' : ' outside'}`}
      data-layer={layer.id}
      data-state={layer.state}
      data-inside={layer.inside}
    >
      <div className="layer-head">
        <span className="layer-title">{layer.title}</span>
        <span className="layer-state">
          <span className="layer-where">{layer.inside ? 'inside' : 'outside'}</span> <StateBadge state={layer.state} />
        </span>
      </div>
      {layer.items.length > 0 && (
        <ul className="layer-items">
          {layer.items.map((it, i) => (
            <Item key={`${it.claim}:${i}`} item={it} full={full} />
          ))}
        </ul>
      )}
      {layer.note && <p className="layer-note">{layer.note}</p>}
    </li>
  );
}

function Item({ item, full }: { item: BoundaryItem; full: boolean }) {
  // The measured note repeats the legend for every register; other notes say something particular.
  const note = item.state === 'measured' ? undefined : item.note;
  return (
    <li className={`item tone-${STATE_TONE[item.state]}`} data-claim={item.claim} data-state={item.state}>
      <StateBadge state={item.state} />
      <span className="item-label">
        <Term explain={fieldGloss(item.claim)}>{item.label}</Term>
      </span>
      {item.value !== undefined && (
        <span className="item-value">
          <BoundaryValue value={item.value} label={item.label} full={full} />
        </span>
      )}
      {note && <span className="item-note">{note}</span>}
    </li>
  );
}

export function StateBadge({ state }: { state: BoundaryState }) {
  return (
    <span className={`state-badge tone-${STATE_TONE[state]}`} data-badge={state}>
      <span aria-hidden="true">{MARK[state]}</span> {STATE_WORDS[state]}
    </span>
  );
}
