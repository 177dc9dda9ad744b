import { useEffect, useRef, useState } from 'react';
import { useApp } from '../store.js';
import { dismissHostKey, pinnedFingerprints, trustHostKey, unpinOldKey } from './connect-store.js';
import type { HostKeyPrompt } from './connect-store.js';
import './connect.css';

/**
 * The host-key confirmation. An unknown key is shown with host:port and its SHA256 fingerprint for the user to
 * compare out of band, with Cancel focused first. A changed key is refused: the pinned and the presented
 * fingerprints side by side, and no way to accept the new one here; only "Unpin the old key", confirmed, after
 * which the new key is shown as unknown like any first connection. A native modal <dialog>: Escape cancels.
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
      {changed ? <ChangedKey key={`${prompt.host}:${prompt.port}:${prompt.fingerprint}`} prompt={prompt} /> : <UnknownKey prompt={prompt} />}
    </dialog>
  );
}

function UnknownKey({ prompt }: { prompt: HostKeyPrompt }) {
  return (
    <>
      <div id="hostkey-body">
        <p>
          <strong>
            {prompt.host}:{prompt.port}
          </strong>{' '}
          presented a host key this app has not seen before. Compare its fingerprint with the one the host's administrator gives you (on the host:{' '}
          <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>). Trust it only if they match exactly.
        </p>
        <p className="fp-label">SHA256 fingerprint</p>
        <code className="fingerprint" data-testid="hostkey-fingerprint">
          {prompt.fingerprint}
        </code>
      </div>
      <div className="dialog-actions">
        <button type="button" autoFocus onClick={dismissHostKey} data-testid="hostkey-cancel">
          Cancel
        </button>
        <button type="button" className="primary" onClick={() => void trustHostKey()} data-testid="hostkey-trust">
          Trust this key
        </button>
      </div>
    </>
  );
}

function ChangedKey({ prompt }: { prompt: HostKeyPrompt }) {
  const [pinned, setPinned] = useState<string[] | undefined>();
  const [pinError, setPinError] = useState<string | undefined>();
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    pinnedFingerprints(prompt.host, prompt.port).then(setPinned, (e: unknown) => setPinError(String((e as Error)?.message ?? e)));
  }, [prompt.host, prompt.port]);
  const id = `${prompt.host}:${prompt.port}`;
  return (
    <>
      <div id="hostkey-body">
        <p className="danger">
          <strong>{id}</strong> presented a different host key from the one pinned for it. This is what a man-in-the-middle attack looks like, so nothing was
          run on the host and no evidence was accepted.
        </p>
        <div className="fp-compare">
          <div>
            <p className="fp-label">Pinned for {id}</p>
            <code className="fingerprint" data-testid="hostkey-pinned">
              {pinned ? pinned.join('\n') || 'none' : (pinError ?? 'reading the pinned key…')}
            </code>
          </div>
          <div>
            <p className="fp-label">Presented now</p>
            <code className="fingerprint new" data-testid="hostkey-fingerprint">
              {prompt.fingerprint}
            </code>
          </div>
        </div>
        <p>
          If the host was legitimately reinstalled, confirm its new key with its administrator first. Unpinning the old key does not trust the new one: the next
          connection shows the new key as unknown, for you to compare and confirm.
        </p>
        {confirming && (
          <div className="unpin-confirm" data-testid="unpin-confirm">
            <p>
              Remove the pinned key for <strong>{id}</strong>? Until you confirm a new key, this app will not connect to it.
            </p>
            <div className="form-actions">
              <button type="button" onClick={() => setConfirming(false)} data-testid="unpin-keep">
                Keep the old key
              </button>
              <button type="button" className="danger" onClick={() => void unpinOldKey()} data-testid="unpin-confirm-button">
                Yes, unpin the old key
              </button>
            </div>
          </div>
        )}
      </div>
      <div className="dialog-actions">
        {!confirming && (
          <button type="button" onClick={() => setConfirming(true)} data-testid="hostkey-unpin">
            Unpin the old key…
          </button>
        )}
        <button type="button" autoFocus onClick={dismissHostKey} data-testid="hostkey-cancel">
          Close
        </button>
      </div>
    </>
  );
}
