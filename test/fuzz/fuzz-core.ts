import { TeeError } from '../../app/errors.js';
import { decodeEvidence } from '../../app/evidence/decode.js';
import { parseQuote } from '../../app/tee/dcap/quote.js';
import { parseSnpReport } from '../../app/tee/snp/report.js';
import { parseCertTable } from '../../app/tee/snp/cert-table.js';
import { parseVek } from '../../app/tee/snp/vek.js';
import { AMD_ROOTS } from '../../app/roots/amd.js';
import { VLEK_REPORT, VLEK_CERT, LEGACY_VCEK } from '../unit/snp-fixtures.js';
import { parseCertificate } from '../../app/pki/x509.js';
import { parseCrl } from '../../app/pki/crl.js';
import { pemBlocks } from '../../app/pki/pem.js';
import { topLevelSpans } from '../../app/json/signed-spans.js';
import { createVerifier } from '../../app/verifier.js';
import { parseTargetsBytes, targetSource } from '../../app/acquire/targets-file.js';
import { splitCollected } from '../../app/acquire/collected.js';
import { adapterEvidence } from '../../app/acquire/adapters.js';
import type { Prng } from '../support/prng.js';
import { parseEventLog } from '../../app/tee/eventlog/parse.js';
import { AZURE_FUZZ_TARGETS } from './targets-azure.js';
import { MEASURE_TDX_FUZZ_TARGETS } from './targets-measure-tdx.js';
import { MEASURE_SNP_FUZZ_TARGETS } from './targets-measure-snp.js';
import { pemText } from '../../app/collateral/percent.js';
import { splitAppendedCertTable } from '../../app/tee/snp/appended.js';
import { loadSuppliedCollateral } from '../../app/collateral/load.js';
import { PkiCache } from '../../app/pki/cache.js';
import { webCryptoProvider } from '../../app/crypto/webcrypto.js';
import { sevSerdeJson } from '../support/snp-evidence-json.js';
import { readdirSync, readFileSync } from 'node:fs';
import { verifiedDcapVectors, vectorBytes, collateralFiles, VECTORS_DIR } from '../support/vectors.js';
import { parseReport, parseReportBytes } from '../../app/report/parse.js';
import { parseRecheckInput } from '../../app/report/ear-read.js';
import { reportSeeds, spliceReport } from './report-seeds.js';

/**
 * Fuzz targets and input generators shared by the quick sample in `npm test` and `npm run fuzz`.
 * A target may return or throw TeeError; anything else (TypeError, RangeError, a hang) is a bug.
 */
export interface Seed {
  name: string;
  bytes: Uint8Array;
}

export function seeds(): { quotes: Seed[]; collateral: Seed[] } {
  const snp = ['snp/trustee-milan-vcek.report', 'snp/gosevguest-milan-vcek-debug.report'];
  const quotes = [...verifiedDcapVectors().map((v) => v.path), ...snp].map((p) => ({ name: p, bytes: vectorBytes(p) }));
  const collateral = verifiedDcapVectors().flatMap((v) => collateralFiles(v).map((f) => ({ name: f.name, bytes: f.bytes })));
  const raw = readdirSync(`${VECTORS_DIR}tdx/gotdx-pcs-2023`).map((f) => ({ name: f, bytes: vectorBytes(`tdx/gotdx-pcs-2023/${f}`) }));
  const vceks = ['snp/trustee-milan-vcek.vcek.der', 'snp/gosevguest-milan-vcek-debug.vcek.der'].map((p) => ({ name: p, bytes: vectorBytes(p) }));
  const amd = [
    { name: 'vlek.der', bytes: VLEK_CERT },
    { name: 'legacy-vcek.der', bytes: LEGACY_VCEK },
    { name: 'certs.bin', bytes: certTable(vceks[0]!.bytes) },
  ];
  const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  // Acquisition inputs: a targets file, a configfs-tsm collector answer, the agents' JSON answers.
  const acquisition = [
    { name: 'targets.json', bytes: new Uint8Array(readFileSync(new URL('../../docs/examples/targets.json', import.meta.url))) },
    { name: 'tsm.json', bytes: enc({ provider: 'sev_guest', quote: b64(VLEK_REPORT), auxblob: b64(certTable(vceks[0]!.bytes)) }) },
    { name: 'aa-tdx.json', bytes: enc({ cc_eventlog: null, quote: b64(quotes[0]!.bytes), aa_eventlog: null }) },
    { name: 'dstack.json', bytes: enc({ quote: Buffer.from(quotes[0]!.bytes).toString('hex'), event_log: '[]', report_data: '00', vm_config: '{}' }) },
  ];
  return {
    quotes: [...quotes, { name: 'vlek.report', bytes: VLEK_REPORT }, ...issue9Seeds(quotes, vceks)],
    collateral: [...collateral, ...raw, ...vceks, ...amd, ...acquisition, ...encodedChains(raw), ...REPORTS.seeds, ...measuredBootSeeds()],
  };
}

