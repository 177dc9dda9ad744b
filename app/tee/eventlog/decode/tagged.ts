import { ByteReader } from '../../../bytes/reader.js';
import { clip, eventText } from './text.js';
import type { TaggedDecoded } from './types.js';

/**
 * Tags of the Linux EFI stub (drivers/firmware/efi/libstub/efistub.h: INITRD_EVENT_TAG_ID, LOAD_OPTIONS_EVENT_TAG_ID),
 * seen in OVMF/QEMU direct boots. The digest is of the initrd or of the load options (the kernel command line)
 * themselves, which the log does not carry: the description text is all the data holds.
 */
export const INITRD_TAG = 0x8f3b22ec;
export const LOAD_OPTIONS_TAG = 0x8f3b22ed;

/** TCG_PCClientTaggedEvent (PFP 10.4.2.1): taggedEventID, taggedEventDataSize, taggedEventData. */
export function decodeTagged(bytes: Uint8Array): TaggedDecoded {
  const r = new ByteReader(bytes);
  const tagId = r.u32('taggedEvent.taggedEventID');
  const size = r.u32('taggedEvent.taggedEventDataSize');
  const description = eventText(r.take(size, 'taggedEvent.taggedEventData')).text;
  const tag = tagId === INITRD_TAG ? 'initrd' : tagId === LOAD_OPTIONS_TAG ? 'load-options' : undefined;
  const meaning = tag === 'initrd' ? 'the initrd' : tag === 'load-options' ? 'the kernel command line (load options)' : 'an unknown tag';
  const summary = clip(`tag 0x${tagId.toString(16)}: digest of ${meaning}, "${description}"`);
  return { kind: 'tagged', summary, tagId, ...(tag ? { tag } : {}), description };
}
