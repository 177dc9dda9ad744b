import type { Check } from '../../check.js';
import { fail, pass } from '../../check.js';
import { equalBytes } from '../../bytes/hex.js';
import { verifyChain } from '../../pki/chain.js';
import type { Certificate } from '../../pki/x509.js';
import type { VerifyEnv } from '../module.js';
import { TPM_CHECKS } from './checks.js';

const SPEC = TPM_CHECKS.akTrust;

/**
 * `tpm.ak.trust` from an AK certificate among the supplied certificates: the one whose key IS the AK, with
 * the others as intermediates, must chain to a pinned TPM CA (Google Cloud's EK/AK CA) and be valid at the
 * verification time. Undefined when no supplied certificate carries the AK's key: trust then rests on the
 * quote's own check (a pin, or nothing).
 */
export async function akCertificateTrust(akSpki: Uint8Array, certs: readonly Certificate[], env: VerifyEnv): Promise<Check | undefined> {
  const leaf = certs.find((c) => equalBytes(c.publicKey.spki, akSpki));
  if (!leaf) return undefined;
  env.used.add(leaf);
  const chain = await verifyChain(env.cache, [leaf, ...intermediates(leaf, certs)], env.roots.tpm, env.at);
  const name = `The AK certificate "${leaf.subject.text}" (serial ${leaf.serialHex})`;
  if (!chain.ok)
    return unproven(
      SPEC,
      `${name} carries this AK's key but does not chain to a pinned TPM CA: ${chain.problem}. Nothing ties the AK to a genuine TPM.`,
      'CERT_CHAIN_INVALID',
      'Supply the AK certificate with its issuing CA certificates as the TPM vendor or cloud publishes them.',
    );
  for (const c of chain.certs) env.used.add(c);
  if (chain.expired.length)
    return unproven(SPEC, `${name} chains to the pinned CA but is not valid at the verification time: ${chain.expired.join('; ')}.`, 'CERT_EXPIRED');
  const root = chain.certs[chain.certs.length - 1]!;
  return pass(SPEC, `${name} carries this AK's key and chains to the pinned "${root.subject.text}": the AK is one that CA certified for a genuine TPM.`);
}

/** A failed AK certificate leaves AK trust not established, as no certificate would. */
function unproven(...args: Parameters<typeof fail>): Check {
  return { ...fail(...args), gap: 'ak-trust' };
}

/** The supplied certificates other than the leaf, in issuer order from it (each one's subject the previous one's issuer). */
function intermediates(leaf: Certificate, certs: readonly Certificate[]): Certificate[] {
  const out: Certificate[] = [];
  let at = leaf;
  for (let i = 0; i < 6; i++) {
    const next = certs.find((c) => c !== at && c.subject.text === at.issuer.text && !out.includes(c));
    if (!next || next === leaf) break;
    out.push(next);
    at = next;
  }
  return out;
}