/** Forms added by issue 9: sev 6.x serde JSON, a report with its table appended, wrappers, sniffed formats. */
/** Issue 12: event logs (CC and TCG) and the Azure/TPM parts, for the parsers and the verifier with attachments. */
function measuredBootSeeds(): Seed[] {
  const logs = ['eventlog/gotdx-ccel-data.bin', 'eventlog/trustee-ccel-ovmf.bin'].map((p) => ({ name: p, bytes: vectorBytes(p).subarray(0, 16 * 1024) }));
  const tpm = { name: 'rhel8-uefi.bin', bytes: new Uint8Array(readFileSync(new URL('../fixtures/go-eventlog/rhel8-uefi.bin', import.meta.url))) };
  const azure = [...AZURE_FUZZ_TARGETS, ...MEASURE_TDX_FUZZ_TARGETS, ...MEASURE_SNP_FUZZ_TARGETS].flatMap((t) =>
    t.seeds().map((bytes, i) => ({ name: `${t.name}#${i}`, bytes })),
  );
  return [...logs, tpm, ...azure];
}

function issue9Seeds(quotes: Seed[], vceks: Seed[]): Seed[] {
  const report = vectorBytes('snp/trustee-milan-vcek.report');
  const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
  const b64 = Buffer.from(quotes[0]!.bytes).toString('base64');
  return [
    { name: 'sev-serde.json', bytes: new TextEncoder().encode(sevSerdeJson(report, null)) },
    { name: 'appended.bin', bytes: new Uint8Array([...report, ...certTable(vceks[0]!.bytes)]) },
    { name: 'gcp.json', bytes: enc({ tdx: { quote: b64 } }) },
    { name: 'phala.json', bytes: enc({ instances: [{ quote: Buffer.from(quotes[0]!.bytes).toString('hex') }] }) },
    { name: 'csv.json', bytes: enc({ attestation_report: { mnonce: [1] }, cert_chain: { hsk: {}, cek: {} } }) },
    ...[
      'azure/snp-milan-hcl-report.bin',
      'azure/snp-milan-evidence-v2.json',
      'tpm/trustee-tpm-evidence.json',
      'cca/cca-example-token.cbor',
      'eventlog/gotdx-ccel-table.bin',
    ].map((p) => ({ name: p, bytes: vectorBytes(p) })),
  ];
}

/** Issuer chains as the HTTP header carries them (percent-encoded PEM). */
function encodedChains(raw: Seed[]): Seed[] {
  return raw
    .filter((s) => s.name.endsWith('.pem'))
    .map((s) => ({ name: `${s.name}.urlencoded`, bytes: new TextEncoder().encode(encodeURIComponent(new TextDecoder().decode(s.bytes))) }));
}

/** An SNP_GET_EXT_REPORT certificate table: VCEK, ASK, ARK (Milan) and the all-zero terminator. */
function certTable(vcek: Uint8Array): Uint8Array {
  const blobs = [vcek, ...['SEV-Milan', 'ARK-Milan'].map((cn) => AMD_ROOTS.find((r) => r.cn === cn)!.der)];
  const guids = ['63da758de6644564adc5f4b93be8accd', '4ab7b379bbac4fe4a02f05aef327c782', 'c0b406a4a803495297433fb6014cd0ae'];
  const header = new Uint8Array(24 * 4);
  const dv = new DataView(header.buffer);
  let at = header.length;
  blobs.forEach((b, i) => {
    header.set(
      guids[i]!.match(/../g)!.map((h) => parseInt(h, 16)),
      24 * i,
    );
    dv.setUint32(24 * i + 16, at, true);
    dv.setUint32(24 * i + 20, b.length, true);
    at += b.length;
  });
  const out = new Uint8Array(at);
  out.set(header);
  let o = header.length;
  for (const b of blobs) out.set(b, (o += b.length) - b.length);
  return out;
}

/** A mutation of a real input: flips, overwrites with boundary values (lengths!), truncation, splices. */
export function mutate(r: Prng, input: Uint8Array): Uint8Array {
  const out = r.next() < 0.1 ? input.slice(0, r.int(input.length + 1)) : input.slice();
  const edits = 1 + r.int(4);
  for (let i = 0; i < edits && out.length > 0; i++) {
    const at = r.int(out.length);
    const kind = r.int(4);
    if (kind === 0) out[at] = out[at]! ^ (1 << r.int(8));
    else if (kind === 1) out[at] = [0x00, 0xff, 0x7f, 0x80, 0x01][r.int(5)]!;
    else if (kind === 2)
      out.fill(0xff, at, Math.min(out.length, at + 4)); // huge little-endian lengths
    else out[at] = r.int(256);
  }
  return out;
}

export function randomInput(r: Prng): Uint8Array {
  return r.bytes(r.int(r.next() < 0.9 ? 700 : 9000));
}

