import { createHash } from 'node:crypto';
import { collateralNeedKey } from '../../app/evidence/decode.js';
import type { DecodedEvidence } from '../../app/evidence/decode.js';
import type { Verifier } from '../../app/verifier.js';
import type { CollateralFile } from '../../app/collateral/types.js';
import { completeCollateral } from '../collateral/acquire.js';
import type { AcquireOptions } from '../collateral/acquire.js';

type Completed = Awaited<ReturnType<typeof completeCollateral>>;

/**
 * completeCollateral shared by a fleet run: targets that need the same collateral (same PCS URLs for DCAP,
 * same chip and reported TCB for SEV-SNP) and supply the same files wait on one lookup instead of racing
 * each other to the cache and to Intel PCS / AMD KDS. The disk cache still serves later runs.
 */
export class CollateralMemo {
  private readonly pending = new Map<string, Promise<Completed>>();

  constructor(
    private readonly verifier: Verifier,
    private readonly options: AcquireOptions,
  ) {}

  complete(decoded: DecodedEvidence, files: CollateralFile[]): Promise<Completed> {
    const key = needKey(decoded, this.options);
    if (key === undefined) return completeCollateral(this.verifier, decoded.bytes, files, this.options, decoded);
    const full = `${key}|${filesDigest(files)}`;
    let p = this.pending.get(full);
    if (!p) {
      p = completeCollateral(this.verifier, decoded.bytes, files, this.options, decoded);
      this.pending.set(full, p);
    }
    return p;
  }
}

/** What decides the collateral an evidence needs (the module says); undefined: not shareable (or unreadable: the verifier says why). */
function needKey(decoded: DecodedEvidence, o: AcquireOptions): string | undefined {
  try {
    return collateralNeedKey(decoded, { ...(o.pcsBase ? { pcsBase: o.pcsBase } : {}), ...(o.tcbUpdate ? { tcbUpdate: o.tcbUpdate } : {}) });
  } catch {
    return undefined; // completed unshared
  }
}

function filesDigest(files: CollateralFile[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.name.length}:${f.name}:${f.bytes.length}:`).update(f.bytes);
  return h.digest('hex');
}
