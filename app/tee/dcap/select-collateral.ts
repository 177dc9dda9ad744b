import { equalBytes, toHex } from '../../bytes/hex.js';
import type { SignedJson } from '../../collateral/types.js';
import type { TcbInfo } from './tcb-info.js';
import type { QeIdentity } from './qe-identity.js';
import type { PckExtensions } from './pck-extensions.js';

/**
 * Picks the TCB info and QE identity that belong to this quote from everything supplied, and
 * explains the mismatch when only other platforms' collateral is present.
 */
export function selectTcbInfo(items: readonly SignedJson<TcbInfo>[], tech: 'sgx' | 'tdx', pck: PckExtensions): { item?: SignedJson<TcbInfo>; mismatch?: string } {
  const id = tech.toUpperCase();
  const fits = (i: TcbInfo) => i.id === id && equalBytes(i.fmspc, pck.fmspc) && equalBytes(i.pceId, pck.pceId);
  const item = items.find((t) => fits(t.body));
  if (item) return { item };
  const other = items[0];
  if (!other) return {};
  const b = other.body;
  const why: string[] = [];
  if (b.id !== id) why.push(`it is ${b.id} TCB info, but this is a ${id} quote`);
  if (!equalBytes(b.fmspc, pck.fmspc)) why.push(`it is for FMSPC ${toHex(b.fmspc)}, but the PCK certificate says ${toHex(pck.fmspc)}`);
  if (!equalBytes(b.pceId, pck.pceId)) why.push(`it is for PCE-ID ${toHex(b.pceId)}, but the PCK certificate says ${toHex(pck.pceId)}`);
  return { item: other, mismatch: `${other.source}: ${why.join('; ')}` };
}

export function expectedQeId(tech: 'sgx' | 'tdx'): string {
  return tech === 'sgx' ? 'QE' : 'TD_QE';
}

export function selectQeIdentity(items: readonly SignedJson<QeIdentity>[], tech: 'sgx' | 'tdx'): { item?: SignedJson<QeIdentity>; mismatch?: string } {
  const id = expectedQeId(tech);
  const item = items.find((q) => q.body.id === id);
  if (item) return { item };
  const other = items[0];
  return other ? { item: other, mismatch: `${other.source}: it is the identity of "${other.body.id}", but a ${tech.toUpperCase()} quote is signed by the ${id} enclave` } : {};
}
