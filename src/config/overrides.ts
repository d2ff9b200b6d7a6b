// --set overrides: `path.to.field=VALUE`, with list indices as `layers[2]` or `layers.2`. The
// value is parsed as YAML (so 0.01 is a number, true a boolean, [1, 2] a list, {type: cosine} a
// map) and written into the parsed document before validation, so an override is validated
// exactly like the file.

import { isCollection, isMap, isScalar, isSeq, parse as parseYaml, type Document } from 'yaml';

export interface Override {
  path: Array<string | number>;
  value: unknown;
}

export function parseOverride(arg: string): Override {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new Error(`expected path.to.field=VALUE, got "${arg}"`);
  const pathText = arg.slice(0, eq).trim();
  const path: Array<string | number> = [];
  for (const part of pathText.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m || (m[1] === '' && m[2] === '')) throw new Error(`"${pathText}" is not a field path (expected names separated by dots, list indices as [n])`);
    if (m[1] !== '') path.push(/^\d+$/.test(m[1]) ? Number(m[1]) : m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) path.push(Number(idx[1]));
  }
  let value: unknown;
  try {
    value = parseYaml(arg.slice(eq + 1));
  } catch (e) {
    throw new Error(`the value is not valid YAML: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  return { path, value: value ?? null };
}

/** Write the override into the document, creating missing maps on the way (not list items). */
export function applyOverride(doc: Document, o: Override): void {
  let node: unknown = doc.contents;
  for (let i = 0; i < o.path.length - 1; i++) {
    const key = o.path[i];
    if (isEmpty(node)) {
      // An empty section ("output:" with nothing under it) becomes a map to hold the field.
      if (i === 0) doc.contents = doc.createNode({}) as typeof doc.contents;
      else doc.setIn(o.path.slice(0, i), doc.createNode({}));
      node = i === 0 ? doc.contents : doc.getIn(o.path.slice(0, i), true);
    }
    if (!isCollection(node)) throw new Error(`${describePath(o.path.slice(0, i))} is a single value, it has no field "${key}"`);
    if (isSeq(node) && !(typeof key === 'number' && key < node.items.length)) {
      throw new Error(`${describePath(o.path.slice(0, i + 1))}: the list has ${node.items.length} items (indices 0..${node.items.length - 1})`);
    }
    if (isMap(node) && typeof key === 'number') throw new Error(`${describePath(o.path.slice(0, i))} is a map, not a list: "[${key}]" cannot index it`);
    node = node.get(key, true);
    if (node === undefined) break; // setIn creates the missing maps from here on
  }
  if (!isEmpty(node) && node !== undefined && !isCollection(node)) {
    throw new Error(`${describePath(o.path.slice(0, -1))} is a single value, it has no field "${o.path[o.path.length - 1]}"`);
  }
  if (isEmpty(node) && o.path.length > 1) doc.setIn(o.path.slice(0, -1), doc.createNode({}));
  doc.setIn(o.path, doc.createNode(o.value));
}

/** Absent, null, or a YAML scalar holding null (an empty value). */
function isEmpty(node: unknown): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

function describePath(path: Array<string | number>): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
}
