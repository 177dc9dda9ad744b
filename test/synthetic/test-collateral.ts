/**
 * Intel PCS collateral for the synthetic PKI: TCB info (SGX or TDX, version 3) and QE identity
 * (version 2) as JSON strings with Intel's field names and order, signed (raw r || s over the
 * exact string bytes) and packed into the dcap-qvl bundle layout that app/collateral/load.ts reads.
 */
import type { TcbStatus } from '../../app/tee/dcap/tcb-status.js';
import type { CollateralFile } from '../../app/collateral/types.js';
import { signRaw, toHex } from './test-pki.js';
import type { Issued, KeyPair } from './test-pki.js';

export interface TcbLevelSpec {
  sgx: number[];
  pceSvn: number;
  /** TDX only: TEE_TCB_SVN components 0..15. */
  tdx?: number[];
  tcbDate: string;
  status: TcbStatus;
  advisories?: string[];
}

export interface ModuleLevelSpec {
  isvSvn: number;
  tcbDate: string;
  status: TcbStatus;
  advisories?: string[];
}

export interface TdxModuleSpec {
  mrsigner: string;
  attributes: string;
  attributesMask: string;
}

export interface TcbInfoSpec {
  id: 'SGX' | 'TDX';
  issueDate: string;
  nextUpdate: string;
  fmspc: string;
  pceId: string;
  tcbEvaluationDataNumber: number;
  tdxModule?: TdxModuleSpec;
  tdxModuleIdentities?: (TdxModuleSpec & { id: string; tcbLevels: ModuleLevelSpec[] })[];
  tcbLevels: TcbLevelSpec[];
}

export interface QeIdentitySpec {
  id: 'QE' | 'TD_QE' | 'QVE';
  issueDate: string;
  nextUpdate: string;
  tcbEvaluationDataNumber: number;
  miscselect: string;
  miscselectMask: string;
  attributes: string;
  attributesMask: string;
  mrsigner: string;
  isvprodid: number;
  tcbLevels: ModuleLevelSpec[];
}

const advisories = (a?: string[]) => (a && a.length > 0 ? { advisoryIDs: a } : {});
const svns = (list: number[]) => list.map((svn) => ({ svn }));

function moduleLevel(l: ModuleLevelSpec) {
  return { tcb: { isvsvn: l.isvSvn }, tcbDate: l.tcbDate, tcbStatus: l.status, ...advisories(l.advisories) };
}

/** The "tcbInfo" object as Intel serialises it (upper-case hex, components as {"svn": n}). */
export function tcbInfoJson(s: TcbInfoSpec): string {
  const levels = s.tcbLevels.map((l) => ({
    tcb: { sgxtcbcomponents: svns(l.sgx), pcesvn: l.pceSvn, ...(l.tdx ? { tdxtcbcomponents: svns(l.tdx) } : {}) },
    tcbDate: l.tcbDate,
    tcbStatus: l.status,
    ...advisories(l.advisories),
  }));
  const modules = s.tdxModuleIdentities?.map((m) => ({
    id: m.id,
    mrsigner: m.mrsigner,
    attributes: m.attributes,
    attributesMask: m.attributesMask,
    tcbLevels: m.tcbLevels.map(moduleLevel),
  }));
  return JSON.stringify({
    id: s.id,
    version: 3,
    issueDate: s.issueDate,
    nextUpdate: s.nextUpdate,
    fmspc: s.fmspc.toUpperCase(),
    pceId: s.pceId.toUpperCase(),
    tcbType: 0,
    tcbEvaluationDataNumber: s.tcbEvaluationDataNumber,
    ...(s.tdxModule ? { tdxModule: s.tdxModule } : {}),
    ...(modules ? { tdxModuleIdentities: modules } : {}),
    tcbLevels: levels,
  });
}

export function qeIdentityJson(s: QeIdentitySpec): string {
  const { tcbLevels, ...rest } = s;
  const { id, ...fields } = rest;
  return JSON.stringify({ id, version: 2, ...fields, mrsigner: fields.mrsigner.toUpperCase(), tcbLevels: tcbLevels.map(moduleLevel) });
}

/** Who signs a collateral document, and the issuer chain shipped with it (signer first). */
export interface CollateralSigner {
  key: KeyPair;
  chain: Issued[];
}

export interface BundleSpec {
  tcbInfo: string;
  tcbInfoSigner: CollateralSigner;
  qeIdentity: string;
  qeIdentitySigner: CollateralSigner;
  rootCrl?: Uint8Array;
  pckCrl?: Uint8Array;
  pckCrlIssuerChain: Issued[];
}

const pem = (chain: Issued[]) => chain.map((c) => c.pem).join('');
const utf8 = (s: string) => new TextEncoder().encode(s);

/** dcap-qvl's QuoteCollateralV3 JSON: signed documents as strings, signatures and CRLs as hex, chains as PEM. */
export async function bundleJson(b: BundleSpec): Promise<Record<string, string>> {
  const out: Record<string, string> = {
    pck_crl_issuer_chain: pem(b.pckCrlIssuerChain),
    tcb_info_issuer_chain: pem(b.tcbInfoSigner.chain),
    tcb_info: b.tcbInfo,
    tcb_info_signature: toHex(await signRaw(b.tcbInfoSigner.key, utf8(b.tcbInfo))),
    qe_identity_issuer_chain: pem(b.qeIdentitySigner.chain),
    qe_identity: b.qeIdentity,
    qe_identity_signature: toHex(await signRaw(b.qeIdentitySigner.key, utf8(b.qeIdentity))),
  };
  if (b.rootCrl) out.root_ca_crl = toHex(b.rootCrl);
  if (b.pckCrl) out.pck_crl = toHex(b.pckCrl);
  return out;
}

export function bundleFile(json: Record<string, string>, name = 'synthetic.collateral.json'): CollateralFile {
  return { name, bytes: utf8(JSON.stringify(json)) };
}
