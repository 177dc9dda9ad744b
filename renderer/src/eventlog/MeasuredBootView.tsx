import type { VerificationResult } from '../../../app/report/result.js';
import { technologyInfo, technologyName } from '../../../app/tee/registry.js';
import { AzureParts } from './AzureParts.js';
import { EventLogView } from './EventLogView.js';
import { PcrTable } from './PcrTable.js';
import { emptyBootText, eventLogsOf, pcrTablesOf } from './measured-boot.js';
import { linkedParts } from './linked-parts.js';
import './eventlog.css';

/**
 * The "Measured boot" view: linked parts (hardware report, runtime data, vTPM quote), the PCRs of TPM quotes
 * and each event log replayed against the signed registers. Everything shown comes from result.fields and
 * result.checks as the core produced them; without any of them, it says what is missing and what to drop.
 */
export function MeasuredBootView({ result }: { result: VerificationResult }) {
  const parts = linkedParts(result.fields, result.checks);
  const logs = eventLogsOf(result.fields);
  const pcrs = pcrTablesOf(result.fields);
  if (!parts && logs.length === 0 && pcrs.length === 0) return <EmptyBoot result={result} />;
  return (
    <div className="stack measured-boot" data-testid="measured-boot">
      {parts && <AzureParts parts={parts} name={technologyName(result.technology)} />}
      {pcrs.map((t) => (
        <PcrTable key={t.under ?? '-'} rows={t.value} checks={result.checks} hasLog={logs.some((l) => l.under === t.under && l.value.log.format === 'tcg')} />
      ))}
      {logs.map((l) => (
        <EventLogView key={`${l.under ?? ''}/${l.value.name}`} replay={l.value} checks={result.checks} />
      ))}
    </div>
  );
}

function EmptyBoot({ result }: { result: VerificationResult }) {
  const t = emptyBootText(result.fields, technologyInfo(result.technology)?.isolation);
  return (
    <section className="empty" data-testid="measured-boot-empty">
      <h2>{t.title}</h2>
      {t.lines.map((l) => (
        <p key={l}>{l}</p>
      ))}
    </section>
  );
}
