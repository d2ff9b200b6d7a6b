// Validating an experiment config's text: parse the YAML (keeping node positions), apply --set
// overrides, validate against the schema with ajv, fill defaults, then check what a schema cannot
// (split sizes against the data, monitors against the splits). Every problem is reported with
// its field path and what was expected, prefixed with `file:line` where the YAML can tell, or with
// the --set argument that introduced the value. No file access and no paths here: load.ts reads
// files and resolves the config's relative paths; the browser playground opens a config with
// exactly these checks.

import { Ajv, type ErrorObject } from 'ajv';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { ConfigError, formatPath, type ConfigIssue } from './errors.js';
import { applyOverride, parseOverride, type Override } from './overrides.js';
import { isImageData } from '../data/prepare.js';
import { LAYER_KINDS } from '../models/build.js';
import { EXPERIMENT_SCHEMA } from './schema.js';
import type { ExperimentConfig } from './types.js';

export interface LoadOptions {
  /** `path.to.field=VALUE` strings, applied in order. */
  overrides?: string[];
}

/** A config that passed every check, with its relative paths as written. */
export interface ValidatedConfig {
  config: ExperimentConfig;
  /** The config file (as given), or '<string>' for text. */
  file: string;
  /** `file:line` of a config path (for errors found later, e.g. while building the model). */
  locate(path: Array<string | number>): string;
}

let compiled: ReturnType<Ajv['compile']> | undefined;

function validator(): ReturnType<Ajv['compile']> {
  // strictTypes off: the quantum spec schema leaves some `type`s implied by `enum`.
  compiled ??= new Ajv({ allErrors: true, verbose: true, useDefaults: true, strict: true, strictTypes: false, strictRequired: false }).compile(EXPERIMENT_SCHEMA);
  return compiled;
}

export function validateConfigText(text: string, file = '<string>', options: LoadOptions = {}): ValidatedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => ({ file, line: lineCounter.linePos(e.pos[0]).line, path: '', message: `YAML syntax: ${e.message.split('\n')[0]}` })),
    );
  }
  if (doc.contents !== null && !isNode(doc.contents)) throw new ConfigError([{ file, path: '', message: 'the config is not a YAML map' }]);

  const overrides: Array<Override & { arg: string }> = [];
  const overrideIssues: ConfigIssue[] = [];
  for (const arg of options.overrides ?? []) {
    try {
      const o = parseOverride(arg);
      applyOverride(doc, o);
      overrides.push({ ...o, arg });
    } catch (e) {
      overrideIssues.push({ path: '', source: `--set ${arg}`, message: (e as Error).message });
    }
  }
  if (overrideIssues.length > 0) throw new ConfigError(overrideIssues);

  const locate = (path: Array<string | number>): { line?: number; source?: string } => {
    // An override explains a problem at, below or (for a misspelt field it created) above its path.
    const samePrefix = (a: Array<string | number>, b: Array<string | number>) => a.every((p, i) => String(p) === String(b[i]));
    for (const o of overrides) {
      if (o.path.length <= path.length ? samePrefix(o.path, path) : path.length > 0 && samePrefix(path, o.path)) return { source: `--set ${o.arg}` };
    }
    return { line: lineOf(doc, lineCounter, path) };
  };
  const issue = (path: Array<string | number>, message: string): ConfigIssue => ({ file, ...locate(path), path: formatPath(path), message });

  const data = doc.toJS() ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new ConfigError([{ file, path: '', message: 'the config must be a YAML map with sections data, model, training' }]);
  const validate = validator();
  if (!validate(data)) throw new ConfigError(ajvIssues(validate.errors ?? [], issue));

  const config = data as ExperimentConfig;
  config.name ??= file === '<string>' ? 'experiment' : fileStem(file);
  config.output ??= { dir: '' };
  if (!config.output.dir) config.output.dir = `runs/${config.name}`;
  const semantic = semanticIssues(config, issue);
  if (semantic.length > 0) throw new ConfigError(semantic);
  return {
    config,
    file,
    locate: (path) => {
      const where = locate(path);
      return where.source ?? `${file}${where.line ? `:${where.line}` : ''}`;
    },
  };
}

