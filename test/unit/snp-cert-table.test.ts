import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCertTable, looksLikeCertTable } from '../../app/tee/snp/cert-table.js';
import { createVerifier } from '../../app/verifier.js';
import { AMD_ROOTS } from '../../app/roots/amd.js';
import { ParseError } from '../../app/errors.js';
import { vectorBytes } from '../support/vectors.js';
import { CERT_TABLE_GUID as GUID, certTable as table } from '../support/cert-table.js';

const vcek = vectorBytes('snp/trustee-milan-vcek.vcek.der');
const root = (cn: string) => AMD_ROOTS.find((r) => r.cn === cn)!.der;
const parseErr = (field: string) => (e: unknown) => e instanceof ParseError && e.code === 'MALFORMED_COLLATERAL' && e.detail.field === field;

test('VCEK, ASK and ARK entries come back by kind; unknown GUIDs are skipped', () => {
  const t = table([
    [GUID.ARK, root('ARK-Milan')],
    [GUID.OTHER, Uint8Array.of(1, 2, 3)],
    [GUID.ASK, root('SEV-Milan')],
    [GUID.VCEK, vcek],
  ]);
  const entries = parseCertTable(t);
  assert.deepEqual(
    entries.map((e) => e.kind),
    ['ARK', 'ASK', 'VCEK'],
  );
  assert.deepEqual(entries[2]!.der, vcek);
  assert.equal(looksLikeCertTable(t), true);
  assert.deepEqual(parseCertTable(table([])), [], 'only the terminator');
});

test('bounds: an entry pointing into the header or past the end, and a table without terminator, are refused', () => {
  assert.throws(() => parseCertTable(table([[GUID.VCEK, vcek]], (h) => h.writeUInt32LE(8, 16))), parseErr('certTable[0]'));
  assert.throws(() => parseCertTable(table([[GUID.VCEK, vcek]], (h) => h.writeUInt32LE(0xffffffff, 20))), parseErr('certTable[0]'));
  assert.throws(() => parseCertTable(table([[GUID.VCEK, vcek]], (h) => h.writeUInt32LE(0xfffffff0, 16))), parseErr('certTable[0]'));
  assert.throws(() => parseCertTable(table([[GUID.VCEK, vcek]]).subarray(0, 40)), parseErr('certTable[1].offset'));
  const endless = new Uint8Array(24 * 70);
  for (let i = 0; i < 70; i++) endless.set(Buffer.from(GUID.OTHER, 'hex'), 24 * i);
  assert.throws(() => parseCertTable(endless), parseErr('certTable'));
});

test('a table with VCEK, ASK and ARK verifies the report; the ARK in it is not trusted by being there', async () => {
  const at = new Date('2024-07-03T13:10:40Z');
  const report = vectorBytes('snp/trustee-milan-vcek.report');
  const t = table([
    [GUID.VCEK, vcek],
    [GUID.ASK, root('SEV-Milan')],
    [GUID.ARK, root('ARK-Milan')],
  ]);
  const ok = await createVerifier().verify(report, [{ name: 'certs.bin', bytes: t }], { at });
  assert.equal(ok.verdict, 'verified', JSON.stringify(ok.errors));
  assert.deepEqual(ok.collateral[0]?.kinds, ['cert-table:VCEK', 'cert-table:ASK', 'cert-table:ARK']);
  const genoaOnly = await createVerifier({ roots: { intel: [], amd: [root('ARK-Genoa'), root('SEV-Genoa')] } }).verify(
    report,
    [{ name: 'certs.bin', bytes: t }],
    { at },
  );
  assert.equal(genoaOnly.errors[0]?.code, 'CERT_CHAIN_INVALID', "the table's ARK-Milan is not a pinned root here");
});

test('a table of unknown GUIDs only is not taken for AMD certificates', async () => {
  const t = table([[GUID.OTHER, Uint8Array.of(1)]]);
  assert.equal(looksLikeCertTable(t), false);
  const r = await createVerifier().verify(vectorBytes('snp/trustee-milan-vcek.report'), [{ name: 'x.bin', bytes: t }], {
    at: new Date('2024-07-03T13:10:40Z'),
  });
  assert.equal(r.inputs.find((i) => i.name === 'x.bin')?.role, 'ignored', 'an unrecognised file never blocks the verdict');
  assert.deepEqual(
    r.errors.map((e) => e.code),
    ['COLLATERAL_MISSING'],
    'and gives no VCEK',
  );
});

const pem = (der: Uint8Array, label = 'CERTIFICATE') =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')}\n-----END ${label}-----\n`;
const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

test('an entry holding one PEM CERTIFICATE block is taken as its DER (NUL padding after it aside) and verifies the report', async () => {
  const t = table([
    [GUID.VCEK, ascii(pem(vcek) + '\0\0\0')],
    [GUID.ASK, ascii(pem(root('SEV-Milan')))],
  ]);
  const entries = parseCertTable(t);
  assert.deepEqual(
    entries.map((e) => e.kind),
    ['VCEK', 'ASK'],
  );
  assert.deepEqual(entries[0]!.der, vcek);
  const r = await createVerifier().verify(vectorBytes('snp/trustee-milan-vcek.report'), [{ name: 'certs.bin', bytes: t }], {
    at: new Date('2024-07-03T13:10:40Z'),
  });
  assert.equal(r.verdict, 'verified', JSON.stringify(r.errors));
});

test('an entry that is neither DER nor exactly one PEM CERTIFICATE block is refused naming the entry', () => {
  const refused = (blob: Uint8Array, message: RegExp) =>
    assert.throws(
      () =>
        parseCertTable(
          table([
            [GUID.ASK, root('SEV-Milan')],
            [GUID.VCEK, blob],
          ]),
        ),
      (e: unknown) => parseErr('certTable[1]')(e) && message.test((e as Error).message),
      message.source,
    );
  refused(ascii(pem(vcek) + pem(vcek)), /holds 2 PEM blocks; exactly one CERTIFICATE block/);
  refused(ascii(pem(vcek, 'X509 CRL')), /holds a PEM "X509 CRL" block/);
  refused(ascii(`a note\n${pem(vcek)}`), /neither a DER certificate .* nor a PEM CERTIFICATE block/);
  refused(ascii(pem(vcek) + 'trailer'), /neither a DER certificate/);
  refused(Uint8Array.of(0x04, 0x01, 0x00), /neither a DER certificate/);
  assert.throws(
    () => parseCertTable(table([[GUID.VCEK, ascii(pem(vcek).replace('MII', 'M!I'))]])),
    (e: unknown) => e instanceof ParseError && e.code === 'MALFORMED_COLLATERAL',
    'a damaged PEM body',
  );
});
