/**
 * The VMSA save area (AMD APM Vol. 2, Table B-4; struct sev_es_save_area in Linux arch/x86/include/asm/svm.h),
 * as [field, bytes] in order. Offsets are derived from it, and the sum is checked to be one page.
 * Segments (es..tr) are 16 bytes: u16 selector, u16 attrib, u32 limit, u64 base.
 */
const FIELDS: readonly (readonly [string, number])[] = [
  ...['es', 'cs', 'ss', 'ds', 'fs', 'gs', 'gdtr', 'ldtr', 'idtr', 'tr'].map((s) => [s, 16] as const),
  ...['vmpl0_ssp', 'vmpl1_ssp', 'vmpl2_ssp', 'vmpl3_ssp', 'u_cet'].map((s) => [s, 8] as const),
  ['reserved_0xc8', 2],
  ['vmpl', 1],
  ['cpl', 1],
  ['reserved_0xcc', 4],
  ['efer', 8],
  ['reserved_0xd8', 104],
  ...['xss', 'cr4', 'cr3', 'cr0', 'dr7', 'dr6', 'rflags', 'rip', 'dr0', 'dr1', 'dr2', 'dr3'].map((s) => [s, 8] as const),
  ...['dr0_addr_mask', 'dr1_addr_mask', 'dr2_addr_mask', 'dr3_addr_mask'].map((s) => [s, 8] as const),
  ['reserved_0x1c0', 24],
  ...['rsp', 's_cet', 'ssp', 'isst_addr', 'rax', 'star', 'lstar', 'cstar', 'sfmask', 'kernel_gs_base'].map((s) => [s, 8] as const),
  ...['sysenter_cs', 'sysenter_esp', 'sysenter_eip', 'cr2'].map((s) => [s, 8] as const),
  ['reserved_0x248', 32],
  ...['g_pat', 'dbgctrl', 'br_from', 'br_to', 'last_excp_from', 'last_excp_to'].map((s) => [s, 8] as const),
  ['reserved_0x298', 80],
  ['pkru', 4],
  ['tsc_aux', 4],
  ['reserved_0x2f0', 24],
  ...['rcx', 'rdx', 'rbx', 'reserved_0x320', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'].map((s) => [s, 8] as const),
  ['reserved_0x380', 16],
  ...['guest_exit_info_1', 'guest_exit_info_2', 'guest_exit_int_info', 'guest_nrip', 'sev_features', 'vintr_ctrl'].map((s) => [s, 8] as const),
  ...['guest_exit_code', 'virtual_tom', 'tlb_id', 'pcpu_id', 'event_inj', 'xcr0'].map((s) => [s, 8] as const),
  ['reserved_0x3f0', 16],
  // Floating point area
  ['x87_dp', 8],
  ['mxcsr', 4],
  ...['x87_ftw', 'x87_fsw', 'x87_fcw', 'x87_fop', 'x87_ds', 'x87_cs'].map((s) => [s, 2] as const),
  ['x87_rip', 8],
  ['fpreg_x87', 80],
  ['fpreg_xmm', 256],
  ['fpreg_ymm', 256],
  ['padding', 2448],
];

export const VMSA_SIZE = 4096;

/** Field name to [offset, size]. */
export const VMSA_FIELDS: ReadonlyMap<string, readonly [number, number]> = (() => {
  const map = new Map<string, readonly [number, number]>();
  let offset = 0;
  for (const [name, size] of FIELDS) {
    map.set(name, [offset, size]);
    offset += size;
  }
  if (offset !== VMSA_SIZE) throw new Error(`VMSA layout sums to ${offset} bytes, not one page`);
  return map;
})();
