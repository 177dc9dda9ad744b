import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { inspectEventLog } from '../../app/tee/eventlog/inspect.js';
import { parseEventLog } from '../../app/tee/eventlog/parse.js';
import { variableParts } from '../../app/tee/eventlog/decode/variable.js';
import { x509Signatures } from '../../app/tee/eventlog/decode/signature-list.js';
import { toHex } from '../../app/bytes/hex.js';
import { nodeCryptoProvider } from '../../main/node-crypto.js';

/** Known answers from google/go-eventlog (see test/fixtures/go-eventlog/PROVENANCE.md for each value's test). */
const crypto = nodeCryptoProvider();
const DIR = new URL('../fixtures/go-eventlog/', import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, DIR)));

/** tpmeventlog/extract_test.go: the SHA-256 banks and ExpectedEFIAppDigests (SHA-256 and SHA-384). */
const TPM: Record<string, { pcrs: Record<number, string>; apps256: string[]; apps384: string[] }> = {
  'rhel8-uefi.bin': {
    pcrs: {
      0: '24af52a4f429b71a3184a6d64cddad17e54ea030e2aa6576bf3a5a3d8bd3328f',
      1: '454220afaa80c83c3839f6cccd8b3c88bf4f562316a9dda1121c578c9e005a53',
      2: '3d458cfe55cc03ea1f443f1562beec8df51c75e14a9fcf9a7234a13f198e7969',
      3: '3d458cfe55cc03ea1f443f1562beec8df51c75e14a9fcf9a7234a13f198e7969',
      4: '758a3d35f1b0ff5b135dacd07db0c8132c0ac665d944090d4bf96e66447a245c',
      5: '53d0ee36163219201e686167bbb71ec505b3ba2917b9d9183ed84aad26cfeb89',
      6: '3d458cfe55cc03ea1f443f1562beec8df51c75e14a9fcf9a7234a13f198e7969',
      7: '5fd54361d580eb7592adb8deb236ff35444ceeac7148f24b3de63c041f12b3da',
      8: '25c3874041ebd4e9a21b6ed71b624a7bfa99907a8dcea7f129a4c64cbaf5829a',
      9: 'd43b2f61eb18b4791812ff5f20ab20e4ef621ba683370bedf5dbdf518b3a8078',
      14: 'd8f57ebcc1a23cc46832696e1a657f720e1be8f5b405bb7204682114e363b455',
    },
    apps256: [
      '40d6cae02973789080cf4c3a9ad11b5a0a4d8bba4438ab96e276cc784454dee7',
      'e8a268c431da72caaae407f729f602b9dbf5d1d43492d4a51cc2b688a08586e3',
      'e4c0382f98feaebfd43923a85fd6da9a20e1a48524a4d5928c31850ca1a96a6e',
    ],
    apps384: [
      '66de9a210659294720af06838309fc1f4d0de82c646a62c1dd9f068cd331d2e05fd666377dbc11e84a796ce00108ab19',
      'c1d031b07446588fa50f4eec3d8520d99ed01f21350b9c581e13f4c5a8c712cb5e3cbecc41ccab74465543439f7eb1e6',
      'd844e63b32a73aadde4f78dda7cb7df73d75114f3a5964401847eb716142a06607ea95efee20f51283e85afca8da3afd',
    ],
  },
  'ubuntu-1804-amd-sev.bin': {
    pcrs: {
      0: '0f35c214608d93c7a6e68ae7359b4a8be5a0e99eea9107ece427c4dea4e439cf',
      1: 'add81cbc06b154716ac7bd5999c84cbc520184d57c58102657d270274508d9ce',
      2: '3d458cfe55cc03ea1f443f1562beec8df51c75e14a9fcf9a7234a13f198e7969',
      3: '3d458cfe55cc03ea1f443f1562beec8df51c75e14a9fcf9a7234a13f198e7969',
      4: 'b4b94e840fc9352e20bdb5b456b4c242af0fb146755b6935d8eda000ea368a31',
      5: '0b75168095fd6464ff1f9943b762ec009a3ae84c5e76cf67361e16b9db30d28e',
      6: '3d458cfe55cc03ea1f443f1562beec8df51c75e14a9fcf9a7234a13f198e7969',
      7: '61af3f499f1a86be54458fd30d193fa913a7e23ca3103fa3d0abaefd3cd4f9b8',
      8: 'c324da9d0c54252c37af697cdd58b066f2bb0f4a69752d27623bc738d02e9486',
      9: '2d334f1eeb9a16dabaccaa746ff1c0dce2e9aeb3f3a4a314e5e1e61b01e940d0',
    },
    apps256: ['2ea4cb6a1f1eb1d3dce82d54fde26ded243ba3e18de7c6d211902a594fe56788', '835f940e97bac2f7c171819b1fcc4bebe72a1c4ea7d7245088ef32d253085bb3'],
    apps384: [
      '9b2baf7073fd9b7df3091b69ae7e48453450ae7b5311b37de11b79da75f175b8b2ed69f7d39406501653b35cbe90a030',
      'b0a19b24395a4690eea97916483dc291a38c6023df20aa296d85064194cebe9097f6b5e8490fd57a4e6b01167a8c9c7c',
    ],
  },
  'ubuntu-2104-no-secure-boot.bin': {
    pcrs: {
      0: '24af52a4f429b71a3184a6d64cddad17e54ea030e2aa6576bf3a5a3d8bd3328f',
      1: '45ed8540f34db53220ef197e5fb8a3835b2095454349e445f397f13d91c509a5',
      2: '3d458cfe55cc03ea1f443f1562beec8df51c75e14a9fcf9a7234a13f198e7969',
      3: '3d458cfe55cc03ea1f443f1562beec8df51c75e14a9fcf9a7234a13f198e7969',
      4: 'ebc7ae25d0347868250995c9a8fff16bf79e048453262d0ef2756e213c76181c',
      5: '47715f9f2c10769da6ee23be5633fd88e247caf162f4eeb0b6f8482ccfeadfb5',
      6: '3d458cfe55cc03ea1f443f1562beec8df51c75e14a9fcf9a7234a13f198e7969',
      7: '0d8847bc5eca06452df10e2f214363845c7ac11d47525a5474e225e72ce25dfe',
      8: 'b9a324947de94ec2fd4b04483ecfcb37dfdd520a7c0ecf73c77bf2595549c84f',
      9: 'adb87be3efd96cc3a2f66b8aa7564f9727563ef494a95d571a3f38ff4afb25dd',
      14: '8351c65483c5419079e8c96758dd2130bee075d71fea226f68ec4eb5bfc71983',
    },
    apps256: ['6265b732b005b3f330bcd1843374e5ec6ec5aef27cdb97a23daeb8580abbf526', 'b0a836fec2faf4a9bea0e1a5f1945bc86ddc03ac98ce0ae172ed9b1e536d7595'],
    apps384: [
      '4f491210da8f59f09cd16523b44db22e83d8b611c3b14656d3b078dd451347ab195177fc78cf8d5578376f1f5f9bb821',
      'bbcdda8a6d872385b10802434eb8de1ac7b92dbaddf18bc1d7ea24fcc71b45291db5cc7b930a29c93405d6aecdb70683',
    ],
  },
  'cos-101-amd-sev.bin': {
    pcrs: {
      0: '0f35c214608d93c7a6e68ae7359b4a8be5a0e99eea9107ece427c4dea4e439cf',
      1: '6eb40f5b6bfafcb9914d486ce59404acd24bc13a6a3c45cda3b44c9d7053d638',
      2: '3d458cfe55cc03ea1f443f1562beec8df51c75e14a9fcf9a7234a13f198e7969',
      3: '3d458cfe55cc03ea1f443f1562beec8df51c75e14a9fcf9a7234a13f198e7969',
      4: '6d9f1a1d461cf77517e8d4c488c53f338a71c5a8e2b81ab7011c14f72cbc9a80',
      5: 'd1a1ab23a5c3d98fbacff3891bad42d8e9257d61e1f683f42c6c9fa949bf96c5',
      6: '3d458cfe55cc03ea1f443f1562beec8df51c75e14a9fcf9a7234a13f198e7969',
      7: '2bc6edaa921f953cec0ffb28dad4f87114886603d6a782036502d28e69d97a48',
      8: 'ebb7c847c4ade99849bcffca236d32331224a530087a7ae4cb9f7db4c2e571b5',
      9: 'b5ad662e5eb9165825ee39ad66e851a67a193e0b87b27858f25ac58afa72ac57',
      14: 'd0d95459205afae879514db7b85630f5d6b8272ed8c731bf92933dbc9fe99969',
    },
    apps256: [
      'c7ac5d44444affd8d4a7c5d3dea0ce20a71e05812fc18777a428d092f78ae3ff',
      'c5d3b47de11a9a2a4a15ef5cb7202d7800a10609c0dcecc46e3e963d476b76ce',
      'af4161084115c9d5c1872f4473fe974b535e3a9a767688293720ac2cc6f7f9a3',
      'af4161084115c9d5c1872f4473fe974b535e3a9a767688293720ac2cc6f7f9a3',
    ],
    apps384: [
      '72bf185794a865eb14fcdf93a2daa8ed281c932e2a7009d8489c38056389b3f3776d755ec703c95fb9c396f79dbd52c7',
      '5b38df39c7beec3bfd9c4cbd40c217bcbee190d1fa099a64c5f063d20efc3def26e48cbbd86d730c8eb4696a29759490',
      '968f2f6cb5bae537adfca30942803ddcda773bae368c042258e8818788265cd0e119936c9fcdb782785154a6705c5143',
      '968f2f6cb5bae537adfca30942803ddcda773bae368c042258e8818788265cd0e119936c9fcdb782785154a6705c5143',
    ],
  },
};

