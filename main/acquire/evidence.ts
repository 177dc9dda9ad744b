import { randomBytes } from 'node:crypto';
import { splitCollected } from '../../app/acquire/collected.js';
import type { Collected, CollectedAttachment } from '../../app/acquire/collected.js';
import type { EvidenceSource } from '../../app/acquire/target.js';
import { sourceLabel } from '../../app/acquire/target.js';
import type { CollateralFile } from '../../app/collateral/types.js';
import { TeeError, toTeeError } from '../../app/errors.js';
import { looksLikeCertTable, parseCertTable } from '../../app/tee/snp/cert-table.js';
import { pemBlocks } from '../../app/pki/pem.js';
import { parseCertificate } from '../../app/pki/x509.js';
import { escapeControls } from '../../app/text/sanitize.js';
import type { KnownHosts } from '../ssh/known-hosts.js';
import { fetchEvidenceOverSsh } from '../ssh/fetch-evidence.js';
import { fetchEvidenceOverHttps } from './https-evidence.js';

export interface AcquireEvidenceOptions {
  knownHosts: KnownHosts;
  /** false: ask for evidence without a fresh nonce (nothing then proves it is recent). */
  nonce?: boolean;
  /** Extra trust anchors (PEM) for an HTTPS endpoint; TLS verification stays on. */
  ca?: string;
  timeoutMs?: number;
  maxBytes?: number;
  /** The SSH key file's passphrase, or the HTTPS endpoint's bearer token (from the secret store; never logged). */
  passphrase?: string;
  token?: string;
  /** Aborts the fetch (CANCELLED): the connection is closed at once. */
  signal?: AbortSignal;
  /** Environment for an SSH collector (the tests' configfs-tsm stand-in). */
  env?: Record<string, string>;
}

export interface AcquiredEvidence {
  source: string;
  evidence: Uint8Array;
  /** Collateral that travelled with the evidence: only ever AMD certificates (configfs-tsm's SNP certificate table, Azure's THIM VCEK and chain). */
  collateral: CollateralFile[];
  /** Event logs, a vTPM quote, Azure's TD quote: parts of the evidence the verifier checks against it. */
  attachments: CollectedAttachment[];
  /** What the user should know about the answer: what could not be collected and why, collateral the target sent that was ignored. */
  notes: string[];
  /** The fresh nonce REPORT_DATA must begin with, when one was sent. */
  nonce?: Uint8Array;
  provider?: string;
  elapsedMs: number;
}

/** Evidence from a live target, bound to a fresh 64-byte nonce unless the caller opts out. */
export async function acquireEvidence(source: EvidenceSource, o: AcquireEvidenceOptions): Promise<AcquiredEvidence> {
  const started = performance.now();
  const nonce = o.nonce === false ? undefined : new Uint8Array(randomBytes(64));
  const common = {
    ...(nonce ? { nonce } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.maxBytes ? { maxBytes: o.maxBytes } : {}),
  };
  const split = await fetchOutput(source, o, common).catch((e: unknown) => Promise.reject(sanitized(e)));
  const { kept, notes } = onlyCertTables(split.collateral);
  return {
    source: sourceLabel(source),
    evidence: split.evidence,
    collateral: kept,
    attachments: split.attachments,
    notes: [...split.notes, ...notes],
    ...(nonce ? { nonce } : {}),
    ...(split.provider ? { provider: escapeControls(split.provider.slice(0, 64)) } : {}),
    elapsedMs: performance.now() - started,
  };
}

type Common = { nonce?: Uint8Array; signal?: AbortSignal; timeoutMs?: number; maxBytes?: number };

/** What the target answered, split into evidence, collateral, attachments and notes. */
async function fetchOutput(source: EvidenceSource, o: AcquireEvidenceOptions, common: Common): Promise<Collected> {
  if (source.kind === 'https') {
    const answer = await fetchEvidenceOverHttps(source, { ...common, ...(o.ca ? { ca: o.ca } : {}), ...(o.token ? { token: o.token } : {}) });
    return { ...splitCollected(answer.evidence), attachments: answer.attachments, notes: answer.notes };
  }
  return splitCollected(
    await fetchEvidenceOverSsh(
      {
        host: source.host,
        port: source.port,
        user: source.user,
        ...(source.identityFile ? { identityFile: source.identityFile } : {}),
        ...(o.passphrase ? { passphrase: o.passphrase } : {}),
      },
      { knownHosts: o.knownHosts, ...common, ...(source.collector ? { collector: source.collector } : {}), ...(o.env ? { env: o.env } : {}) },
    ),
  );
}

export const IGNORED_COLLATERAL_NOTE =
  'the target sent collateral other than AMD certificates (an SNP certificate table, a VCEK chain); ignored: collateral is taken only from PCS, the cache or your files';

/**
 * A target vouching for itself must not choose its DCAP collateral: a compromised one could serve old
 * TCB info or CRLs that hide a TCB recovery or a revocation. Only AMD certificates are taken: the
 * SEV-SNP certificate table (the host's VCEK/VLEK, ASK, ARK) or, on Azure, the VCEK and chain from IMDS
 * as PEM. They chain to AMD's pinned roots whatever their source; no CRL or TCB document is taken.
 */
export function onlyCertTables(files: readonly CollateralFile[]): { kept: CollateralFile[]; notes: string[] } {
  const kept = files.filter((f) => isCertTable(f.bytes) || isAmdPemChain(f.bytes));
  return { kept, notes: kept.length < files.length ? [IGNORED_COLLATERAL_NOTE] : [] };
}

/** AMD's SEV certificate names: VCEK/VLEK, the ASK/ASVK (SEV-<product>) and the ARK. */
const AMD_CN = /^(SEV-VCEK|SEV-VLEK|SEV-[A-Za-z]+|ASVK-[A-Za-z]+|ARK-[A-Za-z]+)$/;

/** PEM holding only certificates, each an AMD SEV certificate by name and issued by one (no CRL, no other block). */
function isAmdPemChain(bytes: Uint8Array): boolean {
  try {
    const blocks = pemBlocks(new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'MALFORMED_COLLATERAL');
    if (blocks.length === 0 || blocks.length > 4 || blocks.some((b) => b.label !== 'CERTIFICATE')) return false;
    return blocks.every((b) => {
      const c = parseCertificate(b.der, 'MALFORMED_COLLATERAL');
      return AMD_CN.test(c.subject.cn ?? '') && AMD_CN.test(c.issuer.cn ?? '');
    });
  } catch {
    return false;
  }
}

function isCertTable(bytes: Uint8Array): boolean {
  if (!looksLikeCertTable(bytes)) return false;
  try {
    return parseCertTable(bytes).length > 0;
  } catch {
    return false;
  }
}

/** Error texts may quote the remote side (a collector's stderr, an agent's answer): escaped before anyone prints them. */
function sanitized(e: unknown): TeeError {
  const err = toTeeError(e, 'FETCH_FAILED');
  const clean = escapeControls(err.message, { multiline: true });
  return clean === err.message ? err : new TeeError(err.code, clean, { ...err.detail });
}
