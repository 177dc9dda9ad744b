import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEvent } from '../../app/tee/eventlog/decode/index.js';
import type { Decoded } from '../../app/tee/eventlog/decode/index.js';
import { guidText } from '../../app/tee/eventlog/decode/guid.js';
import { devicePathText } from '../../app/tee/eventlog/decode/device-path.js';
import { inspectEventLog } from '../../app/tee/eventlog/inspect.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';
import { vectorBytes } from '../support/vectors.js';

const ctx = { uintnSize: 2 };
const u16 = (v: number) => [v & 0xff, v >> 8];
const u32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24];
const u64 = (v: number) => [...u32(v), 0, 0, 0, 0];
const utf16 = (s: string) => [...s].flatMap((c) => u16(c.charCodeAt(0)));
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
/** EFI_GLOBAL_VARIABLE as stored: 8be4df61-93ca-11d2-aa0d-00e098032b8c. */
const GLOBAL = [0x61, 0xdf, 0xe4, 0x8b, 0xca, 0x93, 0xd2, 0x11, 0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c];
const node = (type: number, sub: number, body: number[]) => [type, sub, ...u16(body.length + 4), ...body];
const END = node(0x7f, 0xff, []);
const bytes = (a: number[]) => Uint8Array.from(a);
const variable = (name: string, data: number[]) => bytes([...GLOBAL, ...u64(name.length), ...u64(data.length), ...utf16(name), ...data]);

function as<K extends Decoded['kind']>(d: Decoded, kind: K): Extract<Decoded, { kind: K }> {
  assert.equal(d.kind, kind, d.summary);
  return d as Extract<Decoded, { kind: K }>;
}

test('GUIDs print mixed-endian: the first three fields little-endian, the rest as stored', () => {
  assert.equal(guidText(bytes(GLOBAL)), '8be4df61-93ca-11d2-aa0d-00e098032b8c');
});

test('UEFI_VARIABLE_DATA: SecureBoot 1 is enabled, 0 disabled, 0 bytes unknown', () => {
  const on = as(decodeEvent(0x80000001, variable('SecureBoot', [1]), ctx), 'efi-variable');
  assert.deepEqual([on.name, on.vendorGuid, on.enabled, on.summary], ['SecureBoot', '8be4df61-93ca-11d2-aa0d-00e098032b8c', true, 'SecureBoot: enabled']);
  assert.equal(as(decodeEvent(0x80000001, variable('SecureBoot', [0]), ctx), 'efi-variable').enabled, false);
  const empty = as(decodeEvent(0x80000001, variable('SecureBoot', []), ctx), 'efi-variable');
  assert.equal(empty.enabled, undefined);
  assert.match(empty.summary, /0 bytes \(expected 1\): state unknown/);
});

test('BootOrder is a list of UINT16; Boot#### an EFI_LOAD_OPTION with its description and device path', () => {
  assert.deepEqual(as(decodeEvent(0x80000002, variable('BootOrder', [...u16(2), ...u16(0x1a)]), ctx), 'efi-variable').bootOrder, ['Boot0002', 'Boot001A']);
  const path = [...node(2, 1, [...u32(0x0a0341d0), ...u32(0)]), ...node(1, 1, [0, 3]), ...node(4, 4, [...utf16('\\EFI\\BOOT\\BOOTX64.EFI'), 0, 0]), ...END];
  const option = [...u32(1), ...u16(path.length), ...utf16('My disk'), 0, 0, ...path, 0xaa];
  const d = as(decodeEvent(0x80000002, variable('Boot0003', option), ctx), 'efi-variable');
  assert.deepEqual(d.loadOption, {
    attributes: 1,
    active: true,
    description: 'My disk',
    devicePath: 'PciRoot(0x0)/Pci(0x3,0x0)/\\EFI\\BOOT\\BOOTX64.EFI',
    optionalDataSize: 1,
  });
});

test('device paths: HD, MAC, URI, FvFile/Fv, Offset, NVMe, and unknown nodes as Path(type,subtype,hex)', () => {
  const guid = GLOBAL;
  const hd = node(4, 1, [...u32(1), ...u64(0x800), ...u64(0x64000), ...guid, 2, 2]);
  assert.equal(devicePathText(bytes([...hd, ...END])), 'HD(1,GPT,8be4df61-93ca-11d2-aa0d-00e098032b8c,0x800,0x64000)');
  const mac = node(3, 11, [0x52, 0x54, 0, 0x12, 0x34, 0x56, ...new Array(26).fill(0), 1]);
  assert.equal(
    devicePathText(bytes([...mac, ...node(3, 24, ascii('http://10.0.0.1/boot.efi')), ...END])),
    'MAC(525400123456,0x1)/Uri(http://10.0.0.1/boot.efi)',
  );
  assert.equal(devicePathText(bytes([...node(4, 7, guid), ...node(4, 6, guid), ...END])), `Fv(${guidText(bytes(guid))})/FvFile(${guidText(bytes(guid))})`);
  assert.equal(devicePathText(bytes([...node(4, 8, [...u32(0), ...u64(0x1000), ...u64(0x1fff)]), ...END])), 'Offset(0x1000,0x1fff)');
  assert.equal(devicePathText(bytes([...node(3, 23, [...u32(1), 1, 2, 3, 4, 5, 6, 7, 8])])), 'NVMe(0x1,0102030405060708)');
  assert.equal(devicePathText(bytes([...node(9, 9, [0xde, 0xad]), ...END])), 'Path(9,9,dead)');
});

