import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseHclReport, VAR_DATA_OFFSET, IGVM_DATA_OFFSET } from '../../app/tee/azure-vtpm/hcl.js';
import { parseRuntimeData } from '../../app/tee/azure-vtpm/runtime-data.js';
import { rsaJwkToSpki } from '../../app/tee/azure-vtpm/jwk.js';
import { azureEnvelope } from '../../app/tee/azure-vtpm/envelopes.js';
import { parseTpmQuoteJson } from '../../app/tee/tpm/quote-json.js';
import { TeeError } from '../../app/errors.js';
import { vectorBytes } from '../support/vectors.js';

const HCL = vectorBytes('azure/snp-milan-hcl-report.bin');
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/trustee-az-vtpm/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const setU32 = (b: Uint8Array, at: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint32(at, v, true);
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof TeeError ? `${e.code}:${String(e.detail.field)}` : `THROWN:${String(e)}`;
  }
  return 'ok';
};

test('the real HCL report parses by its declared sizes (manifest fields: version 1, type 2, SHA-256, 1110 bytes)', () => {
  const h = parseHclReport(HCL);
  assert.deepEqual([h.version, h.kind, h.reportType, h.hashType, h.varData.length, h.reportSize, h.trailing], [1, 'snp', 2, 1, 1110, 2346, 254]);
  assert.equal(h.hwReport.length, 1184);
  assert.equal(createHash('sha256').update(h.varData).digest('hex'), 'b3fbad6514c83caeb0380882145e49f794229ef37c421b91fc47ff93556bafac');
  assert.equal(VAR_DATA_OFFSET, 0x4d4);
});

test('short, inconsistent and unsupported HCL reports are typed errors naming the field', () => {
  assert.equal(
    code(() => parseHclReport(HCL.subarray(0, 100))),
    'MALFORMED_EVIDENCE:hcl.hwReport',
  );
  assert.equal(
    code(() => parseHclReport(HCL.subarray(0, VAR_DATA_OFFSET + 10))),
    'MALFORMED_EVIDENCE:hcl.variableData',
  );
  const sized = Uint8Array.from(HCL);
  setU32(sized, 8, 2000);
  assert.equal(
    code(() => parseHclReport(sized)),
    'MALFORMED_EVIDENCE:hcl.reportSize',
  );
  const data = Uint8Array.from(HCL);
  setU32(data, IGVM_DATA_OFFSET, 7);
  assert.equal(
    code(() => parseHclReport(data)),
    'MALFORMED_EVIDENCE:hcl.dataSize',
  );
  const huge = Uint8Array.from(HCL);
  setU32(huge, IGVM_DATA_OFFSET + 16, 0xffffffff);
  assert.equal(
    code(() => parseHclReport(huge)),
    'MALFORMED_EVIDENCE:hcl.variableDataSize',
  );
  const sha384 = Uint8Array.from(HCL);
  setU32(sha384, IGVM_DATA_OFFSET + 12, 2);
  assert.equal(
    code(() => parseHclReport(sha384)),
    'UNSUPPORTED_EVIDENCE:hcl.reportDataHashType',
  );
  const type = Uint8Array.from(HCL);
  setU32(type, IGVM_DATA_OFFSET + 8, 3);
  assert.equal(
    code(() => parseHclReport(type)),
    'UNSUPPORTED_EVIDENCE:hcl.reportType',
  );
  const magic = Uint8Array.from(HCL);
  magic[0] = 0x58;
  assert.equal(
    code(() => parseHclReport(magic)),
    'MALFORMED_EVIDENCE:hcl.signature',
  );
});