/** The file's name without folder and extension ("examples/a.yaml" -> "a"), as path.basename(f, extname(f)). */
function fileStem(file: string): string {
  const base = file.replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** The model sections, of which a config gives exactly one. */
const MODEL_FAMILIES = ['layers', 'quantumTrain', 'resnet', 'reranker'] as const;

/** Checks across fields that JSON Schema cannot express. */
function semanticIssues(c: ExperimentConfig, issue: (path: Array<string | number>, message: string) => ConfigIssue): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const { train, val, test } = c.data.split;
  const values = [train, val, test];
  const fractions = values.every((v) => v <= 1) && values.some((v) => v > 0 && v < 1);
  // Image sets bring their own test set, BEIR sets their test qrels: train + val are fractions of the training pool.
  const pooled = isImageData(c.data) || c.data.type === 'beir';
  if (fractions) {
    // Image sets bring their own test set: train + val are fractions of the training images, test of the test images.
    const sum = pooled ? train + val : train + val + test;
    if (sum > 1 + 1e-9) out.push(issue(['data', 'split'], pooled ? `train + val are fractions of the training images and must add up to at most 1, they add up to ${sum}` : `fractions must add up to at most 1, they add up to ${sum}`));
  } else {
    values.forEach((v, i) => {
      if (!Number.isInteger(v)) out.push(issue(['data', 'split', ['train', 'val', 'test'][i]], `must be an integer row count, or every size a fraction ≤ 1 (got ${v})`));
    });
    const samples = (c.data as { samples?: number }).samples;
    if (samples !== undefined && values.every(Number.isInteger) && train + val + test > samples) {
      out.push(issue(['data', 'split'], `train + val + test = ${train + val + test} rows, more than data.samples = ${samples}`));
    }
  }
  if (train === 0) out.push(issue(['data', 'split', 'train'], 'the training split must not be empty'));
  const model = c.model as Record<string, unknown>;
  const families = MODEL_FAMILIES.filter((f) => model[f] !== undefined);
  if (families.length !== 1) {
    out.push(issue(['model'], `give exactly one of model.layers (a layer list), model.resnet (a ResNet classifier), model.quantumTrain (a Quantum-Train model) or model.reranker (a fidelity reranker)${families.length > 1 ? `, not several (${families.map((f) => `model.${f}`).join(' and ')})` : ''}`));
  }
  out.push(...rankingIssues(c, issue));
  // The quantum extras wrap a layer-list model (or a later model family), not a Quantum-Train model.
  for (const extra of ['quantumChannels', 'quantumHead'] as const) {
    if ((c.model as Record<string, unknown>)[extra] !== undefined && model.quantumTrain !== undefined) {
      out.push(issue(['model', extra], `cannot be combined with model.quantumTrain (it extends a model built from model.layers or model.resnet)`));
    }
  }
  // RandAugment's colour operations clamp every channel to pixel values in [0, 1]: they would cut the
  // quantum channels' <Z> values in [-1, 1] (crops and flips move the maps with the image, which is fine).
  if ((c.model as Record<string, unknown>).quantumChannels !== undefined && (c.training as { augment?: { randAugment?: unknown } }).augment?.randAugment !== undefined) {
    out.push(issue(['training', 'augment', 'randAugment'], 'cannot be combined with model.quantumChannels: its colour operations clamp every channel to [0, 1], which would cut the quantum channels\' values in [-1, 1]; use the crop and flip augmentations only'));
  }
  const head = (c.model as { quantumHead?: { warmupEpochs?: number } }).quantumHead;
  if (head?.warmupEpochs !== undefined && head.warmupEpochs >= c.training.epochs) {
    out.push(issue(['model', 'quantumHead', 'warmupEpochs'], `is ${head.warmupEpochs}, but training.epochs is ${c.training.epochs}: the quantum branch would never train (phase B has no epoch); lower it below training.epochs`));
  }
  const monitor = c.training.earlyStopping?.monitor;
  if (monitor?.startsWith('val_') && val === 0) out.push(issue(['training', 'earlyStopping', 'monitor'], `monitors ${monitor} but data.split.val is 0 (no validation set)`));
  if (c.training.schedule?.type === 'reduce_on_plateau' && val === 0) {
    // Allowed: the schedule then watches the training loss. Nothing to report.
  }
  return out;
}

