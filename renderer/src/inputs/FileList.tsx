import type { ResultInput } from '../../../app/report/result.js';
import { useApp, removeFile, clearAll } from '../store.js';
import { humanBytes } from './input-checks.js';

/** What each role means to the reader; ignored and unused files say why, from the result's note. */
const ROLE_TEXT: Record<string, string> = {
  evidence: 'evidence',
  collateral: 'collateral',
  reference: 'golden values',
  eventlog: 'event log',
  'tpm-quote': 'TPM quote',
  'td-quote': 'TD quote',
  ignored: 'ignored',
  unused: 'supplied, not used',
};

/** The dropped files, each with the part the last verification gave it (result.inputs), and what was refused. */
export function FileList() {
  const files = useApp((s) => s.files);
  const problems = useApp((s) => s.fileProblems);
  const inputs = useApp((s) => s.response?.result.inputs);
  const roles = new Map(inputs?.map((i) => [i.name, i]));
  return (
    <>
      {problems.length > 0 && (
        <ul className="file-problems" role="alert" data-testid="file-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {files.length > 0 && (
        <ul className="filelist" data-testid="file-list">
          {files.map((f) => (
            <FileRow key={f.name} name={f.name} size={f.size} input={roles.get(f.name)} />
          ))}
          <li className="clear">
            <button type="button" className="link" onClick={clearAll}>
              Clear all
            </button>
          </li>
        </ul>
      )}
    </>
  );
}

function FileRow({ name, size, input }: { name: string; size: number; input?: ResultInput }) {
  const idle = input?.role === 'ignored' || input?.role === 'unused';
  return (
    <li className="file-row" data-file={name} data-role={input?.role ?? 'pending'}>
      <div className="file-line">
        <span className="fname" title={name}>
          {name}
        </span>
        {input && <span className={`status-pill role-pill ${idle ? 'pill-warn' : 'pill-none'}`}>{ROLE_TEXT[input.role] ?? input.role}</span>}
        <span className="fsize">{humanBytes(size)}</span>
        <button type="button" className="link" aria-label={`remove ${name}`} onClick={() => removeFile(name)}>
          ✕
        </button>
      </div>
      {input?.note && <div className="file-note">{input.note}</div>}
    </li>
  );
}
