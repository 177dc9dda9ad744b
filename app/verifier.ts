import type { CryptoProvider } from './crypto/provider.js';
import { webCryptoProvider } from './crypto/webcrypto.js';
import { toTeeError } from './errors.js';
import type { TeeError } from './errors.js';
import { toHex } from './bytes/hex.js';
import { PkiCache } from './pki/cache.js';
import { TEE_MODULES, defaultRoots, detectModule, technologyName } from './tee/registry.js';
import { createParseCaches } from './cache/parse-caches.js';
import type { ParseCaches } from './cache/parse-caches.js';
import { ModuleState } from './tee/state.js';
import type { RootStore } from './roots/store.js';
import { loadSuppliedCollateral } from './collateral/load.js';
import type { CollateralFile, CollateralSet } from './collateral/types.js';
import { emptyCollateral, mergeCollateral } from './collateral/types.js';
import { decodeEvidence, evidenceOf } from './evidence/decode.js';
import type { DecodedEvidence } from './evidence/decode.js';
import type { AnchorSet, AttachmentRole, Evidence, EvidencePart, VerifyEnv } from './tee/module.js';
import type { Certificate } from './pki/x509.js';
import { RESULT_SCHEMA } from './report/result.js';
import type { ResultInput, VerificationResult } from './report/result.js';
import { failUnprovenCrypto, judge, notEstablished, requireRevocation } from './report/judge.js';
import { attachmentInputs, brokenInputChecks, collateralInputs } from './report/inputs.js';
import type { Pins } from './report/inputs.js';
import { iso } from './pki/chain.js';
import { fail } from './check.js';
import type { Check, CheckSpec } from './check.js';
import { INPUT_CHECKS, INPUT_CHECK_SPECS } from './report/checks.js';
import { REFERENCE_CHECK_SPECS } from './appraisal/checks.js';
import { appraiseReference } from './appraisal/appraise.js';
import { appraiseKnownGoodLog } from './appraisal/event-log.js';
import { bootClaimSources } from './tee/eventlog/claim-sources.js';
import type { ReferenceValues } from './appraisal/reference.js';
import type { ModuleResult } from './tee/module.js';

export interface VerifierOptions {
  crypto?: CryptoProvider;
  roots?: RootStore;
  /**
   * Parsed certificates, CRLs and collateral files to share with other verifiers (createParseCaches()):
   * a fleet or a server parses each once. Default: the verifier's own, empty at first ("cold").
   */
  caches?: ParseCaches;
}

export interface VerifyOptions {
  /** The verification time. Required: the core never reads the clock. */
  at: Date | number;
  /** Up to 64 bytes that must lead REPORT_DATA. */
  nonce?: Uint8Array;
  /** AMD product (Milan, Genoa, Turin) for SEV-SNP reports that do not name it (v2). */
  product?: string;
  /** Reference values (parseReferenceValues): appraised after the module's checks, before the verdict. */
  reference?: ReferenceValues;
  /** A revocation check that could not run fails instead of warning (`--strict`). */
  requireRevocation?: boolean;
  /** How result.inputs names the evidence (default "evidence") and the reference file it lists. */
  evidenceName?: string;
  referenceFile?: { name: string; bytes: Uint8Array };
  /** Parts beside the evidence (`--eventlog`, `--tpm-quote`, what a live target sent): appended to its parts. */
  attachments?: readonly Attachment[];
  /** The evidence as decodeEvidence already decoded it (the pipeline decodes once); it must be of these very bytes. */
  decoded?: DecodedEvidence;
}

export interface Attachment {
  role: AttachmentRole;
  name: string;
  bytes: Uint8Array;
}

export interface Verifier {
  /** The user's files: one that is not collateral is recorded as ignored, never thrown. */
  loadCollateral(files: readonly CollateralFile[]): CollateralSet;
  verify(evidence: Uint8Array, collateral: CollateralSet | readonly CollateralFile[], options: VerifyOptions): Promise<VerificationResult>;
}

type Base = Pick<VerificationResult, 'schema' | 'evidence' | 'at'>;

/**
 * The whole pipeline behind one object. A verifier keeps caches of CA certificates, CRLs and
 * collateral signatures, so verifying a fleet against the same collateral checks each once;
 * create a new verifier to start cold (or give several one `caches` to share parsing only).
 */
