import { equalBytes, toHex } from '../../bytes/hex.js';
import type { SignedJson } from '../../collateral/types.js';
import type { TcbInfo } from './tcb-info.js';
import type { QeIdentity } from './qe-identity.js';
import type { PckExtensions } from './pck-extensions.js';

/**
 * The supplied TCB infos and QE identities that belong to this quote (`fits`; check-collateral's
 * chooseNewest picks among them), and, when none fits, the mismatch to explain with the first one given.
 */
export interface Selection<T> {
  fits: SignedJson<T>[];
  mismatch?: { item: SignedJson<T>; why: string };
}

export function selectTcbInfo(items: readonly SignedJson<TcbInfo>[], tech: 'sgx' | 'tdx', pck: PckExtensions): Selection<TcbInfo> {
  const id = tech.toUpperCase();
  const fits = items.filter((t) => t.body.id === id && equalBytes(t.body.fmspc, pck.fmspc) && equalBytes(t.body.pceId, pck.pceId));
  const other = items[0];
  if (fits.length > 0 || !other) return { fits };
  const b = other.body;
  const why: string[] = [];
  if (b.id !== id) why.push(`it is ${b.id} TCB info, but this is a ${id} quote`);
  if (!equalBytes(b.fmspc, pck.fmspc)) why.push(`it is for FMSPC ${toHex(b.fmspc)}, but the PCK certificate says ${toHex(pck.fmspc)}`);
  if (!equalBytes(b.pceId, pck.pceId)) why.push(`it is for PCE-ID ${toHex(b.pceId)}, but the PCK certificate says ${toHex(pck.pceId)}`);
  return { fits, mismatch: { item: other, why: `${other.source}: ${why.join('; ')}` } };
}

export function expectedQeId(tech: 'sgx' | 'tdx'): string {
  return tech === 'sgx' ? 'QE' : 'TD_QE';
}

export function selectQeIdentity(items: readonly SignedJson<QeIdentity>[], tech: 'sgx' | 'tdx'): Selection<QeIdentity> {
  const id = expectedQeId(tech);
  const fits = items.filter((q) => q.body.id === id);
  const other = items[0];
  if (fits.length > 0 || !other) return { fits };
  return {
    fits,
    mismatch: {
      item: other,
      why: `${other.source}: it is the identity of "${other.body.id}", but a ${tech.toUpperCase()} quote is signed by the ${id} enclave`,
    },
  };
}
