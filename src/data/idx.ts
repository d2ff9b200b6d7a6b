// Reading IDX files, the format MNIST and Fashion-MNIST ship in (http://yann.lecun.com/exdb/mnist/):
// two zero bytes, a type byte (0x08 = unsigned byte), the number of dimensions, each dimension
// as a big-endian uint32, then the data. Image files are 3-D (count, rows, cols; magic 2051),
// label files 1-D (count; magic 2049). Files may be gzipped (detected by the gzip magic bytes,
// not the file name, so a renamed file still reads).

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { EntangleError } from '../util/errors.js';

/** A problem with a data file; the message names the file. */
export class DataFileError extends EntangleError {
  constructor(readonly file: string, problem: string) {
    super('E_DATA_FILE', `${file}: ${problem}`);
    this.name = 'DataFileError';
  }
}

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;
const UBYTE = 0x08;

/** An unsigned-byte IDX array: its dimensions and the bytes in row-major order. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Raw file contents, gunzipped when they start with the gzip magic (1f 8b). */
export function readMaybeGzipped(file: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataFileError(file, code === 'ENOENT' ? 'file not found' : `cannot read (${(e as Error).message})`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes);
    } catch (e) {
      throw new DataFileError(file, `corrupt gzip data (${(e as Error).message})`);
    }
  }
  return bytes;
}

/** Parse IDX bytes (already gunzipped); `file` is only used in error messages. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) throw new DataFileError(file, `truncated: ${bytes.length} bytes, too short for an IDX header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataFileError(file, `not an IDX file (magic starts ${hex(bytes[0])} ${hex(bytes[1])}, expected 00 00)`);
  }
  if (bytes[2] !== UBYTE) {
    throw new DataFileError(file, `unsupported IDX element type ${hex(bytes[2])} (only 08, unsigned byte)`);
  }
  const ndim = bytes[3];
  const headerLength = 4 + 4 * ndim;
  if (ndim === 0) throw new DataFileError(file, 'IDX header declares 0 dimensions');
  if (bytes.length < headerLength) {
    throw new DataFileError(file, `truncated: ${bytes.length} bytes, header for ${ndim} dimensions needs ${headerLength}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  const have = bytes.length - headerLength;
  if (have < size) {
    throw new DataFileError(file, `truncated: header says ${dims.join('x')} = ${size} bytes of data, file has ${have}`);
  }
  if (have > size) {
    throw new DataFileError(file, `${have - size} unexpected bytes after the ${dims.join('x')} data`);
  }
  return { dims, data: bytes.subarray(headerLength) };
}

function magicOf(bytes: Uint8Array): number {
  return ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
}

function hex(n: number | undefined): string {
  return (n ?? 0).toString(16).padStart(2, '0');
}

function expectMagic(bytes: Uint8Array, file: string, magic: number, what: string): void {
  if (bytes.length < 4) throw new DataFileError(file, `truncated: ${bytes.length} bytes, too short for an IDX header`);
  const got = magicOf(bytes);
  if (got !== magic) {
    const hint = got === IDX_IMAGES_MAGIC ? ' (this is an image file)' : got === IDX_LABELS_MAGIC ? ' (this is a label file)' : '';
    throw new DataFileError(file,
      `wrong magic number 0x${got.toString(16).padStart(8, '0')}${hint}, expected 0x${magic.toString(16).padStart(8, '0')} for ${what}`);
  }
}

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count*rows*cols bytes, image after image, row-major. */
  pixels: Uint8Array;
}

/** Read an IDX image file (magic 2051: count x rows x cols unsigned bytes), gzipped or not. */
export function readIdxImages(file: string): IdxImages {
  const bytes = readMaybeGzipped(file);
  expectMagic(bytes, file, IDX_IMAGES_MAGIC, 'images');
  const { dims, data } = parseIdx(bytes, file);
  const [count, rows, cols] = dims;
  return { count, rows, cols, pixels: data };
}

/** Read an IDX label file (magic 2049: count unsigned bytes), gzipped or not. */
export function readIdxLabels(file: string): Uint8Array {
  const bytes = readMaybeGzipped(file);
  expectMagic(bytes, file, IDX_LABELS_MAGIC, 'labels');
  return parseIdx(bytes, file).data;
}

export interface IdxPair extends IdxImages {
  labels: Uint8Array;
}

/**
 * Read matching image and label files, checking that they hold the same number of items and
 * that every label is below `classes`.
 */
export function readIdxPair(imagesFile: string, labelsFile: string, classes = 256): IdxPair {
  const images = readIdxImages(imagesFile);
  const labels = readIdxLabels(labelsFile);
  if (labels.length !== images.count) {
    throw new DataFileError(labelsFile,
      `holds ${labels.length} labels but ${imagesFile} holds ${images.count} images`);
  }
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= classes) {
      throw new DataFileError(labelsFile, `label ${labels[i]} at item ${i} is not below ${classes}`);
    }
  }
  return { ...images, labels };
}
