import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseReferenceBytes, parseReferenceValues, REFERENCE_SCHEMA } from '../../app/appraisal/reference.js';
import { TeeError } from '../../app/errors.js';

const MRTD = '91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7';
const EXAMPLE = new URL('../../docs/examples/tdx-dcapqvl-v4.reference.json', import.meta.url);

type Json = Record<string, any>;
function file(set: Json = {}, top: Json = {}): Json {
  return { schema: REFERENCE_SCHEMA, name: 'test', sets: [{ name: 'td', technology: 'tdx', claims: { mrTd: [MRTD] }, ...set }], ...top };
}

test('a good file: values normalised, defaults applied, minimums per component', () => {
  const ref = parseReferenceValues(
    file(
      {
        note: 'n',
        claims: { mrTd: [MRTD.toUpperCase(), '00'.repeat(48)], rtmr3: ['00'.repeat(48)] },
        minimum: { teeTcbSvn: [6, 1] },
        allowedTcbStatuses: ['UpToDate', 'SWHardeningNeeded'],
      },
      { note: 'file note' },
    ),
  );
  assert.equal(ref.name, 'test');
  assert.equal(ref.note, 'file note');
  const set = ref.sets[0]!;
  assert.deepEqual(set.claims, { mrTd: [MRTD, '00'.repeat(48)], rtmr3: ['00'.repeat(48)] });
  assert.equal(set.allowDebug, false);
  assert.deepEqual(set.allowedTcbStatuses, ['UpToDate', 'SWHardeningNeeded']);
  assert.deepEqual(set.minimum, [{ claim: 'teeTcbSvn', form: 'svn16', min: [6, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] }]);
  assert.equal(parseReferenceValues(file({ minimum: { teeTcbSvn: '0601' + '00'.repeat(14) } })).sets[0]!.minimum[0]!.min[1], 1);
});

test('SGX and SEV-SNP sets: integer claims and minimums', () => {
  const ref = parseReferenceValues({
    schema: REFERENCE_SCHEMA,
    name: 'mixed',
    sets: [
      {
        name: 'enclave',
        technology: 'sgx',
        claims: { mrSigner: ['aa'.repeat(32)], isvProdId: [0, 1] },
        minimum: { isvSvn: 3, configSvn: 0 },
        allowDebug: true,
      },
      {
        name: 'vm',
        technology: 'sev-snp',
        claims: { measurement: ['bb'.repeat(48)], vmpl: [0] },
        minimum: { reportedTcb: { bootloader: 3, snp: 8, microcode: 115 } },
      },
    ],
  });
  assert.deepEqual(ref.sets[0]!.claims.isvProdId, ['0', '1']);
  assert.equal(ref.sets[0]!.allowDebug, true);
  assert.deepEqual(
    ref.sets[0]!.minimum.map((m) => `${m.claim}>=${m.min[0]}`),
    ['isvSvn>=3', 'configSvn>=0'],
  );
  assert.deepEqual(
    ref.sets[1]!.minimum.map((m) => m.claim),
    ['reportedTcb.bootloader', 'reportedTcb.snp', 'reportedTcb.microcode'],
  );
});

test('the documented example file parses', () => {
  const ref = parseReferenceBytes(new Uint8Array(readFileSync(EXAMPLE)));
  assert.equal(ref.sets.length, 1);
  assert.equal(ref.sets[0]!.technology, 'tdx');
  assert.deepEqual(ref.sets[0]!.claims.mrTd, [MRTD]);
});

