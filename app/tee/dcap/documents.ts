import type { CollateralSet, SignedDocument, SignedJson } from '../../collateral/types.js';
import type { TcbInfo } from './tcb-info.js';
import type { QeIdentity } from './qe-identity.js';
import { toHex } from '../../bytes/hex.js';

/** Intel signs TCB info and QE identities with the "Intel SGX TCB Signing" certificate. */
const SIGNER = 'Intel SGX TCB Signing';

/** The DCAP module's own collateral documents, as they sit in the generic set. */
export function tcbInfosOf(set: CollateralSet): SignedDocument<TcbInfo>[] {
  return set.documents.filter((d): d is SignedDocument<TcbInfo> => d.kind === 'tcb-info');
}

export function qeIdentitiesOf(set: CollateralSet): SignedDocument<QeIdentity>[] {
  return set.documents.filter((d): d is SignedDocument<QeIdentity> => d.kind === 'qe-identity');
}

/** A parsed TCB info as a signed document: its kind, timeline label and dates. */
export function tcbInfoDocument(s: SignedJson<TcbInfo>): SignedDocument<TcbInfo> {
  const b = s.body;
  return {
    ...s,
    kind: 'tcb-info',
    label: `${b.id} TCB info, FMSPC ${toHex(b.fmspc)}`,
    signer: SIGNER,
    issued: b.issueDate,
    nextUpdate: b.nextUpdate,
    tcbEvaluationDataNumber: b.tcbEvaluationDataNumber,
  };
}

export function qeIdentityDocument(s: SignedJson<QeIdentity>): SignedDocument<QeIdentity> {
  const b = s.body;
  return {
    ...s,
    kind: 'qe-identity',
    label: `${b.id} identity`,
    signer: SIGNER,
    issued: b.issueDate,
    nextUpdate: b.nextUpdate,
    tcbEvaluationDataNumber: b.tcbEvaluationDataNumber,
  };
}