test('UEFI_IMAGE_LOAD_EVENT: location, length, link-time address and the device path as text', () => {
  const path = [...node(4, 4, [...utf16('kernel'), 0, 0]), ...END];
  const data = bytes([...u64(0x7c00), ...u64(4096), ...u64(0), ...u64(path.length), ...path]);
  const d = as(decodeEvent(0x80000003, data, ctx), 'image-load');
  assert.deepEqual([d.location, d.length, d.linkTimeAddress, d.devicePath], ['0x7c00', 4096, '0x0', 'kernel']);
  assert.equal(d.summary, 'kernel (4096 bytes at 0x7c00)');
});

test('EV_EVENT_TAG: the Linux EFI stub initrd and load-options tags; EV_IPL: GRUB prefixes and UTF-16 strings', () => {
  const tag = (id: number, text: string) => bytes([...u32(id), ...u32(text.length + 1), ...ascii(text), 0]);
  assert.equal(as(decodeEvent(6, tag(0x8f3b22ec, 'Linux initrd'), ctx), 'tagged').tag, 'initrd');
  assert.equal(as(decodeEvent(6, tag(0x8f3b22ed, 'LOADED_IMAGE::LoadOptions'), ctx), 'tagged').tag, 'load-options');
  assert.equal(as(decodeEvent(6, tag(0x1234, 'x'), ctx), 'tagged').tag, undefined);
  const grub = as(decodeEvent(13, bytes([...ascii('kernel_cmdline: ro quiet'), 0]), ctx), 'grub');
  assert.deepEqual([grub.role, grub.text, grub.prefix], ['kernel-cmdline', 'ro quiet', 'kernel_cmdline: ']);
  assert.equal(as(decodeEvent(13, bytes([...ascii('grub_cmd linux /vmlinuz'), 0]), ctx), 'grub').role, 'command');
  const wide = as(decodeEvent(13, bytes([...utf16('initrd=\\initrd.img'), 0, 0]), ctx), 'text');
  assert.deepEqual([wide.text, wide.encoding], ['initrd=\\initrd.img', 'utf-16le']);
});

test('separators, EFI actions, CRTM version, handoff tables and firmware blobs', () => {
  assert.equal(as(decodeEvent(4, bytes([0, 0, 0, 0]), ctx), 'separator').valid, true);
  assert.equal(as(decodeEvent(4, bytes([0xff, 0xff, 0xff, 0xff]), ctx), 'separator').summary, 'separator signalling an error (FFFFFFFF)');
  assert.equal(as(decodeEvent(4, bytes([1, 0, 0, 0]), ctx), 'separator').valid, false);
  assert.equal(as(decodeEvent(0x80000007, bytes(ascii('Exit Boot Services Invocation')), ctx), 'text').text, 'Exit Boot Services Invocation');
  assert.equal(as(decodeEvent(8, bytes([...utf16('GCE Virtual Firmware v1'), 0, 0]), ctx), 'text').text, 'GCE Virtual Firmware v1');
  const handoff = as(decodeEvent(0x8000000b, bytes([3, ...ascii('Tdx'), ...u64(1), ...GLOBAL, ...u64(0x1000)]), ctx), 'handoff-tables');
  assert.deepEqual([handoff.description, handoff.tables], ['Tdx', [{ guid: guidText(bytes(GLOBAL)), address: '0x1000' }]]);
  const blob = as(decodeEvent(0x80000008, bytes([...u64(0xffc00000), ...u64(0x400000)]), ctx), 'firmware-blob');
  assert.deepEqual([blob.base, blob.length], ['0xffc00000', '0x400000']);
});

test('truncated and inconsistent payloads are "not decodable: why", never a throw', () => {
  const cases: [number, Uint8Array][] = [
    [0x80000001, variable('SecureBoot', [1]).subarray(0, 40)],
    [0x80000003, bytes([1, 2, 3])],
    [0x80000006, bytes(ascii('EFI PART'))],
    [6, bytes([...u32(0x8f3b22ec), ...u32(100), 1])],
    [0x8000000b, bytes([200, 1, 2])],
    [0x80000001, bytes([...GLOBAL, ...u32(0), ...u32(0x7fffffff), ...u64(0)])],
  ];
  for (const [type, data] of cases) {
    const d = as(decodeEvent(type, data, ctx), 'undecodable');
    assert.match(d.summary, /^not decodable: .*\(field [\w.]+ at offset \d+\)$/);
  }
  const badList = as(decodeEvent(0x80000001, variable('PK', [1, 2, 3]), ctx), 'efi-variable');
  assert.match(badList.summary, /^PK: content not decodable: /, 'the variable name stays shown');
});

test('real logs: every event decodes (no "not decodable") and the summaries say what trustee parsed', async () => {
  const crypto = nodeCryptoProvider();
  for (const path of ['eventlog/gotdx-ccel-data.bin', 'eventlog/trustee-ccel-ovmf.bin', 'eventlog/trustee-ccel-td-shim.bin']) {
    const view = await inspectEventLog(vectorBytes(path), crypto);
    for (const e of view.events) assert.notEqual(e.decoded.kind, 'undecodable', `${path}: ${e.decoded.summary}`);
  }
  const ovmf = await inspectEventLog(vectorBytes('eventlog/trustee-ccel-ovmf.bin'), crypto);
  assert.equal(ovmf.events[0]!.decoded.summary, '"TdxTable": 1 table: 93bb96af-b9f2-4eb8-9462-e0ba74564236');
  assert.equal(as(ovmf.events[11]!.decoded, 'image-load').devicePath, 'VenMedia(1428f772-b64a-441e-b8c3-9ebdd7f893c7)/kernel');
  assert.equal(ovmf.events[13]!.decoded.summary.startsWith('Boot0000: "UiApp"'), true);
  const shim = await inspectEventLog(vectorBytes('eventlog/trustee-ccel-td-shim.bin'), crypto);
  assert.equal(as(shim.events[4]!.decoded, 'raw').label, 'td_payload_info');
});
