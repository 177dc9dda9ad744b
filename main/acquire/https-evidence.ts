import type { HttpsSource } from '../../app/acquire/target.js';
import { adapterAnswer, adapterRequest } from '../../app/acquire/adapters.js';
import type { AdapterAnswer } from '../../app/acquire/adapters.js';
import { httpsGet } from '../collateral/http.js';

export interface HttpsEvidenceOptions {
  nonce?: Uint8Array;
  /** Extra trust anchors (PEM); TLS verification is never switched off. */
  ca?: string;
  /** A bearer token for the endpoint (kept out of logs and dropped on a cross-origin redirect). */
  token?: string;
  timeoutMs?: number;
  maxBytes?: number;
  signal?: AbortSignal;
}

/**
 * Evidence from an HTTPS endpoint through its adapter, with the event logs the agent sent: TLS verified,
 * at most 3 https redirects, size and time bounded, one retry on 429/503.
 */
export async function fetchEvidenceOverHttps(src: HttpsSource, o: HttpsEvidenceOptions): Promise<AdapterAnswer> {
  const req = adapterRequest(src, o.nonce);
  const res = await httpsGet(req.url, {
    headers: { ...req.headers, ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) },
    maxRedirects: 3,
    retries: 1,
    timeoutMs: o.timeoutMs ?? 30_000,
    maxBytes: o.maxBytes ?? 16 * 1024 * 1024,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.ca ? { ca: o.ca } : {}),
  });
  return adapterAnswer(src, res.body);
}