test('runtime data: HCLAkPub as SPKI equals what node makes of the JWK; settings and user-data are read', () => {
  const h = parseHclReport(HCL);
  const rt = parseRuntimeData(h.varData);
  const doc = JSON.parse(new TextDecoder().decode(h.varData)) as { keys: { kid: string }[] };
  const jwk = doc.keys.find((k) => k.kid === 'HCLAkPub')!;
  const node = new Uint8Array(createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'der' }));
  assert.deepEqual(rt.akSpki, node);
  assert.deepEqual(rt.keyIds, ['HCLAkPub', 'HCLEkPub']);
  assert.equal(rt.vmConfiguration['secure-boot'], true);
  assert.equal(rt.userData?.length, 64);
  assert.equal(
    code(() => parseRuntimeData(new TextEncoder().encode('{"keys":[]}'))),
    'MALFORMED_EVIDENCE:runtimeData.keys',
  );
  assert.equal(
    code(() => parseRuntimeData(new TextEncoder().encode('{"keys":'))),
    'MALFORMED_EVIDENCE:runtimeData',
  );
  assert.equal(
    code(() => parseRuntimeData(new TextEncoder().encode('{"keys":[{"kid":"HCLAkPub","kty":"EC"}]}'))),
    'MALFORMED_EVIDENCE:keys.HCLAkPub',
  );
});

test('rsaJwkToSpki matches node for RSA keys of several sizes and exponents (differential)', () => {
  for (const [bits, e] of [
    [1024, 65537],
    [2048, 3],
    [3072, 65537],
    [4096, 65537],
  ] as const) {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: e });
    const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
    assert.deepEqual(rsaJwkToSpki(jwk, 'k'), new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })), `${bits}/${e}`);
  }
  assert.equal(
    code(() => rsaJwkToSpki({ kty: 'RSA', n: 'AQAB', e: 'AQAB' }, 'k')),
    'MALFORMED_EVIDENCE:k.n',
  );
  assert.equal(
    code(() => rsaJwkToSpki({ kty: 'RSA', n: 'B'.repeat(400), e: 'AAAA' }, 'k')),
    'MALFORMED_EVIDENCE:k.e',
  );
  assert.equal(
    code(() => rsaJwkToSpki({ kty: 'RSA', n: 'a+b/', e: 'AQAB' }, 'k')),
    'MALFORMED_EVIDENCE:k.n',
  );
});

test('envelopes: SNP v0 (byte arrays, PEM), v1 (base64url, hex quote) and TDX v1 become the HCL report and its parts', () => {
  const enc = (o: unknown) => JSON.parse(JSON.stringify(o)) as object;
  const v0 = azureEnvelope(enc(JSON.parse(readFileSync(new URL('../../../shared/vectors/azure/snp-genoa-evidence.json', import.meta.url), 'utf8'))))!;
  assert.deepEqual(
    v0.parts.map((p) => [p.role, p.kind]),
    [
      ['tpm-quote', 'evidence'],
      ['certificate', 'collateral'],
      ['envelope', 'evidence'],
    ],
  );
  assert.match(new TextDecoder().decode(v0.parts[1]!.bytes), /BEGIN CERTIFICATE/);
  assert.equal(parseTpmQuoteJson(v0.parts[0]!.bytes).pcrs?.sha256?.['0'], 'afd689d0bb1c5f36f023fbaf574135f555a28a10c1f6b938d2a25e70c7783338');
  const v1 = azureEnvelope(fixture('snp-evidence-v1.json'))!;
  assert.equal(parseHclReport(v1.primary).kind, 'snp');
  assert.equal(v1.parts[1]!.bytes[0], 0x30, 'the VCEK is DER');
  const tdx = azureEnvelope(fixture('tdx-evidence-v1.json'))!;
  assert.deepEqual(
    tdx.parts.map((p) => p.role),
    ['tpm-quote', 'td-quote', 'envelope'],
  );
  assert.equal(parseHclReport(tdx.primary).kind, 'tdx');
  assert.equal(azureEnvelope({ quote: 'x' }), undefined);
  assert.equal(
    code(() => azureEnvelope({ version: 3, tpm_quote: {}, hcl_report: '', vcek: '' })),
    'UNSUPPORTED_EVIDENCE:version',
  );
  assert.equal(
    code(() => azureEnvelope({ version: 1, tpm_quote: { message: 1 }, hcl_report: 'SENMQQ', vcek: '' })),
    'MALFORMED_EVIDENCE:tpm_quote.message',
  );
});