for (const [name, want] of Object.entries(TPM)) {
  test(`go-eventlog ${name}: the SHA-256 replay equals go-eventlog's PCRs and the boot applications its EFI app digests`, async () => {
    const view = await inspectEventLog(fixture(name), crypto);
    assert.equal(view.format, 'tcg');
    assert.deepEqual(view.banks!['SHA-256'], Object.fromEntries(Object.entries(want.pcrs).map(([i, v]) => [`pcr${i}`, v])));
    assert.equal(view.claims.bank, 'SHA-256');
    assert.deepEqual(view.claims.bootLoaderDigests, want.apps256);
    const apps = view.claims.sources.filter((s) => s.claim === 'bootLoaderDigests');
    assert.deepEqual(
      apps.map((s) => view.events[s.event]!.digests.find((d) => d.alg === 'SHA-384')!.digest),
      want.apps384,
      'the same events carry go-eventlog SHA-384 digests',
    );
    assert.ok(apps.every((s) => s.basis === 'logged-digest' && /unverified/.test(s.unverifiedDetail ?? '')));
    assert.deepEqual(view.claims.unverified, []);
  });
}

test('go-eventlog cos-101: the GRUB kernel command line is testdata.Cos101AmdSevCmdline (go keeps the NUL; the claim drops it)', async () => {
  const want = readFileSync(new URL('cos-101-cmdline.txt', DIR), 'utf8');
  const view = await inspectEventLog(fixture('cos-101-amd-sev.bin'), crypto);
  assert.equal(view.claims.kernelCmdline, want.replace(/\n$/, ''));
  assert.ok(view.claims.grubCommands!.length > 0, 'TestParseGRUBState: GRUB commands were run');
  const source = view.claims.sources.find((s) => s.claim === 'kernelCmdline')!;
  assert.deepEqual([source.register, source.basis], ['pcr8', 'digest-of-data']);
  assert.equal(view.claims.secureBoot, true);
});

