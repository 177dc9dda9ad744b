import type { ByteReader } from '../../bytes/reader.js';
import { hashAlgorithmName, knownDigestSize } from './event-types.js';
import type { HashAlgorithm } from './event-types.js';

/** TCG PC Client PFP 10.4.5.1: the first event of a crypto-agile log carries this signature. */
const SIGNATURE = 'Spec ID Event03';
/** Far more than any TPM has banks; a larger count is a corrupt header, refused before allocating. */
export const MAX_ALGORITHMS = 64;

/** TCG_EfiSpecIDEvent: which banks (and their digest sizes) every later TCG_PCR_EVENT2 carries. */
export interface SpecIdEvent {
  platformClass: number;
  specVersion: string;
  uintnSize: number;
  algorithms: HashAlgorithm[];
  vendorInfoSize: number;
}

/** Reads a TCG_EfiSpecIDEvent from the (bounded) event data of the SHA-1 header event. */
export function parseSpecId(r: ByteReader): SpecIdEvent {
  const at = r.offset;
  const signature = r.take(16, 'specId.signature');
  if (latin1(signature) !== `${SIGNATURE}\0`)
    r.fail(`not a crypto-agile event log: the first event lacks the "${SIGNATURE}" signature`, 'specId.signature', at);
  const platformClass = r.u32('specId.platformClass');
  const minor = r.u8('specId.specVersionMinor');
  const major = r.u8('specId.specVersionMajor');
  const errata = r.u8('specId.specErrata');
  const uintnSize = r.u8('specId.uintnSize');
  const algorithms = readAlgorithms(r);
  const vendorInfoSize = r.u8('specId.vendorInfoSize');
  r.take(vendorInfoSize, 'specId.vendorInfo');
  return { platformClass, specVersion: `${major}.${minor}.${errata}`, uintnSize, algorithms, vendorInfoSize };
}

function readAlgorithms(r: ByteReader): HashAlgorithm[] {
  const at = r.offset;
  const count = r.u32('specId.numberOfAlgorithms');
  if (count < 1 || count > MAX_ALGORITHMS)
    r.fail(`the Spec ID event declares ${count} algorithms (1..${MAX_ALGORITHMS} allowed)`, 'specId.numberOfAlgorithms', at);
  const out: HashAlgorithm[] = [];
  for (let i = 0; i < count; i++) out.push(readAlgorithm(r, out));
  return out;
}

function readAlgorithm(r: ByteReader, seen: HashAlgorithm[]): HashAlgorithm {
  const at = r.offset;
  const id = r.u16('specId.algorithmId');
  const size = r.u16('specId.digestSize');
  const known = knownDigestSize(id);
  if (known !== undefined && known !== size)
    r.fail(`algorithm ${hashAlgorithmName(id)} declared with a ${size}-byte digest (it has ${known})`, 'specId.digestSize', at);
  if (size === 0) r.fail(`algorithm ${hashAlgorithmName(id)} declared with an empty digest`, 'specId.digestSize', at);
  if (seen.some((a) => a.id === id)) r.fail(`algorithm ${hashAlgorithmName(id)} declared twice`, 'specId.algorithmId', at);
  return { id, name: hashAlgorithmName(id), size };
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}
