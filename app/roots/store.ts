import { equalBytes } from '../bytes/hex.js';
import type { Certificate } from '../pki/x509.js';
import { sameName } from '../pki/name.js';
/**
 * Trust anchors by vendor. Only certificates whose bytes are in the store end a chain. Each module
 * names its group (TeeModule.anchors); the defaults are the modules' pinned anchors (registry defaultRoots).
 */
export interface RootStore {
  intel: Uint8Array[];
  /** AMD ARKs (anchors) and the ASKs/ASVKs they issued (pinned intermediates), any product. */
  amd?: Uint8Array[];
  /** CAs that issue TPM attestation-key certificates (Google Cloud's EK/AK CA). */
  tpm?: Uint8Array[];
}

export function isPinnedRoot(cert: Certificate, roots: readonly Uint8Array[]): boolean {
  return roots.some((der) => equalBytes(der, cert.der));
}

/** The pinned root whose subject is this certificate's issuer, if any. */
export function findRootFor(cert: Certificate, roots: readonly Certificate[]): Certificate | undefined {
  return roots.find((r) => sameName(r.subject, cert.issuer));
}
