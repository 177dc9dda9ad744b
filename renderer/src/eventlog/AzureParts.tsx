import type { LinkedParts, Link, Part } from './linked-parts.js';
import { Pill } from './bits.js';

const MARK: Record<Link['state'], string> = { bound: '✓', broken: '✗', 'not-established': '!', 'not-run': '–' };

/**
 * The three parts of the evidence and the two bindings between them, each link in words from its check.
 * What each part proves is said beside it: the hardware report is taken at boot and covers the paravisor and
 * firmware; the guest's state is only in the PCRs; freshness comes only from the vTPM quote's nonce.
 */
export function AzureParts({ parts, name }: { parts: LinkedParts; name: string }) {
  return (
    <section className="card mb-parts" data-testid="linked-parts">
      <h2>
        Linked parts <small>{name}</small>
      </h2>
      <p className="mb-honesty">
        The hardware report is made once at boot and covers the paravisor and firmware, not the guest OS. The guest&apos;s boot is only in the vTPM&apos;s PCRs,
        and freshness comes only from the vTPM quote&apos;s nonce. The chain holds only where every link says <q>bound</q>.
      </p>
      <ol className="mb-chain">
        <PartBox part={parts.hardware} id="hardware" />
        <LinkBox link={parts.hardwareToRuntime} from="hardware report" to="runtime data" />
        <PartBox part={parts.runtime} id="runtime" />
        <LinkBox link={parts.runtimeToVtpm} from="runtime data" to="vTPM quote" />
        <PartBox part={parts.vtpm} id="vtpm" />
      </ol>
    </section>
  );
}

function PartBox({ part, id }: { part: Part; id: string }) {
  return (
    <li className={`mb-part mb-tone-${part.tone}`} data-part={id} data-state={part.state}>
      <h3>{part.title}</h3>
      <Pill tone={part.tone}>{part.words}</Pill>
      <dl>
        {part.facts.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd className={/^[0-9a-f]{32,}$/.test(v) ? 'mono mb-hex' : undefined}>{v}</dd>
          </div>
        ))}
      </dl>
    </li>
  );
}

function LinkBox({ link, from, to }: { link: Link; from: string; to: string }) {
  return (
    <li className={`mb-link mb-link-${link.state}`} data-link={link.checkId} data-state={link.state}>
      <span className="sr-only">
        Link from the {from} to the {to}:
      </span>
      <span className="mb-arrow" aria-hidden="true">
        {MARK[link.state]}
      </span>
      <Pill tone={link.tone}>{link.words}</Pill>
      <span className="mb-link-what">{link.what}</span>
      <details>
        <summary>
          <code>{link.checkId}</code>
        </summary>
        <p>{link.explain}</p>
      </details>
    </li>
  );
}
