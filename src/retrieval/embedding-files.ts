// Embeddings that users computed elsewhere, read into id -> vector maps:
//
//   .npy    a NumPy array, float32 ('<f4') or float64 ('<f8', converted), C order, shape [N, D],
//           with the ids in a text file, one a line, in row order: `options.ids`, or by default
//           the file beside it with `.npy` replaced by `.ids.txt`
//   .jsonl  one JSON object a line: {"id": "d1", "embedding": [0.1, ...]} ("_id" and "vector"
//           are accepted for the two fields)
//   .csv    one line per vector: id,v1,...,vD (no quoting: ids may not hold commas); a first line
//           whose second cell is not a number is taken as a header and skipped
//
// Every vector must have the dimension of the first; ids must be unique; values must be finite.
// Errors (EmbeddingFileError) name the file, the line (the row, for .npy) and the field.

import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { writeFileAtomic } from '../util/atomic-file.js';
import { EmbeddingFileError } from './errors.js';

const NPY_MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

function readBytes(path: string): Buffer {
  if (!existsSync(path)) throw new EmbeddingFileError({ file: path }, 'missing; give the path of an existing .npy, .jsonl or .csv file');
  return readFileSync(path);
}

/** Add one vector, checking its dimension, values and id against what came before. */
class VectorCollector {
  readonly vectors = new Map<string, Float32Array>();
  private readonly lineOf = new Map<string, number>();
  private dim = -1;
  constructor(private readonly file: string) {}

  add(id: string, values: ArrayLike<number>, line: number, field: string): void {
    if (id === '') throw new EmbeddingFileError({ file: this.file, line, field: 'id' }, 'is empty; every vector needs an id');
    const seen = this.lineOf.get(id);
    if (seen !== undefined) throw new EmbeddingFileError({ file: this.file, line, field: 'id' }, `"${id}" was already given on line ${seen}; ids must be unique`);
    if (this.dim === -1) this.dim = values.length;
    if (values.length !== this.dim) throw new EmbeddingFileError({ file: this.file, line, field }, `has ${values.length} values, but the first vector has ${this.dim}; all vectors must have the same dimension`);
    if (values.length === 0) throw new EmbeddingFileError({ file: this.file, line, field }, 'is empty; a vector needs at least one value');
    const v = Float32Array.from(values);
    for (let j = 0; j < values.length; j++) {
      if (!Number.isFinite(values[j])) throw new EmbeddingFileError({ file: this.file, line, field }, `value ${j + 1} is ${String(values[j])}; every value must be a finite number`);
    }
    this.lineOf.set(id, line);
    this.vectors.set(id, v);
  }
}

/** Parse the header of a .npy file (format versions 1, 2 and 3). */
function npyHeader(bytes: Buffer, file: string): { descr: string; fortran: boolean; shape: number[]; dataOffset: number } {
  if (bytes.length < 10 || !bytes.subarray(0, 6).equals(NPY_MAGIC)) throw new EmbeddingFileError({ file }, 'is not a .npy file (it does not start with \\x93NUMPY); save it with numpy.save');
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  if (![1, 2, 3].includes(major) || start + headerLength > bytes.length) throw new EmbeddingFileError({ file }, `has an unreadable .npy header (format version ${major}); save it with numpy.save`);
  const header = bytes.subarray(start, start + headerLength).toString('latin1');
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*True/.test(header);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shapeText === undefined) throw new EmbeddingFileError({ file }, `has a .npy header without descr or shape: ${header.trim()}`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  return { descr, fortran, shape, dataOffset: start + headerLength };
}

function loadNpy(path: string, idsPath: string): Map<string, Float32Array> {
  const bytes = readBytes(path);
  const { descr, fortran, shape, dataOffset } = npyHeader(bytes, path);
  const width = descr === '<f4' ? 4 : descr === '<f8' ? 8 : 0;
  if (width === 0) throw new EmbeddingFileError({ file: path, field: 'descr' }, `holds ${descr} values; embeddings must be little-endian float32 ('<f4') or float64 ('<f8'): numpy.save(path, x.astype('float32'))`);
  if (fortran) throw new EmbeddingFileError({ file: path, field: 'fortran_order' }, 'is in Fortran (column-major) order; save numpy.ascontiguousarray(x) instead');
  if (shape.length !== 2) throw new EmbeddingFileError({ file: path, field: 'shape' }, `is (${shape.join(', ')}); embeddings must be a 2-D array [N, D]`);
  const [n, dim] = shape;
  if (bytes.length - dataOffset !== n * dim * width) throw new EmbeddingFileError({ file: path }, `holds ${bytes.length - dataOffset} data bytes, but shape (${n}, ${dim}) of ${descr} needs ${n * dim * width}: the file is truncated or damaged`);
  if (!existsSync(idsPath)) throw new EmbeddingFileError({ file: idsPath }, `missing: the ids of ${path}'s rows, one a line, are read from here (or give another ids file)`);
  const ids = readFileSync(idsPath, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  while (ids.length > 0 && ids[ids.length - 1] === '') ids.pop();
  if (ids.length !== n) throw new EmbeddingFileError({ file: idsPath }, `holds ${ids.length} ids, but ${path} has ${n} rows; give one id per row, in row order`);
  const data = bytes.subarray(dataOffset);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new VectorCollector(idsPath);
  const row = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) row[j] = width === 4 ? view.getFloat32((i * dim + j) * 4, true) : view.getFloat64((i * dim + j) * 8, true);
    out.add(ids[i].trim(), row, i + 1, `row ${i + 1} of ${path}`);
  }
  return out.vectors;
}

