import { SGX_CLAIM_SCHEMA, TDX_CLAIM_SCHEMA } from './claim-schema.js';
import { CERT_DATA_PCK_CHAIN, pckChainPem } from './auth-data.js';
import type { TeeModule } from '../module.js';
import type { StateKey } from '../state.js';
import { parseQuote, ATT_KEY_ECDSA_P256, TEE_TYPE_SGX, TEE_TYPE_TDX } from './quote.js';
import { verifyDcap } from './verify.js';
import { claimsOf, describeQuote } from './describe.js';
import type { DcapContext } from './context.js';
import { COLLATERAL_SIGNATURES } from './signature-cache.js';
import { DCAP_CHECKS } from './checks.js';
import { checkEventLogParts } from '../eventlog/check-replay.js';
import type { SignedRegisters } from '../eventlog/check-replay.js';
import { dcapJsonCollateral } from './collateral-json.js';
import { missingDcapCollateral } from './missing.js';
import { dcapCollateralNeeds } from './needs.js';
import { INTEL_SGX_ROOT_CA_DER, INTEL_TCB_SIGNING_CERTS } from '../../roots/intel.js';
import type { Certificate } from '../../pki/x509.js';

/** The known TCB Signing certificates, one list per verifier (ctx.tcbSigners is compared by identity), parsed once per parse cache. */
const TCB_SIGNERS: StateKey<Certificate[]> = { name: 'dcap.tcb-signers', create: (cache) => INTEL_TCB_SIGNING_CERTS.map((k) => cache.known(k.der)) };
const CHECK_SPECS = Object.values(DCAP_CHECKS);

/** Intel DCAP ECDSA quotes: SGX (v3, v4, v5) and TDX (v4, v5). */
export const dcapModule = {
  id: 'dcap',
  technologies: [
    { id: 'sgx', name: 'Intel SGX', isolation: 'process', schema: SGX_CLAIM_SCHEMA, instance: 'enclave' },
    { id: 'tdx', name: 'Intel TDX', isolation: 'vm', schema: TDX_CLAIM_SCHEMA, instance: 'trust domain' },
  ] as const,
  anchors: { set: 'intel', pinned: () => [INTEL_SGX_ROOT_CA_DER] },
  checks: CHECK_SPECS,
  detect(b: Uint8Array) {
    if (b.length < 48) return false;
    const version = b[0]! | (b[1]! << 8);
    const keyType = b[2]! | (b[3]! << 8);
    const tee = b[4]! | (b[5]! << 8) | (b[6]! << 16) | (b[7]! << 24);
    return version >= 3 && version <= 5 && keyType === ATT_KEY_ECDSA_P256 && (tee === TEE_TYPE_SGX || tee === TEE_TYPE_TDX);
  },
  envelopes: {
    // go-tdx-guest tooling and SGX bundles name the quote after the technology; GCP wraps it as {"tdx": …}.
    evidenceKeys: ['tdQuote', 'td_quote', 'sgxQuote', 'sgx_quote'],
    wrapperKeys: ['tdx', 'sgx', 'tdxAttestation', 'tdx_attestation'],
  },
  collateral: [dcapJsonCollateral],
  missingCollateral: missingDcapCollateral,
  // The PCS URLs name everything the collateral depends on: technology, FMSPC, PCK CA and update channel.
  collateralNeedKey: (primary, o) =>
    dcapCollateralNeeds(primary, o.pcsBase, o.tcbUpdate)
      .map((n) => n.url)
      .join(' '),
  embeddedCertificates(primary) {
    try {
      const qe = parseQuote(primary).qe;
      return qe.innerType === CERT_DATA_PCK_CHAIN ? [{ name: 'quote (PCK certificate chain)', bytes: new TextEncoder().encode(pckChainPem(qe)) }] : [];
    } catch {
      return []; // the verifier reports what is wrong with the quote
    }
  },
  async verify(evidence, collateral, env) {
    const quote = parseQuote(evidence.primary);
    const ctx: DcapContext = {
      quote,
      collateral,
      at: env.at,
      crypto: env.crypto,
      cache: env.cache,
      roots: env.roots.intel,
      tcbSigners: env.state.get(TCB_SIGNERS),
      collateralSignatures: env.state.get(COLLATERAL_SIGNATURES),
      checks: [],
      used: env.used,
      ...(env.nonce ? { nonce: env.nonce } : {}),
    };
    const { tcb } = await verifyDcap(ctx);
    const claims = claimsOf(quote);
    const logs = quote.technology === 'tdx' ? await checkEventLogParts(evidence.parts, rtmrsOf(claims), env) : undefined;
    return {
      technology: quote.technology,
      format: quote.format,
      checks: [...ctx.checks, ...(logs?.checks ?? [])],
      catalogue: logs?.catalogue.length ? [...CHECK_SPECS, ...logs.catalogue] : CHECK_SPECS,
      claims: logs?.claims ? { ...claims, ...logs.claims } : claims,
      fields: {
        ...describeQuote(quote, ctx.pckCerts, ctx.pck),
        ...(ctx.qeTcb ? { qeTcb: ctx.qeTcb } : {}),
        ...(logs?.replays.length ? { eventLogs: logs.replays } : {}),
      },
      ...(tcb ? { tcb } : {}),
      ...(logs?.replays.length ? { eventLogs: logs.replays } : {}),
    };
  },
} as const satisfies TeeModule;

/** A TD quote's RTMRs as an event log must replay to them; RTMR3 is the runtime register (extended after boot, outside CCEL). */
function rtmrsOf(claims: Record<string, unknown>): SignedRegisters {
  const values = Object.fromEntries(['rtmr0', 'rtmr1', 'rtmr2', 'rtmr3'].map((r) => [r, String(claims[r])]));
  return { kind: 'rtmr', bank: 'SHA-384', values, source: 'the TD quote', runtime: ['rtmr3'] };
}