export function createVerifier(options: VerifierOptions = {}): Verifier {
  const crypto = options.crypto ?? webCryptoProvider();
  const cache = new PkiCache(crypto, options.caches ?? createParseCaches());
  const store = options.roots ?? defaultRoots();
  const roots = parsedRoots(store, cache);
  const pinned = new Set<object>(Object.values(roots).flat());
  const pins: Pins = { isPinned: (item) => pinned.has(item) };
  const state = new ModuleState(cache);
  const digests = new WeakMap<Uint8Array, Promise<string>>();
  const digest = (bytes: Uint8Array) => {
    let d = digests.get(bytes);
    if (!d) digests.set(bytes, (d = crypto.digest('SHA-256', bytes).then(toHex)));
    return d;
  };
  const loadFiles = (files: readonly CollateralFile[]) => loadSuppliedCollateral(files, cache);

  async function verify(evidence: Uint8Array, collateral: CollateralSet | readonly CollateralFile[], opts: VerifyOptions): Promise<VerificationResult> {
    const at = typeof opts.at === 'number' ? opts.at : opts.at.getTime();
    const base: Base = { schema: RESULT_SCHEMA, evidence: { sha256: await digest(evidence), bytes: evidence.length }, at: iso(at) };
    const evidenceInput: ResultInput = { name: opts.evidenceName ?? 'evidence', role: 'evidence', ...base.evidence };
    const referenceInput = opts.referenceFile
      ? [{ name: opts.referenceFile.name, role: 'reference' as const, sha256: await digest(opts.referenceFile.bytes), bytes: opts.referenceFile.bytes.length }]
      : [];
    let supplied = emptyCollateral();
    const used = new Set<object>();
    try {
      supplied = Array.isArray(collateral) ? loadFiles(collateral as CollateralFile[]) : (collateral as CollateralSet);
      const decoded = opts.decoded ?? decodeEvidence(evidence);
      // Collateral that travelled inside the evidence (its collateral parts) joins the supplied files.
      const set = decoded.certs?.length ? mergeCollateral(supplied, loadFiles(decoded.certs)) : supplied;
      const env: VerifyEnv = {
        at,
        crypto,
        cache,
        roots,
        state,
        used,
        ...(opts.nonce ? { nonce: opts.nonce } : {}),
        ...(opts.product ? { product: opts.product } : {}),
      };
      const extra = extraParts(opts.attachments ?? [], supplied);
      const r = await decoded.module.verify(withParts(evidenceOf(decoded), extra), set, env);
      for (const { part, source } of extra) if (source && used.has(part)) used.add(source);
      const appraised = opts.reference ? await appraiseWith(r, opts.reference, crypto) : undefined;
      const catalogue = [...r.catalogue, ...INPUT_CHECK_SPECS, ...REFERENCE_CHECK_SPECS];
      const checks = policyChecks([...(appraised?.checks ?? r.checks), ...brokenInputChecks(supplied.sources)], catalogue, opts);
      const tcb = appraised?.tcbStatus && r.tcb ? { ...r.tcb, status: appraised.tcbStatus } : r.tcb;
      const judged = judge(checks, catalogue, tcb?.status);
      return {
        ...base,
        evidence: { ...base.evidence, encoding: decoded.encoding },
        technology: r.technology,
        format: r.format,
        tcb: tcb ?? null,
        claims: r.claims,
        checks,
        fields: r.fields,
        collateral: summary(set),
        ...judged,
        ...(appraised ? { appraisal: { ...judged.appraisal, diffs: appraised.diffs, reference: appraised.reference } } : {}),
        inputs: [
          evidenceInput,
          ...(await collateralInputs(supplied.sources, used, pins, digest)),
          ...(await attachmentInputs(extra, used, digest, technologyName(r.technology))),
          ...referenceInput,
        ],
        notEstablished: notEstablished({
          checks,
          nonceGiven: opts.nonce !== undefined,
          referenceApplied: appraised?.reference.set != null,
          tcbStatus: tcb?.status,
        }),
      };
    } catch (e) {
      const attached = await attachmentInputs(extraParts(opts.attachments ?? [], supplied), used, digest, null);
      return failure(base, toTeeError(e), supplied, [
        evidenceInput,
        ...(await collateralInputs(supplied.sources, used, pins, digest)),
        ...attached,
        ...referenceInput,
      ]);
    }
  }

  return { loadCollateral: loadFiles, verify };
}

