// docs/config.md is generated from the config schema: the committed file must be what the
// generator writes now, and every schema field must have a description (and no description a
// field that no longer exists).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { configFields, describeType, renderConfigDocs, TOP } from '../../scripts/config-docs.js';
import { FIELD_DOCS, SECTION_DOCS } from '../../scripts/config-field-docs.js';

test('docs/config.md is in sync with the schema (run `npm run docs:config` after changing either)', () => {
  const committed = readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8');
  assert.equal(committed, renderConfigDocs(), 'docs/config.md is stale: run `npm run docs:config`');
});

test('every config field has a description, and every description a field', () => {
  const paths = configFields().map((f) => f.path);
  assert.deepEqual(paths.filter((p) => !FIELD_DOCS[p]), [], 'fields without a description in scripts/config-field-docs.ts');
  assert.deepEqual(Object.keys(FIELD_DOCS).filter((p) => !paths.includes(p)), [], 'descriptions of fields the schema does not have');
  assert.deepEqual(Object.keys(SECTION_DOCS).filter((p) => p !== TOP && !paths.includes(p)), []);
});

test('the reference lists the sections, defaults and required fields from the schema', () => {
  const fields = new Map(configFields().map((f) => [f.path, f]));
  assert.equal(fields.get('training.epochs')?.required, true);
  assert.equal(fields.get('training.backend')?.default, 'cpu');
  assert.equal(fields.get('model.layers[].quantum.wires')?.type, 'integer ≥ 1 and ≤ 30');
  const md = renderConfigDocs();
  for (const section of ['data', 'model', 'model.layers[].quantum', 'model.quantumTrain', 'training', 'output']) assert.match(md, new RegExp(`^## \`${section.replace(/[.[\]]/g, '\\$&')}\`$`, 'm'));
  assert.match(md, /^\| `training\.schedule` \| object \| `\{"type":"constant"\}` \|/m);
  assert.match(md, /^\| `data\.split\.train` \| number ≥ 0 \| \*\*required\*\* \|/m);
});

test('describeType puts the schema into words', () => {
  assert.equal(describeType({ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }), 'number > 0 and < 1');
  assert.equal(describeType({ enum: ['a', 'b'] }), 'one of `a`, `b`');
  assert.equal(describeType({ type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 2, maxItems: 2 }), 'list of 2 integer ≥ 1');
  assert.equal(describeType({ anyOf: [{ type: 'integer' }, { type: 'null' }] }), 'integer, or null');
});
