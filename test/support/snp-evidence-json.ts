/**
 * trustee's SnpEvidence JSON written from real report bytes, in the `sev` crate's serde shape (up to 3.x)
 * that the Confidential Containers attestation agent serves; `certChain` becomes its cert_chain.
 */
export function snpEvidenceJson(r: Uint8Array, certChain: unknown): string {
  const dv = new DataView(r.buffer, r.byteOffset, r.length);
  const arr = (o: number, n: number) => Array.from(r.subarray(o, o + n));
  const tcb = (o: number) => ({ bootloader: r[o], tee: r[o + 1], _reserved: arr(o + 2, 4), snp: r[o + 6], microcode: r[o + 7] });
  const doc = {
    attestation_report: {
      version: dv.getUint32(0, true),
      guest_svn: dv.getUint32(4, true),
      policy: Number(dv.getBigUint64(8, true)),
      family_id: arr(0x10, 16),
      image_id: arr(0x20, 16),
      vmpl: dv.getUint32(0x30, true),
      sig_algo: dv.getUint32(0x34, true),
      current_tcb: tcb(0x38),
      plat_info: Number(dv.getBigUint64(0x40, true)),
      _author_key_en: dv.getUint32(0x48, true),
      _reserved_0: dv.getUint32(0x4c, true),
      report_data: arr(0x50, 64),
      measurement: arr(0x90, 48),
      host_data: arr(0xc0, 32),
      id_key_digest: arr(0xe0, 48),
      author_key_digest: arr(0x110, 48),
      report_id: arr(0x140, 32),
      report_id_ma: arr(0x160, 32),
      reported_tcb: tcb(0x180),
      _reserved_1: arr(0x188, 24),
      chip_id: arr(0x1a0, 64),
      committed_tcb: tcb(0x1e0),
      current_build: r[0x1e8],
      current_minor: r[0x1e9],
      current_major: r[0x1ea],
      _reserved_2: r[0x1eb],
      committed_build: r[0x1ec],
      committed_minor: r[0x1ed],
      committed_major: r[0x1ee],
      _reserved_3: r[0x1ef],
      launch_tcb: tcb(0x1f0),
      _reserved_4: arr(0x1f8, 168),
      signature: { r: arr(0x2a0, 72), s: arr(0x2e8, 72), _reserved: arr(0x330, 368) },
    },
    cert_chain: certChain,
  };
  return JSON.stringify(doc);
}

/**
 * The same evidence as the `sev` crate 6.x/7.x serialises it (virtee/sev src/firmware/guest/types/snp.rs,
 * `#[derive(Serialize)] AttestationReport`): fields in the crate's order, its types (u8 and u32 as numbers,
 * `GuestPolicy`/`PlatformInfo`/`KeyInfo` newtypes as numbers, `Option<u8>`/`Option<u64>` as null or a
 * number, `Version {major, minor, build}`, `TcbVersion {fmc, bootloader, tee, snp, microcode}`,
 * `Signature {r, s}`), no reserved fields. Decoding follows the crate's `Decoder`: version 2 has no CPUID,
 * versions 3 and 4 have CPUID, 5 and later the mitigation vectors; the TCB layout is Turin's when CPUID says
 * family 1Ah (v3+) or, for v2, when CHIP_ID[8..64] is zero (the crate's `chip_id_is_turin_like`).
 */
export function sevSerdeReport(r: Uint8Array): Record<string, unknown> {
  const dv = new DataView(r.buffer, r.byteOffset, r.length);
  const arr = (o: number, n: number) => Array.from(r.subarray(o, o + n));
  const version = dv.getUint32(0, true);
  const v3 = version >= 3;
  const v5 = version >= 5;
  const turin = v3 ? r[0x188] === 0x1a : r.subarray(0x1a8, 0x1e0).every((b) => b === 0) && r.subarray(0x1a0, 0x1a8).some((b) => b !== 0);
  const tcb = (o: number) =>
    turin
      ? { fmc: r[o], bootloader: r[o + 1], tee: r[o + 2], snp: r[o + 3], microcode: r[o + 7] }
      : { fmc: null, bootloader: r[o], tee: r[o + 1], snp: r[o + 6], microcode: r[o + 7] };
  const ver = (o: number) => ({ major: r[o + 2], minor: r[o + 1], build: r[o] });
  const u64 = (o: number) => Number(dv.getBigUint64(o, true));
  return {
    version,
    guest_svn: dv.getUint32(4, true),
    policy: u64(0x08),
    family_id: arr(0x10, 16),
    image_id: arr(0x20, 16),
    vmpl: dv.getUint32(0x30, true),
    sig_algo: dv.getUint32(0x34, true),
    current_tcb: tcb(0x38),
    plat_info: u64(0x40),
    key_info: dv.getUint32(0x48, true),
    report_data: arr(0x50, 64),
    measurement: arr(0x90, 48),
    host_data: arr(0xc0, 32),
    id_key_digest: arr(0xe0, 48),
    author_key_digest: arr(0x110, 48),
    report_id: arr(0x140, 32),
    report_id_ma: arr(0x160, 32),
    reported_tcb: tcb(0x180),
    cpuid_fam_id: v3 ? r[0x188] : null,
    cpuid_mod_id: v3 ? r[0x189] : null,
    cpuid_step: v3 ? r[0x18a] : null,
    chip_id: arr(0x1a0, 64),
    committed_tcb: tcb(0x1e0),
    current: ver(0x1e8),
    committed: ver(0x1ec),
    launch_tcb: tcb(0x1f0),
    launch_mit_vector: v5 ? u64(0x1f8) : null,
    current_mit_vector: v5 ? u64(0x200) : null,
    signature: { r: arr(0x2a0, 72), s: arr(0x2e8, 72) },
  };
}

export function sevSerdeJson(r: Uint8Array, certChain: unknown): string {
  return JSON.stringify({ attestation_report: sevSerdeReport(r), cert_chain: certChain });
}
