import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitAppendedCertTable } from '../../app/tee/snp/appended.js';
import { parseCertTable } from '../../app/tee/snp/cert-table.js';
import { createVerifier } from '../../app/verifier.js';
import { AMD_ROOTS } from '../../app/roots/amd.js';
import { vectorBytes } from '../support/vectors.js';
import { CERT_TABLE_GUID as GUID, certTable } from '../support/cert-table.js';

/** A real Milan report with the SNP_GET_EXT_REPORT certificate table (its real VCEK, AMD's ASK and ARK) appended. */
const at = new Date('2024-07-03T13:10:40Z');
const report = vectorBytes('snp/trustee-milan-vcek.report');
const vcek = vectorBytes('snp/trustee-milan-vcek.vcek.der');
const root = (cn: string) => AMD_ROOTS.find((r) => r.cn === cn)!.der;
const table = certTable([
  [GUID.VCEK, vcek],
  [GUID.ASK, root('SEV-Milan')],
  [GUID.ARK, root('ARK-Milan')],
]);
const joined = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

test('report + certificate table: split at the report size, the table feeds the verification', async () => {
  const page = joined(table, new Uint8Array(0x4000 - table.length)); // the table in its 4 KiB pages, zero-filled
  for (const tail of [table, page]) {
    const split = splitAppendedCertTable(joined(report, tail));
    assert.ok(split?.certTable, 'the table is recognised');
    assert.deepEqual(split.report, report);
    assert.deepEqual(split.certTable, tail);
    assert.deepEqual(
      parseCertTable(split.certTable).map((e) => e.kind),
      ['VCEK', 'ASK', 'ARK'],
    );
    const r = await createVerifier().verify(split.report, [{ name: 'report.bin#certs', bytes: split.certTable }], { at });
    assert.equal(r.verdict, 'verified', JSON.stringify(r.errors));
  }
});

test('zero padding after the report: the report alone; nothing after it: not split', () => {
  const padded = splitAppendedCertTable(joined(report, new Uint8Array(100)));
  assert.deepEqual(padded, { report });
  assert.equal(splitAppendedCertTable(report), undefined);
});

test('trailing bytes that are neither zeros nor a valid table, and inputs that are no report, are left alone', () => {
  const junk = joined(report, Uint8Array.of(1, 2, 3));
  assert.equal(splitAppendedCertTable(junk), undefined);
  const outOfBounds = certTable([[GUID.VCEK, vcek]], (h) => h.writeUInt32LE(1 << 30, 20));
  assert.equal(splitAppendedCertTable(joined(report, outOfBounds)), undefined, 'an entry past the end');
  assert.equal(splitAppendedCertTable(joined(report, certTable([[GUID.OTHER, Uint8Array.of(1)]]))), undefined, 'no AMD certificate in it');
  assert.equal(splitAppendedCertTable(joined(vectorBytes('tdx/dcapqvl-v4.quote'), table)), undefined, 'not an SEV-SNP report');
  const v4 = joined(report, table);
  v4[0] = 6;
  assert.equal(splitAppendedCertTable(v4), undefined, 'a version whose size the ABI does not define');
});

test('end to end: the verifier takes the appended table as collateral; junk after the report is only reported', async () => {
  const r = await createVerifier().verify(joined(report, table), [], { at });
  assert.equal(r.verdict, 'verified', JSON.stringify(r.errors));
  const junk = await createVerifier().verify(joined(report, Uint8Array.of(1, 2, 3)), [{ name: 'vcek.der', bytes: vcek }], { at });
  assert.equal(junk.verdict, 'verified');
  assert.match(junk.checks.find((c) => c.id === 'snp.report.format')!.explain, /3 bytes follow the report/);
});