/** A real TDX report (and an EAR token carrying it), built once: seeds for the report targets. */
const REPORTS = await reportSeeds();

const sync: Record<string, (b: Uint8Array) => unknown> = {
  decodeEvidence,
  parseQuote,
  parseSnpReport,
  parseCertTable,
  parseVek: (b) => parseVek(parseCertificate(b)),
  parseCertificate: (b) => parseCertificate(b),
  parseCrl: (b) => parseCrl(b),
  pemBlocks: (b) => pemBlocks(new TextDecoder().decode(b), 'MALFORMED_COLLATERAL'),
  percentDecode: (b) => pemText(new TextDecoder().decode(b)),
  splitAppendedCertTable: (b) => splitAppendedCertTable(b),
  loadSuppliedCollateral: (b) => fuzzCollateralLoad(b),
  topLevelSpans,
  targetsFile: (b) => parseTargetsBytes(b).targets.map((t) => targetSource(t)),
  splitCollected: (b) => decodeEvidence(splitCollected(b).evidence),
  adapterEvidence: (b) =>
    ['coco-aa', 'dstack', 'template'].map((adapter) =>
      decodeEvidence(adapterEvidence({ kind: 'https', url: 'https://h/{nonce}', adapter: adapter as 'dstack' }, b)),
    ),
  // Reports and EAR tokens come from others: strict parsing must fail only with MALFORMED_REPORT-like TeeErrors.
  parseReport: (b) => parseReportBytes(b),
  recheckInput: (b) => parseRecheckInput(b),
  reportSplice: (b) => parseReport(spliceReport(REPORTS.json, b)),
  parseEventLog: (b) => parseEventLog(b),
  ...Object.fromEntries([...AZURE_FUZZ_TARGETS, ...MEASURE_TDX_FUZZ_TARGETS, ...MEASURE_SNP_FUZZ_TARGETS].map((t) => [t.name, (b: Uint8Array) => t.run(b)])),
};

export const TARGETS = Object.keys(sync);

const fuzzCache = new PkiCache(webCryptoProvider());

/** The tolerant loader must never throw for a user's file: an unusable one is recorded, and only our bugs are INTERNAL_ERROR. */
function fuzzCollateralLoad(b: Uint8Array): void {
  const set = loadSuppliedCollateral([{ name: 'fuzz', bytes: b }], fuzzCache);
  const internal = set.sources.find((s) => s.code === 'INTERNAL_ERROR');
  if (internal) throw new Error(`loadSuppliedCollateral recorded INTERNAL_ERROR: ${internal.note}`);
}

/** Runs one sync target; returns an error message when it failed in an untyped way. */
export function runSync(target: string, input: Uint8Array): string | undefined {
  try {
    sync[target]!(input);
  } catch (e) {
    if (!(e instanceof TeeError)) return `${target}: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`;
    if (e.code === 'INTERNAL_ERROR') return `${target}: INTERNAL_ERROR: ${e.message}`;
  }
  return undefined;
}

const verifier = createVerifier();
const at = new Date('2025-07-19T10:00:00Z');

const TD_QUOTE = vectorBytes('eventlog/gotdx-cos113-tdx.quote');
const HCL = vectorBytes('azure/snp-milan-hcl-report.bin');
const HCL_VCEK = { name: 'vcek.pem', bytes: vectorBytes('azure/snp-milan-vcek.pem') };

/** The pipeline with a mutated event log beside a TD quote and a mutated TPM quote beside an HCL report: a result, never a throw. */
export async function runVerifyParts(part: Uint8Array): Promise<string | undefined> {
  for (const [evidence, role, collateral] of [
    [TD_QUOTE, 'eventlog', []],
    [HCL, 'tpm-quote', [HCL_VCEK]],
  ] as const) {
    try {
      const r = await verifier.verify(evidence, [...collateral], { at, attachments: [{ role, name: 'part', bytes: part }] });
      const internal = r.checks.find((c) => c.code === 'INTERNAL_ERROR');
      if (internal) return `verify with a ${role} reported INTERNAL_ERROR: ${internal.explain}`;
    } catch (e) {
      return `verify with a ${role} threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`;
    }
  }
  return undefined;
}

/** The whole pipeline on a mutated quote and collateral: must always produce a result object, never throw. */
export async function runVerify(quote: Uint8Array, collateral: Seed[]): Promise<string | undefined> {
  try {
    const r = await verifier.verify(quote, collateral, { at });
    if (r.verdict === 'rejected' && r.errors.length === 0) return 'rejected without an error code';
    const internal = r.checks.find((c) => c.code === 'INTERNAL_ERROR') ?? r.errors.find((e) => e.code === 'INTERNAL_ERROR');
    if (internal) return `verify reported INTERNAL_ERROR: ${'explain' in internal ? internal.explain : internal.message}`;
  } catch (e) {
    return `verify threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`;
  }
  return undefined;
}
