import type { PcrRow } from '../../../app/tee/tpm/describe.js';
import type { Check } from '../../../app/check.js';
import { Pill, CopyValue } from './bits.js';
import { PCRS_WITHOUT_LOG, akTrustNote, akTrusted, pcrAttestedWords } from './measured-boot.js';

/** A TPM quote's PCRs: which values the AK's signature covers and which were only supplied beside it. */
export function PcrTable({ rows, checks, hasLog }: { rows: PcrRow[]; checks: readonly Check[]; hasLog: boolean }) {
  const attested = rows.filter((r) => r.attested).length;
  const ak = akTrustNote(checks);
  const trusted = akTrusted(checks);
  return (
    <section className="card mb-pcrs" data-testid="pcr-table">
      <h2>
        PCRs of the TPM quote{' '}
        <small>
          {attested} of {rows.length} attested
        </small>
      </h2>
      {ak && (
        <p className={`notice ${ak.tone === 'good' ? 'good' : ak.tone === 'bad' ? 'bad' : ''}`} data-testid="ak-trust-note">
          {ak.text}
        </p>
      )}
      {!hasLog && (
        <p className="notice" data-testid="pcrs-without-log">
          {PCRS_WITHOUT_LOG}
        </p>
      )}
      <table className="matrix">
        <caption className="sr-only">PCR values of the TPM quote</caption>
        <thead>
          <tr>
            <th scope="col">Bank</th>
            <th scope="col">PCR</th>
            <th scope="col">Value</th>
            <th scope="col">Covered by the quote</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const w = pcrAttestedWords(r.attested, trusted);
            return (
              <tr key={`${r.bank}-${r.index}`} data-pcr={r.index} data-attested={r.attested}>
                <td>{r.bank}</td>
                <th scope="row">PCR{r.index}</th>
                <td>
                  <CopyValue label={`${r.bank} PCR${r.index}`} value={r.value} />
                </td>
                <td>
                  <Pill tone={w.tone} testid="pcr-covered">
                    {w.word}
                  </Pill>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
