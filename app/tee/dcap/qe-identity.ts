import { JsonFields } from '../../json/fields.js';
import { parseModuleLevel } from './tcb-info.js';
import type { ModuleTcbLevel } from './tcb-info.js';

/** Intel PCS Enclave Identity v2 (QE, QVE, TD_QE), as served by /sgx|tdx/certification/v4/qe/identity. */
export interface QeIdentity {
  id: string;
  version: number;
  issueDate: number;
  nextUpdate: number;
  tcbEvaluationDataNumber: number;
  miscSelect: number;
  miscSelectMask: number;
  attributes: Uint8Array;
  attributesMask: Uint8Array;
  mrSigner: Uint8Array;
  isvProdId: number;
  tcbLevels: ModuleTcbLevel[];
}

export function parseQeIdentity(value: unknown): QeIdentity {
  const j: JsonFields = JsonFields.of(value, 'enclaveIdentity');
  const version = j.int('version');
  if (version !== 2) j.fail('version', `is ${version}; version 2 is supported`);
  return {
    id: j.str('id'),
    version,
    issueDate: j.time('issueDate'),
    nextUpdate: j.time('nextUpdate'),
    tcbEvaluationDataNumber: j.int('tcbEvaluationDataNumber'),
    // MISCSELECT is written as a big-endian hex number; the report carries it as a little-endian u32.
    miscSelect: u32(j, 'miscselect'),
    miscSelectMask: u32(j, 'miscselectMask'),
    attributes: j.hex('attributes', 16),
    attributesMask: j.hex('attributesMask', 16),
    mrSigner: j.hex('mrsigner', 32),
    isvProdId: j.int('isvprodid'),
    tcbLevels: j.objects('tcbLevels').map(parseModuleLevel),
  };
}

function u32(j: JsonFields, key: string): number {
  const bytes = j.hex(key, 4);
  return ((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!;
}
