import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { PeerVerify } from './types.js';

/**
 * @phala/dcap-qvl-web 0.3.3 (Rust dcap-qvl 0.3.3 compiled to wasm, ring crypto): `js_verify(quote, collateral, BigInt(nowSecs))`.
 * Its default init fetch()es the .wasm by URL, which Node cannot do for file: URLs, so we initSync with the bytes.
 * The collateral must be the bundle as is: CRLs and signatures as hex strings (byte arrays are refused).
 * Returns undefined if the module cannot be loaded.
 */
export async function makeDcapQvlWebVerifier(): Promise<PeerVerify | undefined> {
  try {
    const web = await import('@phala/dcap-qvl-web');
    const wasm = createRequire(import.meta.url).resolve('@phala/dcap-qvl-web/dcap-qvl-web_bg.wasm');
    web.initSync({ module: readFileSync(wasm) });
    return async (quote, collateral, atSeconds) => {
      const r = web.js_verify(quote, collateral, BigInt(Math.floor(atSeconds))) as { status: string; advisory_ids: string[] };
      return { status: r.status, advisoryIds: r.advisory_ids };
    };
  } catch {
    return undefined;
  }
}

/**
 * Inputs this release is known to refuse. Rust dcap-qvl 0.3.3 decodes the auth data of a v5 quote with
 * decode_auth_data(5), which accepts only 3 and 4, so it throws "Failed to decode quote". Fixed upstream in
 * d09fa7f (Rust v0.3.5+); 0.3.3 is the newest dcap-qvl-web on npm.
 */
export function dcapQvlWebKnownGap(quote: Uint8Array): string | undefined {
  const version = (quote[0] ?? 0) | ((quote[1] ?? 0) << 8);
  return version === 5 ? 'v5 quotes unsupported in 0.3.3 ("Failed to decode quote"; fixed upstream in Rust v0.3.5)' : undefined;
}
