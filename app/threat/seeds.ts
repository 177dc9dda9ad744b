import type { SeedFile, SeedRef, Source, Technology } from './types.js';
import { TECHNOLOGIES, technologyName } from '../tee/registry.js';

/** Result technology strings to the ones the views know (the registry's ids and aliases, e.g. the manifest's 'snp'). */
export { asTechnology } from '../tee/registry.js';

/**
 * The five seed documents (text dumps of slides and a blog post) and what this folder takes from each.
 * `author` is as the document names its author (002 names none, so it says so); reports cite title and author.
 */
export const SEED_FILES: Readonly<Record<SeedFile, { title: string; author: string; uses: string }>> = {
  '000_37fe1b8787ae3b5a.txt': {
    title: 'State of Affairs: Confidential Computing on OpenStack (fkr, OSB Alliance)',
    author: 'fkr (fkr@osb-alliance.com)',
    uses: 'trust-boundary layer model (four isolation pictures); SGX Vulnerabilities table',
  },
  '001_1962e623fc24d9cf.txt': {
    title: 'Confidential Computing in digital sovereign environments (Sovereign Cloud Stack blog, 2023-11-21)',
    author: 'Markus Leberecht, Felix Kronlage-Dammers',
    uses: 'process- vs VM-based TEEs; SGX TCB Recovery; VM attestation covers the static boot stack; I/O accelerators',
  },
  '002_e574538adb639cf8.txt': {
    title: 'Confidential Computing (UK RISE Annual Conference 2020)',
    author: 'not named in the slides (UK RISE Annual Conference 2020)',
    uses: 'problem statement; attestation needs (replay attacks); "are the known vulnerabilities patched?"; side-channel timeline',
  },
  '003_9e0cb27a51a6d34f.txt': {
    title: 'Chains of trust in Confidential Computing (Christophe de Dinechin, Red Hat)',
    author: 'Christophe de Dinechin',
    uses: 'guarantees and non-guarantees; SEV / SEV-ES / SEV-SNP mitigation table; confidential VMs; TDX and SEAM',
  },
  '004_4409214c4d422acc.txt': {
    title: 'Enemy in the Clouds (Dr. Ivan Gudymenko, T-Systems MMS)',
    author: 'Dr. Ivan Gudymenko',
    uses: 'trust assumptions (trusting only TEE hardware); SGX application properties; debug enclaves void security',
  },
};

export function seed(file: SeedFile, locator: string, quote?: string, detail?: string): SeedRef {
  const ref: SeedRef = { file, locator };
  if (quote !== undefined) ref.quote = quote;
  if (detail !== undefined) ref.detail = detail;
  return ref;
}

export function isSeedRef(s: Source): s is SeedRef {
  return s !== 'product';
}

/** A seed document by title and author, with the slide or section (never its file name); "product" for our own rows. */
export function citation(s: Source): string {
  if (s === 'product') return 'TEE Inspector (not in the source documents)';
  const seed = SEED_FILES[s.file];
  return `${seed.title} — ${seed.author}${s.locator ? `, ${s.locator}` : ''}`;
}

/** Display names by technology, as the registry's modules declare them. */
export const TECHNOLOGY_LABELS: Readonly<Record<Technology, string>> = Object.fromEntries(TECHNOLOGIES.map((t) => [t, technologyName(t)])) as Record<
  Technology,
  string
>;
