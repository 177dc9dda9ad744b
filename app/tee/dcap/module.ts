import type { TeeModule } from '../module.js';
import { parseQuote, ATT_KEY_ECDSA_P256, TEE_TYPE_SGX, TEE_TYPE_TDX } from './quote.js';
import { verifyDcap, DCAP_CRYPTO_CHECKS } from './verify.js';
import { claimsOf, describeQuote } from './describe.js';
import type { DcapContext } from './context.js';
import { signatureCacheFor } from './signature-cache.js';
import { INTEL_TCB_SIGNING_CERTS } from '../../roots/intel.js';
import { parseCertificate } from '../../pki/x509.js';
import type { Certificate } from '../../pki/x509.js';

/** Parsed once per process: the bytes are constants, and parsing is pure. */
let tcbSigners: Certificate[] | undefined;
const knownTcbSigners = (): Certificate[] => (tcbSigners ??= INTEL_TCB_SIGNING_CERTS.map((k) => parseCertificate(k.der)));

/** Intel DCAP ECDSA quotes: SGX (v3, v4, v5) and TDX (v4, v5). */
export const dcapModule: TeeModule = {
  id: 'dcap',
  detect(b) {
    if (b.length < 48) return false;
    const version = b[0]! | (b[1]! << 8);
    const keyType = b[2]! | (b[3]! << 8);
    const tee = b[4]! | (b[5]! << 8) | (b[6]! << 16) | (b[7]! << 24);
    return version >= 3 && version <= 5 && keyType === ATT_KEY_ECDSA_P256 && (tee === TEE_TYPE_SGX || tee === TEE_TYPE_TDX);
  },
  async verify(bytes, collateral, env) {
    const quote = parseQuote(bytes);
    const ctx: DcapContext = {
      quote,
      collateral,
      at: env.at,
      crypto: env.crypto,
      cache: env.cache,
      roots: env.roots.intel,
      tcbSigners: knownTcbSigners(),
      collateralSignatures: signatureCacheFor(env.memo, env.crypto),
      checks: [],
      used: env.used,
      ...(env.nonce ? { nonce: env.nonce } : {}),
    };
    const { tcb } = await verifyDcap(ctx);
    return {
      technology: quote.technology,
      format: quote.format,
      checks: ctx.checks,
      cryptoChecks: DCAP_CRYPTO_CHECKS,
      claims: claimsOf(quote),
      fields: { ...describeQuote(quote, ctx.pckCerts, ctx.pck), ...(ctx.qeTcb ? { qeTcb: ctx.qeTcb } : {}) },
      ...(tcb ? { tcb } : {}),
    };
  },
};