function loadJsonl(path: string): Map<string, Float32Array> {
  const out = new VectorCollector(path);
  const lines = readBytes(path).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    const line = i + 1;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      throw new EmbeddingFileError({ file: path, line }, `is not valid JSON (${(e as Error).message})`);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new EmbeddingFileError({ file: path, line }, 'must be a JSON object such as {"id": "d1", "embedding": [0.1, 0.2]}');
    const o = obj as Record<string, unknown>;
    const idField = 'id' in o ? 'id' : '_id';
    const id = o[idField];
    if (typeof id !== 'string' && typeof id !== 'number') throw new EmbeddingFileError({ file: path, line, field: 'id' }, id === undefined ? 'missing; each line needs an "id"' : `must be a string, got ${JSON.stringify(id)}`);
    const vecField = 'embedding' in o ? 'embedding' : 'vector';
    const vec = o[vecField];
    if (!Array.isArray(vec) || vec.some((x) => typeof x !== 'number')) throw new EmbeddingFileError({ file: path, line, field: vecField === 'vector' && !('vector' in o) ? 'embedding' : vecField }, vec === undefined ? 'missing; each line needs an "embedding" array of numbers' : 'must be an array of numbers');
    out.add(String(id), vec as number[], line, vecField);
  });
  return out.vectors;
}

function loadCsv(path: string): Map<string, Float32Array> {
  const out = new VectorCollector(path);
  const lines = readBytes(path).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  let first = true;
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    const cells = text.split(',').map((c) => c.trim());
    if (first) {
      first = false;
      if (cells.length > 1 && (cells[1] === '' || Number.isNaN(Number(cells[1])))) return; // a header line
    }
    const values = cells.slice(1).map((c, j) => {
      const v = c === '' ? Number.NaN : Number(c);
      if (!Number.isFinite(v)) throw new EmbeddingFileError({ file: path, line: i + 1, field: `column ${j + 2}` }, `${JSON.stringify(c)} is not a finite number`);
      return v;
    });
    out.add(cells[0], values, i + 1, 'values');
  });
  return out.vectors;
}

/** The default ids file of an .npy file: `X.npy` -> `X.ids.txt`. */
export function defaultIdsPath(npyPath: string): string {
  return npyPath.replace(/\.npy$/i, '') + '.ids.txt';
}

/** Read embeddings from `path` by its extension (.npy, .jsonl, .csv); see the module comment. */
export function loadEmbeddingFile(path: string, options: { ids?: string } = {}): Map<string, Float32Array> {
  const ext = extname(path).toLowerCase();
  if (ext === '.npy') return loadNpy(path, options.ids ?? defaultIdsPath(path));
  if (options.ids !== undefined) throw new EmbeddingFileError({ file: path }, 'an ids file is only read with .npy embeddings; .jsonl and .csv files carry their ids');
  if (ext === '.jsonl') return loadJsonl(path);
  if (ext === '.csv') return loadCsv(path);
  throw new EmbeddingFileError({ file: path }, `has the extension "${ext}"; embedding files must be .npy (with an ids file), .jsonl or .csv`);
}

/** The bytes of a .npy file (format 1.0, '<f4', C order) holding `rows` as an [N, D] array. */
export function npyBytes(rows: readonly Float32Array[]): Buffer {
  const dim = rows.length > 0 ? rows[0].length : 0;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows.length}, ${dim}), }`;
  // The magic, version and length take 10 bytes; the header is padded with spaces to a multiple of 64, ending in \n.
  header = header.padEnd(Math.ceil((10 + header.length + 1) / 64) * 64 - 10 - 1, ' ') + '\n';
  const head = Buffer.alloc(10);
  NPY_MAGIC.copy(head);
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const data = Buffer.alloc(rows.length * dim * 4);
  rows.forEach((r, i) => {
    if (r.length !== dim) throw new EmbeddingFileError({ file: '(npy writer)', line: i + 1 }, `row ${i + 1} has ${r.length} values, the first ${dim}`);
    for (let j = 0; j < dim; j++) data.writeFloatLE(r[j], (i * dim + j) * 4);
  });
  return Buffer.concat([head, Buffer.from(header, 'latin1'), data]);
}

/** Write `ids` and their vectors as `path` (.npy) plus its ids file, each atomically. */
export function writeNpy(path: string, ids: readonly string[], rows: readonly Float32Array[], idsPath = defaultIdsPath(path)): void {
  if (ids.length !== rows.length) throw new EmbeddingFileError({ file: path }, `got ${ids.length} ids for ${rows.length} rows`);
  writeFileAtomic(path, npyBytes(rows));
  writeFileAtomic(idsPath, ids.map((id) => `${id}\n`).join(''));
}
