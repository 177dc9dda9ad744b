import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Browser mode's sign-in. The URL handed to the system's opener (and printed) is visible to every local
 * user (the opener's command line), so it carries only a one-time secret: its first use trades it for a
 * session cookie (256 random bits, HttpOnly, SameSite=Strict, never in a URL) and it is dead from then on.
 * Cookies do not separate ports, so the cookie's name carries the port (two instances never clash).
 */
export const LAUNCH_PATH = '/launch';

export class SessionGate {
  private launches = new Set<string>();
  private sessions = new Set<string>();

  constructor(readonly port: number) {}

  get cookieName(): string {
    return `tee_session_${this.port}`;
  }

  /** A fresh one-time launch secret (hex); only its digest is kept. */
  newLaunch(): string {
    const secret = randomBytes(32).toString('hex');
    this.launches.add(digest(secret));
    return secret;
  }

  /** Trades a launch secret for a new session (its Set-Cookie value), or undefined when it is unknown or was used. */
  redeem(secret: string): string | undefined {
    const d = digest(secret);
    if (!this.launches.delete(d)) return undefined;
    const session = randomBytes(32).toString('hex');
    this.sessions.add(digest(session));
    return `${this.cookieName}=${session}; HttpOnly; SameSite=Strict; Path=/`;
  }

  /** Whether the request carries a live session cookie. */
  admits(req: IncomingMessage): boolean {
    const value = cookieValue(req.headers.cookie, this.cookieName);
    return value !== undefined && /^[0-9a-f]{64}$/.test(value) && this.sessions.has(digest(value));
  }
}

/** Only digests are kept and looked up: a lookup's timing says nothing about a secret, and a memory dump holds none. */
function digest(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The launch secret of a request for LAUNCH_PATH (?once=HEX), checked for form only. */
export function launchSecret(query: URLSearchParams): string | undefined {
  const once = query.get('once');
  return once && /^[0-9a-f]{64}$/.test(once) ? once : undefined;
}
