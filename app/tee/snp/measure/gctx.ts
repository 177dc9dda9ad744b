import { sha384 as nobleSha384 } from '@noble/hashes/sha2.js';

/** A synchronous SHA-384: @noble/hashes by default; node:crypto's (about twice as fast) where the caller has it. */
export type Sha384 = (data: Uint8Array) => Uint8Array;

/** Page types of the SNP PAGE_INFO structure (SEV-SNP firmware ABI, SNP_LAUNCH_UPDATE, Table "PAGE_INFO"). */
export const PAGE_TYPE = { normal: 0x01, vmsa: 0x02, zero: 0x03, unmeasured: 0x04, secrets: 0x05, cpuid: 0x06 } as const;

const PAGE = 4096;
const PAGE_INFO_LEN = 0x70;
const ZEROS = new Uint8Array(48);
/** The VMSA is recorded at GPA -1, page-aligned with the bits above 51 cleared. */
const VMSA_GPA = 0xfffffffff000;

/**
 * The SNP guest context launch digest: each launched page folds a PAGE_INFO
 * (previous digest, page contents digest, length, type, IMI, VMPL permissions, GPA) into SHA-384.
 */
export class LaunchDigest {
  private ld: Uint8Array;
  private readonly info = new Uint8Array(PAGE_INFO_LEN);
  private readonly dv = new DataView(this.info.buffer);

  constructor(
    seed: Uint8Array = ZEROS,
    private readonly sha384: Sha384 = nobleSha384,
  ) {
    if (seed.length !== 48) throw new Error('a launch digest seed is 48 bytes');
    this.ld = seed.slice();
  }

  digest(): Uint8Array {
    return this.ld.slice();
  }

  private update(pageType: number, gpa: number, contents: Uint8Array): void {
    this.info.set(this.ld, 0);
    this.info.set(contents, 48);
    this.dv.setUint16(96, PAGE_INFO_LEN, true);
    this.info[98] = pageType;
    this.info.fill(0, 99, 104); // IMI and the VMPL3..1 permissions, all zero for a launch; a reserved byte
    this.dv.setBigUint64(104, BigInt(gpa), true);
    this.ld = this.sha384(this.info);
  }

  normalPages(gpa: number, data: Uint8Array): void {
    assertPages(data.length);
    for (let off = 0; off < data.length; off += PAGE) this.update(PAGE_TYPE.normal, gpa + off, this.sha384(data.subarray(off, off + PAGE)));
  }

  vmsaPage(page: Uint8Array): void {
    if (page.length !== PAGE) throw new Error('a VMSA is one page');
    this.update(PAGE_TYPE.vmsa, VMSA_GPA, this.sha384(page));
  }

  zeroPages(gpa: number, length: number): void {
    this.repeat(PAGE_TYPE.zero, gpa, length);
  }

  unmeasuredPages(gpa: number, length: number): void {
    this.repeat(PAGE_TYPE.unmeasured, gpa, length);
  }

  secretsPage(gpa: number): void {
    this.update(PAGE_TYPE.secrets, gpa, ZEROS);
  }

  cpuidPage(gpa: number): void {
    this.update(PAGE_TYPE.cpuid, gpa, ZEROS);
  }

  private repeat(pageType: number, gpa: number, length: number): void {
    assertPages(length);
    for (let off = 0; off < length; off += PAGE) this.update(pageType, gpa + off, ZEROS);
  }
}

function assertPages(length: number): void {
  if (length % PAGE !== 0) throw new Error(`${length} bytes is not a whole number of pages`);
}