const BAD: [string, Json | unknown, string, RegExp][] = [
  ['not an object', [], '$', /must be a JSON object/],
  [
    'no schema',
    (() => {
      const f = file();
      delete f.schema;
      return f;
    })(),
    '$.schema',
    /must be a string/,
  ],
  ['wrong schema', file({}, { schema: 'tee-inspect/reference/v2' }), '$.schema', /must be "tee-inspect\/reference\/v1"/],
  ['unknown top-level member', file({}, { extra: 1 }), '$.extra', /is not a tee-inspect\/reference\/v1 member/],
  ['empty name', file({}, { name: ' ' }), '$.name', /non-empty/],
  ['note not a string', file({}, { note: 3 }), '$.note', /must be a string/],
  ['sets not an array', file({}, { sets: {} }), '$.sets', /must be an array/],
  ['no sets', file({}, { sets: [] }), '$.sets', /at least one reference set/],
  ['set not an object', file({}, { sets: ['x'] }), '$.sets[0]', /must be a JSON object/],
  ['misspelt set member', file({ allowDebg: true }), '$.sets[0].allowDebg', /not a .* member here; expected name, note, technology/],
  ['unknown technology', file({ technology: 'TDX' }), '$.sets[0].technology', /one of sgx, tdx, sev-snp/],
  [
    'no claims',
    (() => {
      const f = file();
      delete f.sets[0].claims;
      return f;
    })(),
    '$.sets[0].claims',
    /must be a JSON object/,
  ],
  ['empty claims', file({ claims: {} }), '$.sets[0].claims', /at least one claim/],
  ['misspelt claim', file({ claims: { mrtd: [MRTD] } }), '$.sets[0].claims.mrtd', /not a tdx claim; use one of mrTd/],
  [
    'inherited name as a claim',
    JSON.parse(`{"schema":"${REFERENCE_SCHEMA}","name":"x","sets":[{"name":"s","technology":"tdx","claims":{"__proto__":["00"]}}]}`),
    '$.sets[0].claims.__proto__',
    /not a tdx claim/,
  ],
  ['inherited name as a minimum', file({ minimum: { toString: 1 } }), '$.sets[0].minimum.toString', /not a tdx minimum/],
  ['claim of another technology', file({ claims: { mrEnclave: ['aa'.repeat(32)] } }), '$.sets[0].claims.mrEnclave', /not a tdx claim/],
  ['claim as a bare string', file({ claims: { mrTd: MRTD } }), '$.sets[0].claims.mrTd', /must be an array of allowed values/],
  ['empty value list', file({ claims: { mrTd: [] } }), '$.sets[0].claims.mrTd', /1 to 1024 allowed values/],
  ['truncated hex', file({ claims: { mrTd: [MRTD.slice(0, 95)] } }), '$.sets[0].claims.mrTd[0]', /48 bytes \(96 hex digits\), not 95 digits/],
  ['0x prefix', file({ claims: { mrTd: [MRTD, '0x' + MRTD.slice(2)] } }), '$.sets[0].claims.mrTd[1]', /without a 0x prefix/],
  ['separators', file({ claims: { xfam: ['e7:02:06:00:00:00:00:00'] } }), '$.sets[0].claims.xfam[0]', /only hex digits/],
  ['value not a string', file({ claims: { mrTd: [42] } }), '$.sets[0].claims.mrTd[0]', /string of 96 hex digits/],
  ['repeated value', file({ claims: { mrTd: [MRTD, MRTD.toUpperCase()] } }), '$.sets[0].claims.mrTd[1]', /repeats an earlier value/],
  [
    'integer claim as string',
    { schema: REFERENCE_SCHEMA, name: 'x', sets: [{ name: 's', technology: 'sgx', claims: { isvProdId: ['0'] } }] },
    '$.sets[0].claims.isvProdId[0]',
    /integer from 0 to 65535/,
  ],
  ['minimum of another technology', file({ minimum: { isvSvn: 1 } }), '$.sets[0].minimum.isvSvn', /not a tdx minimum; use teeTcbSvn/],
  ['teeTcbSvn too short', file({ minimum: { teeTcbSvn: '0601' } }), '$.sets[0].minimum.teeTcbSvn', /16 bytes of hex/],
  ['teeTcbSvn component out of range', file({ minimum: { teeTcbSvn: [6, 256] } }), '$.sets[0].minimum.teeTcbSvn[1]', /integer from 0 to 255/],
  ['teeTcbSvn with 17 components', file({ minimum: { teeTcbSvn: new Array(17).fill(0) } }), '$.sets[0].minimum.teeTcbSvn', /1 to 16 integers/],
  [
    'negative isvSvn',
    { schema: REFERENCE_SCHEMA, name: 'x', sets: [{ name: 's', technology: 'sgx', claims: { isvProdId: [0] }, minimum: { isvSvn: -1 } }] },
    '$.sets[0].minimum.isvSvn',
    /integer from 0 to 65535/,
  ],
  [
    'unknown reportedTcb part',
    { schema: REFERENCE_SCHEMA, name: 'x', sets: [{ name: 's', technology: 'sev-snp', claims: { vmpl: [0] }, minimum: { reportedTcb: { ucode: 1 } } }] },
    '$.sets[0].minimum.reportedTcb.ucode',
    /bootloader, tee, snp, microcode/,
  ],
  ['Revoked allowed', file({ allowedTcbStatuses: ['Revoked'] }), '$.sets[0].allowedTcbStatuses[0]', /cannot be Revoked/],
  ['unknown status', file({ allowedTcbStatuses: ['UpToDate', 'Uptodate'] }), '$.sets[0].allowedTcbStatuses[1]', /must be one of UpToDate/],
  ['empty status list', file({ allowedTcbStatuses: [] }), '$.sets[0].allowedTcbStatuses', /at least one status/],
  ['allowDebug not boolean', file({ allowDebug: 'yes' }), '$.sets[0].allowDebug', /true or false/],
  ['repeated set name', file({}, { sets: [file().sets[0], file().sets[0]] }), '$.sets[1].name', /repeats the set name "td"/],
];

for (const [what, json, path, message] of BAD) {
  test(`refused, naming ${path}: ${what}`, () => {
    assert.throws(
      () => parseReferenceValues(json),
      (e: unknown) => {
        assert.ok(e instanceof TeeError);
        assert.equal(e.code, 'MALFORMED_REFERENCE');
        assert.equal(e.detail.field, path);
        assert.ok(e.message.startsWith(`${path} `), e.message);
        assert.match(e.message, message);
        return true;
      },
    );
  });
}

test('bytes that are not UTF-8 JSON are MALFORMED_REFERENCE at $', () => {
  for (const bytes of [new TextEncoder().encode('{"schema": '), Uint8Array.of(0xff, 0xfe, 0x7b)]) {
    assert.throws(
      () => parseReferenceBytes(bytes),
      (e: unknown) => e instanceof TeeError && e.code === 'MALFORMED_REFERENCE' && e.detail.field === '$' && /not UTF-8 JSON/.test(e.message),
    );
  }
});
