import type { ClaimSchema } from './claim-schema.js';
import type { Check, CheckSpec } from '../check.js';
import type { CryptoProvider } from '../crypto/provider.js';
import type { PkiCache } from '../pki/cache.js';
import type { Certificate } from '../pki/x509.js';
import type { CollateralSet } from '../collateral/types.js';
import type { CollateralRecogniser } from '../collateral/recognise.js';
import type { RootStore } from '../roots/store.js';
import type { IsolationModelId } from '../threat/isolation.js';
import type { ModuleState } from './state.js';
import type { EventLogReplay } from './eventlog/check-replay.js';

/**
 * One piece of evidence beside the primary one. `collateral` parts (an SNP certificate table appended
 * to the report, the certificates of a trustee SnpEvidence) are loaded into the collateral set like
 * supplied files; `evidence` parts (a TD quote inside a vTPM bundle, a GPU report) are verified by the
 * module their bytes belong to, which a composite module calls (parts.ts).
 */
export interface EvidencePart {
  /** What the part is to the primary, e.g. 'cert-table', 'certificate', 'quote'. */
  role: string;
  /** How the report names it. */
  name: string;
  bytes: Uint8Array;
  kind: 'collateral' | 'evidence';
}

/**
 * Parts the user (or a live target) supplies beside the evidence, by role: an event log (TCG or CC) and
 * a TPM quote (`{signature, message, pcrs}` JSON), and the TD quote an Azure TDX VM fetched for its HCL report. A module that uses one adds the part to `env.used`;
 * one nothing used is reported as ignored.
 */
export const ATTACHMENT_ROLES = ['eventlog', 'tpm-quote', 'td-quote'] as const;
export type AttachmentRole = (typeof ATTACHMENT_ROLES)[number];

/** The evidence a module verifies: its own bytes and what travelled with them. */
export interface Evidence {
  primary: Uint8Array;
  parts: readonly EvidencePart[];
}

/** A technology a module produces results for: `id` is result.technology, the reference set's technology. */
export interface TechnologyInfo {
  id: string;
  /** What the user reads ("Intel TDX"). */
  name: string;
  /** The seed's trust-boundary picture this technology's isolation follows. */
  isolation: IsolationModelId;
  /** Other spellings accepted for `id` (the vector manifest's "snp"). */
  aliases?: readonly string[];
  /** The claims and minimums reference values may name for this technology. */
  schema: ClaimSchema;
  /** What one protected instance is called ("enclave", "trust domain", "VM"), for "Intel TDX trust domain". */
  instance: string;
}

/** Which group of the RootStore holds a module's trust anchors. */
export type AnchorSet = keyof RootStore;

/** What every technology module gets: the verification time, crypto, caches and pinned roots. */
export interface VerifyEnv {
  at: number;
  nonce?: Uint8Array;
  /** The user's choice of AMD product (Milan, Genoa, Turin) where the evidence does not say. */
  product?: string;
  crypto: CryptoProvider;
  cache: PkiCache;
  /** Parsed pinned anchors of every set; a module reads its own (`anchors.set`). */
  roots: Readonly<Record<AnchorSet, Certificate[]>>;
  /** Per-verifier state a module keeps (verdict memos, parsed constants): never shared between verifiers. */
  state: ModuleState;
  /**
   * Collateral items (Certificate, Crl, SignedJson objects from the CollateralSet) and evidence parts this
   * verification actually relied on. Modules add each item they use, so that a supplied file nothing used is
   * reported as `unused` (collateral) or `ignored` (an event log, a TPM quote) in result.inputs.
   */
  used: Set<object>;
}

export interface TcbReport {
  status: string;
  advisories: string[];
  date?: string;
  [detail: string]: unknown;
}

export interface ModuleResult {
  technology: string;
  format: string;
  checks: Check[];
  /**
   * The catalogue entries the checks come from: the module's own, plus those of every part it verified
   * and merged. judge() reads `crypto` (what establishes cryptoValid) and `mandatory` there.
   */
  catalogue: readonly CheckSpec[];
  claims: Record<string, unknown>;
  /** Every decoded field, for display. */
  fields: Record<string, unknown>;
  tcb?: TcbReport;
  /** Event logs replayed against this evidence's signed registers (check-replay.ts), for a known-good log to be compared with. */
  eventLogs?: readonly EventLogReplay[];
}

/** How a module's evidence arrives inside JSON bundles (decode.ts reads these for every module). */
export interface Envelopes {
  /** Members holding this technology's evidence as hex or base64 text (go-tdx-guest tooling's "tdQuote"). */
  evidenceKeys?: readonly string[];
  /** Members wrapping a bundle for this technology (GCP's `{"tdx": {"quote": …}}`). */
  wrapperKeys?: readonly string[];
  /**
   * Documents in a shape of the technology's own (trustee's SnpEvidence): the evidence they hold, or
   * undefined when the document is not of that shape. Throws TeeError when it is, but is malformed.
   */
  decode?(doc: object): Evidence | undefined;
}

/** What decides which collateral an evidence needs, for sharing one lookup between evidence that agrees. */
export interface NeedKeyOptions {
  pcsBase?: string;
  tcbUpdate?: 'standard' | 'early';
}

/** One technology behind one interface: detect its bytes, then parse and verify them against collateral. */
export interface TeeModule {
  id: string;
  technologies: readonly TechnologyInfo[];
  /** The RootStore group holding its anchors, and the anchors pinned by default (app/roots/). */
  anchors: { set: AnchorSet; pinned(): readonly Uint8Array[] };
  /** Every check the module can report (ids and titles appear nowhere else). */
  checks: readonly CheckSpec[];
  /** Cheap structural sniff; true means "this module should parse it", not "it is valid". */
  detect(bytes: Uint8Array): boolean;
  /**
   * For detected bytes that carry more than the evidence (an SEV-SNP report with its certificate table
   * appended): the evidence proper and the parts that travelled with it. Undefined: the bytes as they are.
   */
  unwrap?(bytes: Uint8Array): Evidence | undefined;
  envelopes?: Envelopes;
  /** Recognisers for the collateral files of this technology (generic certificates and CRLs are load.ts's). */
  collateral?: readonly CollateralRecogniser[];
  /** The collateral kinds a verification of this technology still lacks in `set`, as the offline banner names them. */
  missingCollateral(set: CollateralSet): string[];
  /** A string equal for two evidences exactly when they need the same collateral; throws TeeError when unreadable. */
  collateralNeedKey(primary: Uint8Array, o: NeedKeyOptions): string;
  /** Certificates the evidence itself carries (a DCAP quote's PCK chain), for the collateral timeline; [] when none or unreadable. */
  embeddedCertificates?(primary: Uint8Array): { name: string; bytes: Uint8Array }[];
  /**
   * Notes on a machine's new claims against those of its previous verification (a TPM's counters going back);
   * `since` names that verification. Absent: the technology has nothing to compare across runs.
   */
  historyNotes?(previous: Readonly<Record<string, unknown>>, current: Readonly<Record<string, unknown>>, since: string): string[];
  /**
   * Other evidence this module's evidence binds to and verifies as its part (an Azure TDX HCL report's TD
   * quote): when several evidence files are given at once, the one whose module takes the others is the primary.
   */
  takesEvidenceParts?: boolean;
  /** Throws ParseError (MALFORMED_EVIDENCE) when the bytes do not parse. */
  verify(evidence: Evidence, collateral: CollateralSet, env: VerifyEnv): Promise<ModuleResult>;
}
