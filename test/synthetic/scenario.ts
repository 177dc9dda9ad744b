/**
 * One synthetic attestation = PKI + quote + collateral. Every field has a default that verifies
 * (verdict 'verified', tier 'affirming') at AT; a test overrides only what its case is about.
 */
import assert from 'node:assert/strict';
import { createVerifier } from '../../app/verifier.js';
import type { VerificationResult } from '../../app/report/result.js';
import type { CollateralFile } from '../../app/collateral/types.js';
import type { TcbSummary } from '../../app/tee/dcap/check-tcb.js';
import { AT, buildPki, pckChainPem, toHex } from './test-pki.js';
import type { PkiOptions, TestPki } from './test-pki.js';
import {
  buildQuote,
  DEFAULT_APP_REPORT,
  DEFAULT_AUTH_DATA,
  DEFAULT_QE_REPORT,
  DEFAULT_TD_REPORT,
  INTEL_QE_MRSIGNER,
  INTEL_TD_QE_MRSIGNER,
} from './test-quote.js';
import type { QuoteKind, QuoteSpec, SgxReport, TdReport } from './test-quote.js';
import { bundleFile, bundleJson, qeIdentityJson, tcbInfoJson } from './test-collateral.js';
import type { CollateralSigner, QeIdentitySpec, TcbInfoSpec, TcbLevelSpec } from './test-collateral.js';

export interface Scenario {
  kind: QuoteKind;
  pki: Partial<PkiOptions>;
  app: Partial<SgxReport>;
  td: Partial<TdReport>;
  qe: Partial<Omit<SgxReport, 'reportData'>>;
  quote: Partial<Pick<QuoteSpec, 'qeSvn' | 'pceSvn' | 'qeReportData' | 'authData'>>;
  tcbInfo: Partial<TcbInfoSpec>;
  qeIdentity: Partial<QeIdentitySpec>;
  /** Who signs the TCB info / QE identity; the TCB Signing certificate (chained to the root) by default. */
  tcbInfoSigner: (pki: TestPki) => CollateralSigner | Promise<CollateralSigner>;
  qeIdentitySigner: (pki: TestPki) => CollateralSigner | Promise<CollateralSigner>;
  /** The quote's certification data (type 5); leaf, PCK CA and root, NUL-terminated by default. */
  chainPem: (pki: TestPki) => string | Promise<string>;
  /** A last edit of the bundle JSON (drop a CRL, swap a field). */
  editBundle: (bundle: Record<string, string>, pki: TestPki) => void;
  /** Bytes the evidence is replaced with after signing (for tamper tests). */
  editQuote: (quote: Uint8Array) => Uint8Array;
}

export const tcbSigner = (pki: TestPki): CollateralSigner => ({ key: pki.tcbSigning.key, chain: [pki.tcbSigning, pki.root] });

const ISSUED = { issueDate: '2025-05-25T10:00:00Z', nextUpdate: '2025-06-24T10:00:00Z' };
const zeros = (n: number) => '0'.repeat(2 * n);
const comps = (...first: number[]) => [...first, ...new Array<number>(16 - first.length).fill(0)];

/** Newest first, as Intel lists them. The first matches the default PCK certificate. */
export const SGX_LEVELS: TcbLevelSpec[] = [
  { sgx: comps(4, 4, 3, 3, 255, 1, 0, 5), pceSvn: 13, tcbDate: '2024-03-13T00:00:00Z', status: 'UpToDate' },
  { sgx: comps(3, 3, 3, 3, 255, 1, 0, 5), pceSvn: 13, tcbDate: '2023-02-15T00:00:00Z', status: 'OutOfDate', advisories: ['INTEL-SA-00828', 'INTEL-SA-00615'] },
  {
    sgx: comps(2, 2, 2, 2, 255, 1, 0, 3),
    pceSvn: 11,
    tcbDate: '2022-11-09T00:00:00Z',
    status: 'OutOfDate',
    advisories: ['INTEL-SA-00657', 'INTEL-SA-00828', 'INTEL-SA-00615'],
  },
];

export const TDX_LEVELS: TcbLevelSpec[] = [
  { ...SGX_LEVELS[0]!, tdx: comps(5, 0, 2) },
  { ...SGX_LEVELS[1]!, tdx: comps(3, 0, 2) },
  { ...SGX_LEVELS[2]!, tdx: comps(3, 0, 1) },
];

const MODULE = { mrsigner: zeros(48), attributes: zeros(8), attributesMask: 'FFFFFFFFFFFFFFFF' };

export function defaultTcbInfo(tech: 'sgx' | 'tdx'): TcbInfoSpec {
  const base = { ...ISSUED, fmspc: '00906ED50000', pceId: '0000', tcbEvaluationDataNumber: 17 };
  if (tech === 'sgx') return { id: 'SGX', ...base, tcbLevels: SGX_LEVELS };
  return {
    id: 'TDX',
    ...base,
    tdxModule: MODULE,
    tdxModuleIdentities: [
      { id: 'TDX_03', ...MODULE, tcbLevels: [{ isvSvn: 3, tcbDate: '2024-03-13T00:00:00Z', status: 'UpToDate' }] },
      {
        id: 'TDX_01',
        ...MODULE,
        tcbLevels: [
          { isvSvn: 4, tcbDate: '2024-03-13T00:00:00Z', status: 'UpToDate' },
          { isvSvn: 2, tcbDate: '2023-08-09T00:00:00Z', status: 'OutOfDate', advisories: ['INTEL-SA-00960'] },
        ],
      },
    ],
    tcbLevels: TDX_LEVELS,
  };
}

