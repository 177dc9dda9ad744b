/**
 * Whether a dropped, opened or pasted file is a report to open rather than evidence to verify: recognised by
 * its content, never its name. A report is a JSON object whose schema is tee-inspect/report/v2; an EAR token is
 * a JWS compact serialisation (three base64url parts) whose header is JSON naming an alg. The API then reads
 * either strictly (openReport); this only routes the file.
 */
const REPORT_SCHEMA = 'tee-inspect/report/v2';
const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const MAX = 64 * 1024 * 1024;

export function isReportOrToken(bytes: Uint8Array): boolean {
  if (bytes.length === 0 || bytes.length > MAX) return false;
  const text = decode(bytes)?.trim();
  if (!text) return false;
  if (text.startsWith('{')) return schemaOf(text) === REPORT_SCHEMA;
  return JWS.test(text) && jwsHeaderHasAlg(text.slice(0, text.indexOf('.')));
}

function decode(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function schemaOf(text: string): unknown {
  try {
    return (JSON.parse(text) as { schema?: unknown } | null)?.schema;
  } catch {
    return undefined;
  }
}

function jwsHeaderHasAlg(part: string): boolean {
  try {
    const header = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { alg?: unknown } | null;
    return typeof header?.alg === 'string';
  } catch {
    return false;
  }
}
