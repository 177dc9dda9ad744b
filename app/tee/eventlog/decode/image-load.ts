import { ByteReader } from '../../../bytes/reader.js';
import { devicePathText } from './device-path.js';
import { clip, u64, u64Hex } from './text.js';
import type { DecodeContext, ImageLoadDecoded } from './types.js';

/**
 * UEFI_IMAGE_LOAD_EVENT (PFP 10.4.4.2): ImageLocationInMemory, ImageLengthInMemory, ImageLinkTimeAddress and
 * LengthOfDevicePath (UINTN each: 4 or 8 bytes as the Spec ID event says), then the device path. The event's
 * digest is the Authenticode hash of the PE image, not of this data: the path is what the log claims.
 */
export function decodeImageLoad(bytes: Uint8Array, ctx: DecodeContext): ImageLoadDecoded {
  const r = new ByteReader(bytes);
  const uintn = ctx.uintnSize === 1 ? (f: string) => `0x${r.u32(f).toString(16)}` : (f: string) => u64Hex(r, f);
  const size = ctx.uintnSize === 1 ? (f: string) => r.u32(f) : (f: string) => u64(r, f);
  const location = uintn('imageLoad.imageLocationInMemory');
  const length = size('imageLoad.imageLengthInMemory');
  const linkTimeAddress = uintn('imageLoad.imageLinkTimeAddress');
  const pathLength = size('imageLoad.lengthOfDevicePath');
  const devicePath = devicePathText(r.take(pathLength, 'imageLoad.devicePath'));
  const summary = clip(`${devicePath || '(no device path)'} (${length} bytes at ${location})`);
  return { kind: 'image-load', summary, location, length, linkTimeAddress, devicePath };
}
