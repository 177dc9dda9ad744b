import { useEffect } from 'react';
import type { DragEvent } from 'react';
import { placeDropped } from './drop-artefacts.js';
import type { VerificationResult } from '../../../../app/report/result.js';
import { api } from '../../api.js';
import { nowIso } from '../../store.js';
import { ArtefactFields } from './ArtefactFields.js';
import { DerivedValues } from './DerivedValues.js';
import { deriveSet, initialForm } from './derive.js';
import { deriveStore, useDerive } from './derive-store.js';

/**
 * "Derive golden values from build artefacts": the firmware, kernel, initrd, command line and launch parameters
 * a workload is built from give the values its evidence must carry, computed here in the app (nothing is
 * uploaded), each with the provenance that produced it. The derived values are compared with this evidence
 * at once, and can be saved or used as the golden values, so that a mismatch names the input that explains it.
 */
export function DeriveGolden({ result }: { result: VerificationResult | undefined }) {
  const { form, busy, derived, error, touched, dropped } = useDerive((s) => s);
  useEffect(() => {
    if (!touched) deriveStore.setState({ form: initialForm(result?.technology) });
  }, [touched, result?.technology]);
  const derive = async () => {
    deriveStore.setState({ busy: true, error: undefined, derived: undefined });
    // Let the "computing" state paint: hashing a large initrd takes a moment.
    await new Promise((r) => setTimeout(r, 0));
    try {
      const { version } = await api.appInfo();
      deriveStore.setState({ derived: await deriveSet(deriveStore.getState().form, `TEE Inspector ${version}`, nowIso()) });
    } catch (e) {
      deriveStore.setState({ error: `${(e as { code?: string }).code ?? 'USAGE_ERROR'}: ${(e as Error).message}` });
    } finally {
      deriveStore.setState({ busy: false });
    }
  };
  const onDrop = async (e: DragEvent) => {
    // The files are artefacts for this panel, not evidence for the app's drop zone.
    e.preventDefault();
    e.stopPropagation();
    const { form: next, placed, unknown } = await placeDropped(deriveStore.getState().form, [...e.dataTransfer.files]);
    const dropped = [placed.length ? `Using ${placed.join(', ')}.` : '', unknown.length ? `Not recognised (choose them below): ${unknown.join(', ')}.` : '']
      .filter(Boolean)
      .join(' ');
    deriveStore.setState({ form: next, touched: true, dropped });
  };
  return (
    <section
      className="derive-golden"
      data-testid="derive-golden"
      aria-labelledby="derive-golden-title"
      onDragOver={(e) => (e.preventDefault(), e.stopPropagation())}
      onDrop={(e) => void onDrop(e)}
    >
      <h3 id="derive-golden-title">Derive golden values from build artefacts</h3>
      <p className="hint">
        The values a guest launched from these artefacts must show, predicted here from the files (nothing leaves this computer). A prediction proves nothing
        about a running guest until verified evidence matches it. Drop the firmware, kernel and initrd here together, or choose each below.
      </p>
      {dropped && (
        <p className="hint" role="status" data-testid="derive-dropped">
          {dropped}
        </p>
      )}
      <ArtefactFields form={form} onChange={(f) => deriveStore.setState({ form: f, touched: true })} />
      <button type="button" onClick={() => void derive()} disabled={busy || !form.firmware} data-testid="derive-button">
        {busy ? 'Computing…' : 'Derive golden values'}
      </button>
      {error && (
        <p className="error" role="alert" data-testid="derive-error">
          {error}
        </p>
      )}
      {derived && <DerivedValues set={derived} result={result} />}
    </section>
  );
}
