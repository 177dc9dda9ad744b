import { fail, pass, skip } from '../../check.js';
import type { Check } from '../../check.js';
import { equalBytes, toHex } from '../../bytes/hex.js';
import type { SgxReportBody } from '../sgx/report-body.js';
import type { QeIdentity } from './qe-identity.js';
import type { ModuleTcbLevel } from './tcb-info.js';
import { matchIsvLevel } from './tcb-match.js';
import { DCAP_CHECKS as C } from './checks.js';

/** The QE that signed the quote must be the one Intel lists: signer, product, masked attributes and MISCSELECT. */
export function qeMatchCheck(id: QeIdentity, qe: SgxReportBody): Check {
  const problems: string[] = [];
  if (!equalBytes(id.mrSigner, qe.mrSigner)) problems.push(`MRSIGNER ${toHex(qe.mrSigner)} is not Intel's ${toHex(id.mrSigner)}`);
  if (id.isvProdId !== qe.isvProdId) problems.push(`ISVPRODID ${qe.isvProdId} is not ${id.isvProdId}`);
  if ((qe.miscSelect & id.miscSelectMask) >>> 0 !== (id.miscSelect & id.miscSelectMask) >>> 0) problems.push('masked MISCSELECT differs');
  const masked = qe.attributes.map((b, i) => b & id.attributesMask[i]!);
  const expected = id.attributes.map((b, i) => b & id.attributesMask[i]!);
  if (!equalBytes(masked, expected)) problems.push('masked ATTRIBUTES differ (for example a debug-mode QE)');
  if (problems.length > 0) {
    return fail(
      C.qeIdentityMatch,
      `The enclave that signed this quote is not the Quoting Enclave Intel publishes (${id.id}): ${problems.join('; ')}.`,
      'QE_IDENTITY_MISMATCH',
    );
  }
  return pass(
    C.qeIdentityMatch,
    `The quote was signed by Intel's ${id.id} enclave (MRSIGNER ${toHex(id.mrSigner).slice(0, 16)}…, ISVPRODID ${id.isvProdId}); its MISCSELECT and ATTRIBUTES match under Intel's masks.`,
  );
}

export function qeTcbCheck(id: QeIdentity | undefined, qe: SgxReportBody): { check: Check; level?: ModuleTcbLevel } {
  if (!id) return { check: skip(C.qeIdentityTcb, 'no QE identity') };
  const level = matchIsvLevel(id.tcbLevels, qe.isvSvn);
  if (!level) {
    return { check: fail(C.qeIdentityTcb, `The QE's ISVSVN ${qe.isvSvn} is below every TCB level Intel lists for ${id.id}.`, 'TCB_LEVEL_NOT_FOUND') };
  }
  if (level.status === 'Revoked') {
    return {
      level,
      check: fail(
        C.qeIdentityTcb,
        `Intel has revoked QE ISVSVN ${qe.isvSvn} (${level.advisoryIds.join(', ') || 'no advisory listed'}).`,
        'TCB_REVOKED',
        'Update the DCAP quoting enclave.',
      ),
    };
  }
  return { level, check: pass(C.qeIdentityTcb, `QE ISVSVN ${qe.isvSvn} matches the level of ${level.tcbDate.slice(0, 10)}: ${level.status}.`) };
}
