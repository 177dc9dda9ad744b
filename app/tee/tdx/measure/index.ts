import { toHex } from '../../../bytes/hex.js';
import { computeMrtd } from './mrtd.js';
import type { PageAddOrder, Sha384Factory } from './mrtd.js';
import { ATTR_MR_EXTEND, ATTR_PAGE_AUG, parseTdvf } from './tdvf.js';
import type { SectionType, TdvfSection } from './tdvf.js';

export { PAGE_ADD_ORDERS, computeMrtd } from './mrtd.js';
export type { PageAddOrder, Sha384Factory, Sha384Stream } from './mrtd.js';
export { parseTdvf } from './tdvf.js';
export type { TdvfSection } from './tdvf.js';

/** One TDVF section as reported: where it lands and how the VMM measures it. */
export interface MeasuredSection {
  type: SectionType;
  memoryAddress: string;
  memoryDataSize: number;
  dataOffset: number;
  rawDataSize: number;
  /** added: TDH.MEM.PAGE.ADD only; extended: added and its contents in MRTD; aug: not in MRTD at all. */
  measured: 'added' | 'extended' | 'aug';
}

export interface TdxMeasurement {
  mrTd: string;
  pageAddOrder: PageAddOrder;
  imageSize: number;
  sections: MeasuredSection[];
}

/** The MRTD a TD launched from this TDVF/OVMF image gets (a prediction: nothing about a running TD is verified here). */
export function measureTdx(image: Uint8Array, pageAddOrder: PageAddOrder, createSha384?: Sha384Factory): TdxMeasurement {
  const sections = parseTdvf(image);
  return { mrTd: toHex(computeMrtd(image, sections, pageAddOrder, createSha384)), pageAddOrder, imageSize: image.length, sections: sections.map(describe) };
}

function describe(s: TdvfSection): MeasuredSection {
  const measured = s.attributes & ATTR_PAGE_AUG ? 'aug' : s.attributes & ATTR_MR_EXTEND ? 'extended' : 'added';
  const { type, memoryDataSize, dataOffset, rawDataSize } = s;
  return { type, memoryAddress: '0x' + s.memoryAddress.toString(16), memoryDataSize, dataOffset, rawDataSize, measured };
}