/** A reranker trains on a BEIR set with the ranking task, and only then. */
function rankingIssues(c: ExperimentConfig, issue: (path: Array<string | number>, message: string) => ConfigIssue): ConfigIssue[] {
  const reranker = c.model.reranker !== undefined;
  const beir = c.data.type === 'beir';
  const task = c.training.task;
  if (reranker && !beir) return [issue(['data', 'type'], `model.reranker trains on a retrieval set: set data.type: beir (with data.dir and data.embeddings), not ${c.data.type}`)];
  if (beir && !reranker) return [issue(['model'], 'data.type beir is a retrieval set: train a model.reranker on it')];
  if (reranker && task !== undefined && task !== 'ranking') return [issue(['training', 'task'], `model.reranker trains with training.task: ranking (or leave training.task out), not ${task}`)];
  // Without training.task the schema fills loss: cross_entropy, which a reranker reads as its default (triplet).
  if (reranker && task === undefined && c.training.loss !== undefined && c.training.loss !== 'cross_entropy') {
    return [issue(['training', 'loss'], `${c.training.loss} is not a ranking loss; set training.task: ranking and training.loss: triplet, margin_ranking or contrastive`)];
  }
  if (!reranker && (task === 'ranking' || c.training.ranking !== undefined)) return [issue(['training', task === 'ranking' ? 'task' : 'ranking'], 'the ranking task trains a model.reranker; add one, or remove the ranking settings')];
  return [];
}

/** Turn ajv's errors into issues with readable messages; drops the noise of if/then wrappers. */
function ajvIssues(errors: ErrorObject[], issue: (path: Array<string | number>, message: string) => ConfigIssue): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    if (e.propertyName !== undefined) continue; // reported by its parent propertyNames error
    const path = pointerToPath(e.instancePath);
    let fieldPath = path;
    let message: string;
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required':
        fieldPath = [...path, String(p.missingProperty)];
        message = 'is required but missing';
        break;
      case 'additionalProperties':
        fieldPath = [...path, String(p.additionalProperty)];
        message = `is not a known field${knownFields(e) ? ` (expected one of: ${knownFields(e)})` : ''}`;
        break;
      case 'propertyNames':
        fieldPath = [...path, String(p.propertyName)];
        message = `is not a layer kind (expected one of: ${(e.parentSchema as { propertyNames?: { enum?: string[] } })?.propertyNames?.enum?.join(', ') ?? ''})`;
        break;
      case 'minProperties':
      case 'maxProperties':
        message = `a layer must be a map with exactly one key naming its kind (${LAYER_KINDS.join(', ')})`;
        break;
      case 'enum':
        message = `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${JSON.stringify(e.data)})`;
        break;
      case 'const':
        message = `must be ${JSON.stringify(p.allowedValue)} (got ${JSON.stringify(e.data)})`;
        break;
      case 'type':
        message = `must be ${article(String(p.type))} (got ${describe(e.data)})`;
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        message = `${e.message} (got ${JSON.stringify(e.data)})`;
        break;
      default:
        message = e.message ?? e.keyword;
    }
    const key = `${formatPath(fieldPath)}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue(fieldPath, message));
  }
  return out;
}

function knownFields(e: ErrorObject): string {
  const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props).join(', ') : '';
}

function article(type: string): string {
  const words: Record<string, string> = { number: 'a number', integer: 'an integer', string: 'a string', boolean: 'true or false', object: 'a map', array: 'a list', null: 'empty' };
  return type
    .split(',')
    .map((t) => words[t] ?? t)
    .join(' or ');
}

function describe(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return JSON.stringify(value);
}

function pointerToPath(pointer: string): Array<string | number> {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * 1-based line of the deepest existing node on `path`: the line of its key where it has one (for a
 * block map that is the line naming it, not its first entry), else of its value.
 */
function lineOf(doc: Document, lc: LineCounter, path: Array<string | number>): number | undefined {
  for (let n = path.length; n >= 1; n--) {
    const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
    const keyNode = findKeyNode(parent, path[n - 1]);
    if (keyNode?.range) return lc.linePos(keyNode.range[0]).line;
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return isNode(doc.contents) && doc.contents.range ? lc.linePos(doc.contents.range[0]).line : undefined;
}

function findKeyNode(parent: unknown, key: string | number): { range?: [number, number, number] | null } | undefined {
  const items = (parent as { items?: Array<{ key?: unknown }> } | undefined)?.items;
  if (!Array.isArray(items)) return undefined;
  for (const item of items) {
    const k = item?.key as { value?: unknown; range?: [number, number, number] } | undefined;
    if (k && isNode(k) && String(k.value) === String(key)) return k;
  }
  return undefined;
}
