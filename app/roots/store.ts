import { equalBytes } from '../bytes/hex.js';
import type { Certificate } from '../pki/x509.js';
import { sameName } from '../pki/name.js';
import { INTEL_SGX_ROOT_CA_DER } from './intel.js';
import { AMD_ROOTS } from './amd.js';

/** Trust anchors by vendor. Only certificates whose bytes are in the store end a chain. */
export interface RootStore {
  intel: Uint8Array[];
  /** AMD ARKs (anchors) and the ASKs/ASVKs they issued (pinned intermediates), any product. */
  amd?: Uint8Array[];
}

export function defaultRoots(): RootStore {
  return { intel: [INTEL_SGX_ROOT_CA_DER], amd: AMD_ROOTS.map((r) => r.der) };
}

export function isPinnedRoot(cert: Certificate, roots: readonly Uint8Array[]): boolean {
  return roots.some((der) => equalBytes(der, cert.der));
}

/** The pinned root whose subject is this certificate's issuer, if any. */
export function findRootFor(cert: Certificate, roots: readonly Certificate[]): Certificate | undefined {
  return roots.find((r) => sameName(r.subject, cert.issuer));
}
