import type { SeedFile, SeedRef, Source, Technology } from './types.js';

/** The five seed documents (text dumps of slides and a blog post) and what this folder takes from each. */
export const SEED_FILES: Readonly<Record<SeedFile, { title: string; uses: string }>> = {
  '000_37fe1b8787ae3b5a.txt': {
    title: 'State of Affairs: Confidential Computing on OpenStack (fkr, OSB Alliance)',
    uses: 'trust-boundary layer model (four isolation pictures); SGX Vulnerabilities table',
  },
  '001_1962e623fc24d9cf.txt': {
    title: 'Confidential Computing in digital sovereign environments (Sovereign Cloud Stack blog, 2023-11-21)',
    uses: 'process- vs VM-based TEEs; SGX TCB Recovery; VM attestation covers the static boot stack; I/O accelerators',
  },
  '002_e574538adb639cf8.txt': {
    title: 'Confidential Computing (UK RISE Annual Conference 2020)',
    uses: 'problem statement; attestation needs (replay attacks); "are the known vulnerabilities patched?"; side-channel timeline',
  },
  '003_9e0cb27a51a6d34f.txt': {
    title: 'Chains of trust in Confidential Computing (Christophe de Dinechin, Red Hat)',
    uses: 'guarantees and non-guarantees; SEV / SEV-ES / SEV-SNP mitigation table; confidential VMs; TDX and SEAM',
  },
  '004_4409214c4d422acc.txt': {
    title: 'Enemy in the Clouds (Dr. Ivan Gudymenko, T-Systems MMS)',
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

/** "000_…txt, Trust Boundary…" or "product": a one-line citation for tooltips and reports. */
export function citation(s: Source): string {
  return s === 'product' ? 'product' : `${s.file}, ${s.locator}`;
}

/** Result technology strings to the ones the views know ('snp' is the vector manifest's spelling). */
export function asTechnology(t: string): Technology | null {
  if (t === 'sgx' || t === 'tdx' || t === 'sev-snp') return t;
  if (t === 'snp') return 'sev-snp';
  return null;
}

export const TECHNOLOGY_LABELS: Readonly<Record<Technology, string>> = {
  sgx: 'Intel SGX',
  tdx: 'Intel TDX',
  'sev-snp': 'AMD SEV-SNP',
};