export function defaultQeIdentity(tech: 'sgx' | 'tdx'): QeIdentitySpec {
  return {
    id: tech === 'sgx' ? 'QE' : 'TD_QE',
    ...ISSUED,
    tcbEvaluationDataNumber: 17,
    miscselect: '00000000',
    miscselectMask: 'FFFFFFFF',
    attributes: '11000000000000000000000000000000',
    attributesMask: 'FBFFFFFFFFFFFFFF0000000000000000',
    mrsigner: tech === 'sgx' ? INTEL_QE_MRSIGNER : INTEL_TD_QE_MRSIGNER,
    isvprodid: tech === 'sgx' ? 1 : 2,
    tcbLevels: [
      { isvSvn: 8, tcbDate: '2024-03-13T00:00:00Z', status: 'UpToDate' },
      { isvSvn: 6, tcbDate: '2021-11-10T00:00:00Z', status: 'OutOfDate', advisories: ['INTEL-SA-00615'] },
    ],
  };
}

export interface Built {
  evidence: Uint8Array;
  collateral: CollateralFile[];
  pki: TestPki;
}

export async function build(s: Partial<Scenario> = {}): Promise<Built> {
  const kind = s.kind ?? 'sgx-v3';
  const tech = kind.startsWith('sgx') ? 'sgx' : 'tdx';
  const pki = await buildPki(s.pki);
  const qeDefaults = tech === 'sgx' ? DEFAULT_QE_REPORT : { ...DEFAULT_QE_REPORT, mrSigner: Buffer.from(INTEL_TD_QE_MRSIGNER, 'hex'), isvProdId: 2 };
  const spec: QuoteSpec = {
    kind,
    attestationKey: pki.keys.attestation,
    pckKey: pki.keys.pck,
    pckChainPem: await (s.chainPem ?? pckChainPem)(pki),
    qeSvn: 8,
    pceSvn: 13,
    authData: DEFAULT_AUTH_DATA,
    ...s.quote,
    app: { ...DEFAULT_APP_REPORT, ...s.app },
    td: { ...DEFAULT_TD_REPORT, ...s.td },
    qe: { ...qeDefaults, ...s.qe },
  };
  const quote = await buildQuote(spec);
  const json = await bundleJson({
    tcbInfo: tcbInfoJson({ ...defaultTcbInfo(tech), fmspc: toHex(pki.pckValues.fmspc), pceId: toHex(pki.pckValues.pceId), ...s.tcbInfo }),
    tcbInfoSigner: await (s.tcbInfoSigner ?? tcbSigner)(pki),
    qeIdentity: qeIdentityJson({ ...defaultQeIdentity(tech), ...s.qeIdentity }),
    qeIdentitySigner: await (s.qeIdentitySigner ?? tcbSigner)(pki),
    rootCrl: pki.rootCrl,
    pckCrl: pki.pckCrl,
    pckCrlIssuerChain: [pki.pckCa, pki.root],
  });
  s.editBundle?.(json, pki);
  return { evidence: s.editQuote ? s.editQuote(quote) : quote, collateral: [bundleFile(json)], pki };
}

/** Builds the scenario and verifies it at AT against the synthetic root only. */
export async function verifyScenario(s: Partial<Scenario> = {}, opts: { nonce?: Uint8Array; at?: Date } = {}): Promise<VerificationResult> {
  const { evidence, collateral, pki } = await build(s);
  const verifier = createVerifier({ roots: { intel: [pki.root.der] } });
  return verifier.verify(evidence, collateral, { at: opts.at ?? AT, ...(opts.nonce ? { nonce: opts.nonce } : {}) });
}

/** The DCAP TCB summary (platform, QE and TDX module parts) of a result. */
export function tcb(r: VerificationResult): TcbSummary | undefined {
  return (r.tcb ?? undefined) as TcbSummary | undefined;
}

/** The status of a check by id ('missing' when it was not reported). */
export function status(r: VerificationResult, id: string): string {
  return r.checks.find((c) => c.id === id)?.status ?? 'missing';
}

/** For assertion messages: every failing and warning check. */
export function why(r: VerificationResult): string {
  return JSON.stringify(
    r.checks.filter((c) => c.status === 'fail' || c.status === 'warn').map((c) => ({ id: c.id, code: c.code, explain: c.explain })),
    null,
    1,
  );
}

/**
 * The result is rejected, `check` is the first failure with `code`, and the failing checks are
 * exactly `check` plus `alsoFailing` (so a case does not pass by breaking something else).
 */
export function assertRejected(r: VerificationResult, check: string, code: string, alsoFailing: string[] = []): void {
  assert.equal(r.verdict, 'rejected', why(r));
  assert.equal(r.errors[0]?.check, check, why(r));
  assert.equal(r.errors[0]?.code, code, why(r));
  assert.equal(status(r, check), 'fail');
  assert.deepEqual(
    r.checks
      .filter((c) => c.status === 'fail')
      .map((c) => c.id)
      .sort(),
    [check, ...alsoFailing].sort(),
    why(r),
  );
  assert.equal(r.appraisal.tier, 'contraindicated');
}

/** Verified, with every check except those listed in `warnings` passing or (nonce) skipped. */
export function assertVerified(r: VerificationResult, tier: 'affirming' | 'warning', warnings: string[] = []): void {
  assert.equal(r.verdict, 'verified', why(r));
  assert.deepEqual(r.errors, []);
  assert.equal(r.cryptoValid, true);
  assert.equal(r.appraisal.tier, tier, why(r));
  assert.deepEqual(
    r.checks
      .filter((c) => c.status === 'warn')
      .map((c) => c.id)
      .sort(),
    [...warnings].sort(),
    why(r),
  );
}
