import { useEffect, useRef } from 'react';
import { useApp } from '../store.js';
import { dismissHostKey, trustHostKey } from './connect-store.js';

/**
 * The host-key confirmation. An unknown key is shown with host:port and its SHA256 fingerprint for the user to
 * compare out of band, with Cancel focused first; a changed key is refused outright, with no way to accept it here.
 * A native modal <dialog>: focus stays inside, Escape cancels.
 */
export function HostKeyDialog() {
  const prompt = useApp((s) => s.hostKey);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (prompt && d && !d.open) d.showModal();
    if (!prompt && d?.open) d.close();
  }, [prompt]);
  if (!prompt) return null;
  const changed = prompt.code === 'HOST_KEY_CHANGED';
  return (
    <dialog
      ref={ref}
      className={changed ? 'hostkey changed' : 'hostkey'}
      aria-labelledby="hostkey-title"
      aria-describedby="hostkey-body"
      onCancel={dismissHostKey}
      data-testid="hostkey-dialog"
    >
      <h2 id="hostkey-title">{changed ? 'Host key changed: connection refused' : 'Unknown host key'}</h2>
      <div id="hostkey-body">
        {changed ? (
          <>
            <p className="danger">
              <strong>
                {prompt.host}:{prompt.port}
              </strong>{' '}
              presented a different host key from the one pinned for it. This is what a man-in-the-middle attack looks like, so nothing was run on the host and
              no evidence was accepted.
            </p>
            <p>
              If the host was legitimately reinstalled, confirm its new key with its administrator, then remove the old entry for {prompt.host}:{prompt.port}{' '}
              from the app's host-key store (known-hosts.json in the app's settings folder) and connect again.
            </p>
          </>
        ) : (
          <p>
            <strong>
              {prompt.host}:{prompt.port}
            </strong>{' '}
            presented a host key this app has not seen before. Compare its fingerprint with the one the host's administrator gives you (on the host:{' '}
            <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>). Trust it only if they match exactly.
          </p>
        )}
        <p className="fp-label">{changed ? 'Key presented now' : 'SHA256 fingerprint'}</p>
        <code className="fingerprint" data-testid="hostkey-fingerprint">
          {prompt.fingerprint}
        </code>
      </div>
      <div className="dialog-actions">
        <button type="button" autoFocus onClick={dismissHostKey} data-testid="hostkey-cancel">
          {changed ? 'Close' : 'Cancel'}
        </button>
        {!changed && (
          <button type="button" className="primary" onClick={() => void trustHostKey()} data-testid="hostkey-trust">
            Trust this key
          </button>
        )}
      </div>
    </dialog>
  );
}
