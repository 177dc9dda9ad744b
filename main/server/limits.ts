import type { IncomingMessage } from 'node:http';

/**
 * What one client may cost the browser-mode server. A request's headers must arrive within `headersMs`
 * and the whole request within `requestMs` (node's own timers); the body, read by us, within `bodyMs`
 * and up to `bodyBytes`. `connections` caps open sockets (node drops those past it).
 */
export interface ServerLimits {
  bodyBytes: number;
  headersMs: number;
  requestMs: number;
  bodyMs: number;
  connections: number;
  /** How often node checks the header and request timers. */
  checkEveryMs: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  // The schema allows 32 files of 16 MiB as base64; a verify request beyond this is refused whole.
  bodyBytes: 48 * 1024 * 1024,
  headersMs: 10_000,
  requestMs: 120_000,
  bodyMs: 60_000,
  connections: 64,
  checkEveryMs: 1_000,
};

/** An answer to send instead of a result: its status and typed error. */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The body as text, refused early (413) by its declared length, or as soon as it grows past the limit; 408 when it is too slow. */
export function readBody(req: IncomingMessage, limits: Pick<ServerLimits, 'bodyBytes' | 'bodyMs'>): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limits.bodyBytes) return Promise.reject(tooLarge(limits.bodyBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (e: HttpRefusal) => {
      clearTimeout(timer);
      req.removeAllListeners('data');
      req.pause();
      reject(e);
    };
    const timer = setTimeout(() => stop(new HttpRefusal(408, 'REQUEST_TIMEOUT', `the request body did not arrive within ${limits.bodyMs} ms`)), limits.bodyMs);
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limits.bodyBytes) stop(tooLarge(limits.bodyBytes));
      else chunks.push(c);
    });
    req.on('end', () => (clearTimeout(timer), resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', (e) => (clearTimeout(timer), reject(e)));
  });
}

function tooLarge(max: number): HttpRefusal {
  return new HttpRefusal(413, 'PAYLOAD_TOO_LARGE', `the request body is larger than ${max} bytes`);
}
