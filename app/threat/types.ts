/**
 * Types of the trust-boundary and threat-matrix views. Everything here is data the renderer draws;
 * every layer and row says where it comes from (a seed document, or the product with a reason).
 */

import type { Technology } from '../tee/registry.js';
import type { IsolationModelId } from './isolation.js';

/** Technology is the registry's (app/tee/registry.ts): the tables here are keyed by it. */
export type { Technology, IsolationModelId };

/** The seed documents the product was created from (../shared/seeds); see seeds.ts for titles. */
export type SeedFile =
  '000_37fe1b8787ae3b5a.txt' | '001_1962e623fc24d9cf.txt' | '002_e574538adb639cf8.txt' | '003_9e0cb27a51a6d34f.txt' | '004_4409214c4d422acc.txt';

/** A citation: `locator` is a slide or section title found verbatim in the file, `quote` verbatim text from it. */
export interface SeedRef {
  file: SeedFile;
  locator: string;
  quote?: string;
  /** Free text on where in the slide or what was taken (not verbatim). */
  detail?: string;
}

/** `'product'` marks a layer or row the seeds do not have; `justification` then says why it is there. */
export type Source = SeedRef | 'product';

export interface Cited {
  source: Source;
  /** Required when source is 'product': a short, factual reason. */
  justification?: string;
  /** Further seed passages that support the same layer or row. */
  seeAlso?: readonly SeedRef[];
}

// ---- Trust boundary ----------------------------------------------------------------------------

export type LayerId =
  | 'cloud-stack'
  | 'bios-firmware'
  | 'host-os-hypervisor'
  | 'vm-admin'
  | 'guest-firmware'
  | 'guest-os'
  | 'application'
  | 'function-library'
  | 'confidential-data'
  | 'tdx-module'
  | 'paravisor'
  | 'tee-hardware';

export interface IsolationModel extends Cited {
  id: IsolationModelId;
  label: string;
  /** Seed layers inside the boundary, i.e. still able to access the confidential data. */
  inside: readonly LayerId[];
  /** Seed layers of this picture, outermost first. */
  layers: readonly LayerId[];
}

export type LayerState = 'proven' | 'failed' | 'warning' | 'not-covered' | 'untrusted' | 'unknown';
export type EvidenceState = 'proven' | 'failed' | 'warning' | 'not-covered' | 'unknown';

/** One thing this evidence says about a layer: a claim, a check, or the TCB status. */
export interface LayerEvidence {
  label: string;
  claim?: string;
  /** The claim's value (lower-case hex or text) when the result carries it. */
  value?: string;
  checks: readonly { id: string; status: 'pass' | 'fail' | 'warn' | 'skip' | 'missing' }[];
  /** What this evidence proves for the layer, in plain words. */
  how: string;
  state: EvidenceState;
  /** Why the state is what it is (zero value, reference mismatch, failing check...). */
  note?: string;
}

export interface TrustLayer extends Cited {
  id: LayerId;
  /** Seed wording. */
  label: string;
  /** Inside the trust boundary (the TCB) under this technology's isolation model. */
  inside: boolean;
  /** 'root': the hardware the boundary is rooted in, not one of the seed's rings. */
  kind: 'infrastructure' | 'workload' | 'data' | 'root';
  role: string;
  evidence: readonly LayerEvidence[];
  state: LayerState;
  /** Why the layer is in its state when its items alone do not say it. */
  note?: string;
}

// ---- Threat tables -----------------------------------------------------------------------------

/** The seed's legend: "✓ = Mitigated ★ = Optionally Mitigated ⊘ = Not Mitigated". */
export type Mitigation = 'mitigated' | 'optional' | 'not-mitigated';

export type ThreatCategory =
  'confidentiality' | 'integrity' | 'availability' | 'physical' | 'side-channel' | 'fault-injection' | 'attestation' | 'tcb' | 'scope' | 'misc';

/**
 * How a row is tied to evidence, read by the matrix:
 * memory - isolation of memory or CPU state (debug mode and a revoked TCB void it);
 * hardware - rooted in the hardware (a revoked TCB voids it); debug - the debug attribute itself;
 * tcb - TCB currency; freshness - the verifier's nonce; no-tee - no TEE mitigates it.
 */
export type ThreatTie = 'memory' | 'hardware' | 'debug' | 'tcb' | 'freshness' | 'no-tee';

/** A known vulnerability (the SGX history of 000). Advisory and CVE ids are not in the seed: product-sourced. */
export interface VulnerabilityHistory {
  attack: string;
  year: string;
  description: string;
  advisories?: readonly string[];
  cves?: readonly string[];
}

export interface ThreatRow extends Cited {
  /** Stable id: tests, reports and the UI key on it. */
  id: string;
  /** Seed wording where the seed names the threat. */
  threat: string;
  /** The seed's "Example attack". */
  example?: string;
  /** The seed's group heading (e.g. "Misc."), when the seed table groups rows. */
  group?: string;
  category: ThreatCategory;
  /** Mitigation per column of the table (e.g. SEV, SEV-ES, SEV-SNP). */
  mitigatedBy: Readonly<Record<string, Mitigation>>;
  ties: readonly ThreatTie[];
  /** Claims whose reference values decide this row, per technology. */
  claims?: Readonly<Partial<Record<Technology, readonly string[]>>>;
  /** Checks that must pass for this row to be mitigated by the evidence. */
  checks?: readonly string[];
  /** For a 'tcb' row: the part of the TCB report that decides it (DCAP: 'tdxModule'); absent: the combined status. */
  tcbPart?: string;
  history?: VulnerabilityHistory;
  /** Which technologies the row applies to (general rows); absent: the table's technology. */
  technologies?: readonly Technology[];
  note?: string;
}

export interface ThreatTable {
  technology: Technology;
  /** The table's columns, e.g. ['SEV', 'SEV-ES', 'SEV-SNP']; `column` is the one this technology is. */
  columns: readonly string[];
  column: string;
  rows: readonly ThreatRow[];
}

// ---- Threat matrix -----------------------------------------------------------------------------

export type InstanceStatus = 'mitigated' | 'not-mitigated' | 'open-by-policy' | 'open-tcb' | 'not-by-any-tee' | 'unknown';

export interface MatrixRow {
  row: ThreatRow;
  /** Mitigation the table gives this technology, before looking at the evidence. */
  byTechnology: Mitigation;
  instanceStatus: InstanceStatus;
  /** One sentence naming the claim or check that decided the status. */
  because: string;
  /** Claim names and check ids the sentence relies on. */
  basis: readonly string[];
}

export interface ThreatMatrix {
  technology: Technology | null;
  column: string | null;
  rows: readonly MatrixRow[];
  /** Advisory ids from the TCB status that this evidence leaves open (also present as 'open-tcb' rows). */
  openAdvisories: readonly string[];
  counts: Readonly<Record<InstanceStatus, number>>;
  /** Set when no row could be tied to this evidence at all (unknown technology). */
  note?: string;
}