/** A part the user added: an attachment, or a supplied "collateral" file that is itself evidence (a TD quote beside an Azure HCL report). */
interface ExtraPart {
  part: EvidencePart;
  source?: CollateralSet['sources'][number];
}

function extraParts(attachments: readonly Attachment[], supplied: CollateralSet): ExtraPart[] {
  const attached = attachments.map((a) => ({ part: { role: a.role, name: a.name, bytes: a.bytes, kind: 'evidence' as const } }));
  const quotes = supplied.sources
    .filter((s) => s.status === 'ignored' && s.bytes && detectModule(s.bytes))
    .map((source) => ({ part: { role: 'quote', name: source.name, bytes: source.bytes!, kind: 'evidence' as const }, source }));
  return [...attached, ...quotes];
}

function withParts(e: Evidence, extra: readonly ExtraPart[]): Evidence {
  return extra.length ? { primary: e.primary, parts: [...e.parts, ...extra.map((x) => x.part)] } : e;
}

/** Every anchor set of the store, parsed once per verifier; a module reads its own (TeeModule.anchors.set). */
function parsedRoots(store: RootStore, cache: PkiCache): Record<AnchorSet, Certificate[]> {
  const sets = TEE_MODULES.map((m) => m.anchors.set);
  return Object.fromEntries(sets.map((set) => [set, (store[set] ?? []).map((der) => cache.cert(der))])) as Record<AnchorSet, Certificate[]>;
}

/** Policy that turns checks into failures: unproven cryptography always, unchecked revocation when required. */
function policyChecks(checks: Check[], catalogue: readonly CheckSpec[], opts: VerifyOptions): Check[] {
  const strict = failUnprovenCrypto(checks, catalogue);
  return opts.requireRevocation ? requireRevocation(strict, 'strict verification (--strict) requires it') : strict;
}

/** Reference values, or a known-good event log compared with the evidence's replayed log. */
async function appraiseWith(r: ModuleResult, reference: ReferenceValues, crypto: CryptoProvider) {
  if (!reference.knownGoodLog) return appraise(r, reference);
  const a = await appraiseKnownGoodLog(r.checks, r.eventLogs ?? [], reference.knownGoodLog, crypto);
  // The file's digest and signature, as its reader recorded them, whatever the file held.
  const { sha256, signature } = reference;
  return { ...a, reference: { ...a.reference, ...(sha256 ? { sha256 } : {}), ...(signature ? { signature } : {}) } };
}

/** Event-log claims carry the register and event they were read from, so a mismatch can name the event. */
function appraise(r: ModuleResult, reference: ReferenceValues) {
  const claimSources = bootClaimSources(r.eventLogs);
  return appraiseReference(
    {
      technology: r.technology,
      format: r.format,
      claims: r.claims,
      tcb: r.tcb ?? null,
      checks: r.checks,
      ...(Object.keys(claimSources).length ? { claimSources } : {}),
    },
    reference,
  );
}

function summary(set: CollateralSet): VerificationResult['collateral'] {
  return set.sources.filter((s) => !s.status).map((s) => ({ name: s.name, kinds: s.kinds }));
}

const FIX: Partial<Record<string, string>> = {
  INTERNAL_ERROR: 'This is a bug in TEE Inspector, not a problem with your file: please report it together with the input.',
  UNSUPPORTED_EVIDENCE:
    'This kind of evidence is recognised but cannot be verified by this version yet; verify the hardware quote or report it carries, if any, on its own.',
  MALFORMED_COLLATERAL: "Check that each --collateral file is collateral from the vendor's service (Intel PCS/PCCS, AMD KDS), a certificate or a CRL.",
};

function failure(base: Base, err: TeeError, set: CollateralSet, inputs: ResultInput[]): VerificationResult {
  const check = fail(INPUT_CHECKS.parse, err.message, err.code, FIX[err.code]);
  return {
    ...base,
    technology: 'unknown',
    format: typeof err.detail['format'] === 'string' ? (err.detail['format'] as string) : 'unknown',
    verdict: 'rejected',
    cryptoValid: false,
    tcb: null,
    appraisal: { tier: 'none', diffs: [] },
    claims: {},
    checks: [check],
    errors: [{ code: err.code, message: err.message, check: check.id }],
    fields: {},
    collateral: summary(set),
    inputs,
    notEstablished: [],
  };
}
