import { JsonFields } from '../../json/fields.js';
import { isTcbStatus } from './tcb-status.js';
import type { TcbStatus } from './tcb-status.js';

/** Intel PCS TCB Info, versions 2 and 3 (SGX and TDX), as served by /sgx|tdx/certification/v4/tcb. */
export interface TcbLevel {
  sgxComponents: number[];
  pceSvn: number;
  tdxComponents?: number[];
  tcbDate: string;
  status: TcbStatus;
  advisoryIds: string[];
}

export interface ModuleTcbLevel {
  isvSvn: number;
  tcbDate: string;
  status: TcbStatus;
  advisoryIds: string[];
}

export interface TdxModuleIdentity {
  id: string;
  mrSigner: Uint8Array;
  attributes: Uint8Array;
  attributesMask: Uint8Array;
  tcbLevels: ModuleTcbLevel[];
}

export interface TcbInfo {
  id: 'SGX' | 'TDX';
  version: number;
  issueDate: number;
  nextUpdate: number;
  fmspc: Uint8Array;
  pceId: Uint8Array;
  tcbType: number;
  tcbEvaluationDataNumber: number;
  tdxModule?: { mrSigner: Uint8Array; attributes: Uint8Array; attributesMask: Uint8Array };
  tdxModuleIdentities: TdxModuleIdentity[];
  tcbLevels: TcbLevel[];
}

export function parseTcbInfo(value: unknown): TcbInfo {
  const j: JsonFields = JsonFields.of(value, 'tcbInfo');
  const version = j.int('version');
  if (version !== 2 && version !== 3) j.fail('version', `is ${version}; versions 2 and 3 are supported`);
  const id = version === 2 ? 'SGX' : j.str('id');
  if (id !== 'SGX' && id !== 'TDX') j.fail('id', `is "${id}", expected SGX or TDX`);
  const info: TcbInfo = {
    id,
    version,
    issueDate: j.time('issueDate'),
    nextUpdate: j.time('nextUpdate'),
    fmspc: j.hex('fmspc', 6),
    pceId: j.hex('pceId', 2),
    tcbType: j.int('tcbType'),
    tcbEvaluationDataNumber: j.int('tcbEvaluationDataNumber'),
    tdxModuleIdentities: j.has('tdxModuleIdentities') ? j.objects('tdxModuleIdentities').map(parseModuleIdentity) : [],
    tcbLevels: j.objects('tcbLevels').map((l) => parseLevel(l, version)),
  };
  if (j.has('tdxModule')) {
    const m = j.object('tdxModule');
    info.tdxModule = { mrSigner: m.hex('mrsigner', 48), attributes: m.hex('attributes', 8), attributesMask: m.hex('attributesMask', 8) };
  }
  return info;
}

function status(j: JsonFields): TcbStatus {
  const s: string = j.str('tcbStatus');
  if (isTcbStatus(s)) return s;
  return j.fail('tcbStatus', `is "${s}", not a known TCB status`);
}

function parseLevel(l: JsonFields, version: number): TcbLevel {
  const tcb = l.object('tcb');
  const level: TcbLevel = { sgxComponents: [], pceSvn: tcb.int('pcesvn'), tcbDate: l.str('tcbDate'), status: status(l), advisoryIds: l.strings('advisoryIDs') };
  if (version === 2) {
    for (let i = 1; i <= 16; i++) level.sgxComponents.push(tcb.int(`sgxtcbcomp${String(i).padStart(2, '0')}svn`));
    return level;
  }
  level.sgxComponents = components(tcb, 'sgxtcbcomponents');
  if (tcb.has('tdxtcbcomponents')) level.tdxComponents = components(tcb, 'tdxtcbcomponents');
  return level;
}

function components(tcb: JsonFields, key: string): number[] {
  const list = tcb.objects(key);
  if (list.length !== 16) tcb.fail(key, `must have 16 entries, not ${list.length}`);
  return list.map((c) => c.int('svn'));
}

function parseModuleIdentity(m: JsonFields): TdxModuleIdentity {
  return {
    id: m.str('id'),
    mrSigner: m.hex('mrsigner', 48),
    attributes: m.hex('attributes', 8),
    attributesMask: m.hex('attributesMask', 8),
    tcbLevels: m.objects('tcbLevels').map(parseModuleLevel),
  };
}

/** A level keyed by one ISVSVN: TDX module identities and QE identities share this shape. */
export function parseModuleLevel(l: JsonFields): ModuleTcbLevel {
  return { isvSvn: l.object('tcb').int('isvsvn'), tcbDate: l.str('tcbDate'), status: status(l), advisoryIds: l.strings('advisoryIDs') };
}
