import { TeeError, toTeeError } from '../../app/errors.js';
import { escapeControls } from '../../app/text/sanitize.js';
import type { ApiErrorBody } from './types.js';

/**
 * One error envelope for IPC and HTTP. Only the code, the message and, for host-key errors, the host,
 * port and fingerprint the user must confirm cross to the renderer: nothing else from `detail` (which may
 * hold paths or internals) is sent. Messages may quote the remote side, so control characters are escaped.
 */
export function errorBody(e: unknown, fallback?: 'FETCH_FAILED'): ApiErrorBody {
  // A request body that is not JSON is the caller's mistake; anything else untyped is a bug of ours.
  const err =
    e instanceof SyntaxError ? new TeeError('USAGE_ERROR', `the request is not valid JSON: ${e.message}`) : toTeeError(e, fallback ?? 'INTERNAL_ERROR');
  const body: ApiErrorBody = { code: err.code, message: escapeControls(err.message, { multiline: true }) };
  const d = err.detail;
  if (
    (err.code === 'HOST_KEY_UNKNOWN' || err.code === 'HOST_KEY_CHANGED') &&
    typeof d.host === 'string' &&
    typeof d.port === 'number' &&
    typeof d.fingerprint === 'string'
  ) {
    body.detail = { host: d.host, port: d.port, fingerprint: d.fingerprint };
  }
  return body;
}