test('go-eventlog ubuntu-1804: db holds the Microsoft Windows PCA 2011 and UEFI CA 2011 certificates and no hashes (TestParseSecureBootState)', async () => {
  const bytes = fixture('ubuntu-1804-amd-sev.bin');
  const view = await inspectEventLog(bytes, crypto);
  const dbAt = view.claims.sources.find((s) => s.claim === 'db')!.event;
  const decoded = view.events[dbAt]!.decoded;
  assert.equal(decoded.kind, 'efi-variable');
  assert.deepEqual(decoded.kind === 'efi-variable' && decoded.signatures, { x509: 2, sha256: 0, other: 0, lists: 2 });
  const dbData = variableParts(parseEventLog(bytes).events[dbAt]!.data).data;
  const certs = x509Signatures(dbData).map((c) => toHex(c));
  for (const file of ['MicWinProPCA2011_2011-10-19.crt', 'MicCorUEFCA2011_2011-06-27.crt']) assert.ok(certs.includes(toHex(fixture(file))), file);
  assert.equal(view.claims.db, createHash('sha256').update(dbData).digest('hex'));
});

test('go-eventlog: Secure Boot is on in the RHEL 8 log ("with Secure Boot enabled") and off in the Ubuntu 21.04 one ("Secure Boot disabled")', async () => {
  assert.equal((await inspectEventLog(fixture('rhel8-uefi.bin'), crypto)).claims.secureBoot, true);
  assert.equal((await inspectEventLog(fixture('ubuntu-2104-no-secure-boot.bin'), crypto)).claims.secureBoot, false);
});

test("go-eventlog CCEL (cos-113 TDX, duplicate separator): the replayed RTMRs equal ccel/cceventlog_test.go's COS113TDXUnpadded", async () => {
  const view = await inspectEventLog(fixture('cos-113-intel-tdx-dupe-separator-unpadded.bin'), crypto);
  assert.equal(view.format, 'ccel');
  assert.deepEqual(view.replayed, {
    rtmr0: 'a4de2df23e9611299123ba4359c42a5e578b0f8488bf1bba8ef5606d9ea5d81c97c064b482a5eac537d166bd0f0f752d',
    rtmr1: '0ee9366c928a77092f55e9e114c7394181fd264699155f0df77d23577618d5f650568a17d379355a07bd846e552f4e20',
    rtmr2: '4969684dc87381fc3b3134176c8d8806eaf0a901859f5f70cfae8d17714b46c10a8de219048c9fc09f11f381a6fbe7c1',
    rtmr3: '0'.repeat(96),
  });
  assert.equal(view.claims.bank, 'SHA-384');
  assert.match(view.claims.kernelCmdline!, /^\/syslinux\/vmlinuz\.A init=\/usr\/lib\/systemd\/systemd /);
  assert.equal(view.claims.sources.find((s) => s.claim === 'kernelCmdline')!.register, 'rtmr2');
  assert.equal(view.claims.secureBoot, false);
});
