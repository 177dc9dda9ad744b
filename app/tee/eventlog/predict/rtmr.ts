import type { CryptoProvider } from '../../../crypto/provider.js';
import { digestSync } from '../../../crypto/digest-sync.js';
import { concatBytes, fromHex, toHex } from '../../../bytes/hex.js';
import type { BootPrediction } from './index.js';

/**
 * RTMR1 and RTMR2 of a TD booted by QEMU `-kernel` through OVMF/TDVF, replayed from the predicted events, as
 * dstack-mr (dstack-mr/src/kernel.rs, machine.rs) and edgelesssys/contrast (tdx-measure/rtmr) compute them:
 * RTMR1 = the kernel's EV_EFI_BOOT_SERVICES_APPLICATION, then the actions OVMF's TdTcg2Dxe logs around it
 * ("Calling EFI Application from Boot Option", the separator 00000000, "Exit Boot Services Invocation",
 * "Exit Boot Services Returned with Success"); RTMR2 = the stub's load-options event, then its initrd event (the order efi_handle_cmdline, then efi_load_initrd run).
 * Only for that boot path, and only where the kernel is the one boot application: a boot option tried before it
 * (a disk, a PXE ROM) adds events these do not have.
 */
export interface PredictedRegisters {
  rtmr1?: string;
  rtmr2?: string;
  method: string;
}

const RTMR1_AFTER_KERNEL = [
  'Calling EFI Application from Boot Option',
  new Uint8Array(4),
  'Exit Boot Services Invocation',
  'Exit Boot Services Returned with Success',
];

export function predictQemuDirectRtmrs(predictions: readonly BootPrediction[], crypto: CryptoProvider): PredictedRegisters {
  const sha384 = (data: Uint8Array) => digestSync(crypto, 'SHA-384', data);
  const value = (claim: BootPrediction['claim']) => predictions.find((p) => p.claim === claim)?.value;
  const replay = (events: Uint8Array[]) => toHex(events.reduce((mr, e) => sha384(concatBytes(mr, e)), new Uint8Array(48)));
  // A digest of the bank's size, or nothing: a SHA-256 prediction has no place in an RTMR.
  const digest = (claim: BootPrediction['claim']) => {
    const v = value(claim);
    return v?.length === 96 ? fromHex(v) : undefined;
  };
  const out: PredictedRegisters = {
    method:
      "replayed from the predicted events for QEMU direct boot with OVMF/TDVF, the kernel the only boot application (RTMR1: kernel, then TdTcg2Dxe's four fixed events; RTMR2: load options, then initrd)",
  };
  const kernel = digest('boot.kernelDigest');
  if (kernel) out.rtmr1 = replay([kernel, ...RTMR1_AFTER_KERNEL.map((e) => sha384(typeof e === 'string' ? new TextEncoder().encode(e) : e))]);
  const [cmdline, initrd] = [digest('boot.kernelCmdlineDigest'), digest('boot.initrdDigest')];
  // No initrd given: the stub loads none and logs none.
  if (cmdline) out.rtmr2 = replay(initrd ? [cmdline, initrd] : [cmdline]);
  return out;
}
