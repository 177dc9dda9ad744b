/**
 * A request target read strictly, before any routing: origin-form only ("/…", never "//host" or an absolute
 * URL), every %-escape valid, and no segment that is ".", "..", or holds NUL, a control character, a
 * backslash or an encoded "/". Anything else is the client's malformed request (400), never a file lookup.
 */
export type RequestPath = { path: string; query: URLSearchParams } | { error: string };

const MAX_TARGET = 4096;
const RAW_BAD = /[\u0000-\u0020\u007f\\#]/;
const SEGMENT_BAD = /[\u0000-\u001f\u007f\\/]/;

export function parseRequestPath(raw: string | undefined): RequestPath {
  if (!raw || raw.length > MAX_TARGET) return { error: `the request target must be 1 to ${MAX_TARGET} characters` };
  if (!raw.startsWith('/') || raw.startsWith('//')) return { error: 'the request target must be a path starting with a single "/"' };
  const q = raw.indexOf('?');
  const rawPath = q < 0 ? raw : raw.slice(0, q);
  if (RAW_BAD.test(rawPath)) return { error: 'the path holds a control character, a space, a backslash or "#"' };
  const segments: string[] = [];
  for (const part of rawPath.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      return { error: `malformed %-encoding in the path segment ${JSON.stringify(part.slice(0, 80))}` };
    }
    if (segment === '.' || segment === '..') return { error: 'the path holds a "." or ".." segment' };
    if (SEGMENT_BAD.test(segment)) return { error: 'the path holds NUL, a control character, a backslash or an encoded "/"' };
    segments.push(segment);
  }
  return { path: `/${segments.join('/')}`, query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}
