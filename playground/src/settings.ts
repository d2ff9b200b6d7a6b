// What the playground's controls describe, and its translation to and from an experiment config.
// The page never trains from its controls directly: they become a config (settingsToConfig), the
// worker validates that config's YAML with the CLI's own checks, and trains what it says; the
// YAML offered for download is that same text. Opening a config goes the other way
// (configToSettings), refusing models the controls cannot show.
//
// The model the controls describe is
//   [dense layers before] -> Dense(wires, tanh) -> quantum layer -> [dense layers after] -> Dense(classes)
// The Dense(wires, tanh) layer turns any number of features into one angle per wire (tanh keeps
// the angles in [-1, 1] before the embedding's scale); the last layer gives one logit per class.

import type { ActivationName } from '../../src/models/activations.js';
import type { DenseSpec, LayerConfig } from '../../src/models/build.js';
import type { AnsatzSpec, EmbeddingSpec, MeasureSpec, QuantumLayerSpec } from '../../src/models/quantum-spec.js';
import type { ExperimentConfig } from '../../src/config/types.js';

export type DatasetKind = 'circles' | 'moons' | 'spirals' | 'xor' | 'csv';
export type EmbeddingKind = 'angle' | 'iqp' | 'zz_feature_map';
export type AnsatzKind = 'strongly_entangling' | 'basic_entangler' | 'real_amplitudes' | 'ry_cnot_chain' | 'u3_cu3_ring';

export interface DenseLayerSettings {
  units: number;
  activation: ActivationName;
}

export interface PlaygroundSettings {
  name: string;
  seed: number;
  data: {
    kind: DatasetKind;
    samples: number;
    noise: number;
    noiseFeatures: number;
    /** Share of the rows used for training; the rest is the test set. */
    trainShare: number;
    /** csv: the dropped file's name and its label column. */
    csvName?: string;
    csvLabel?: string;
  };
  before: DenseLayerSettings[];
  quantum: {
    wires: number;
    embedding: EmbeddingKind;
    rotation: 'X' | 'Y' | 'Z';
    scale: number;
    ansatz: AnsatzKind;
    depth: number;
    measure: 'expval' | 'probs';
  };
  after: DenseLayerSettings[];
  training: {
    epochs: number;
    batchSize: number;
    lr: number;
  };
}

export const DEFAULT_SETTINGS: PlaygroundSettings = {
  name: 'playground-hybrid',
  seed: 7,
  data: { kind: 'circles', samples: 300, noise: 0.1, noiseFeatures: 0, trainShare: 0.7 },
  before: [{ units: 8, activation: 'relu' }],
  quantum: { wires: 4, embedding: 'angle', rotation: 'X', scale: 1, ansatz: 'strongly_entangling', depth: 2, measure: 'expval' },
  after: [{ units: 8, activation: 'relu' }],
  training: { epochs: 30, batchSize: 16, lr: 0.02 },
};

export class PlaygroundConfigError extends Error {
  override name = 'PlaygroundConfigError';
}

/** Row counts of the split: train and test from the share (no validation rows: the page shows test). */
export function splitCounts(samples: number, trainShare: number): { train: number; val: number; test: number } {
  const train = Math.min(samples - 1, Math.max(1, Math.round(samples * trainShare)));
  return { train, val: 0, test: samples - train };
}

function embeddingSpec(q: PlaygroundSettings['quantum']): EmbeddingSpec {
  if (q.embedding === 'angle') return { type: 'angle', rotation: q.rotation, scale: q.scale };
  if (q.embedding === 'iqp') return { type: 'iqp', repeats: 1 };
  return { type: 'zz_feature_map', reps: 2 };
}

function ansatzSpec(q: PlaygroundSettings['quantum']): AnsatzSpec {
  if (q.ansatz === 'real_amplitudes') return { type: 'real_amplitudes', reps: q.depth };
  return { type: q.ansatz, layers: q.depth };
}

const dense = (units: number, activation?: ActivationName): LayerConfig => ({ dense: activation ? { units, activation } : { units } });

/** The hybrid's config. `rows` is the number of samples (a CSV's row count; synthetic: data.samples). */
export function settingsToConfig(s: PlaygroundSettings, rows = s.data.samples, numClasses = 2): ExperimentConfig {
  const quantum: QuantumLayerSpec = {
    wires: s.quantum.wires,
    embedding: embeddingSpec(s.quantum),
    ansatz: ansatzSpec(s.quantum),
    measure: { type: s.quantum.measure } as MeasureSpec,
  };
  const layers: LayerConfig[] = [
    ...s.before.map((l) => dense(l.units, l.activation)),
    dense(s.quantum.wires, 'tanh'),
    { quantum },
    ...s.after.map((l) => dense(l.units, l.activation)),
    dense(numClasses),
  ];
  const split = splitCounts(rows, s.data.trainShare);
  const data =
    s.data.kind === 'csv'
      ? { type: 'csv' as const, path: s.data.csvName ?? 'data.csv', label: s.data.csvLabel ?? 'label', split, standardize: true }
      : {
          type: s.data.kind,
          samples: s.data.samples,
          noise: s.data.noise,
          ...(s.data.noiseFeatures > 0 ? { noiseFeatures: s.data.noiseFeatures } : {}),
          split,
          standardize: true,
        };
  return {
    name: s.name,
    seed: s.seed,
    data: data as ExperimentConfig['data'],
    model: { layers },
    training: {
      epochs: s.training.epochs,
      batchSize: s.training.batchSize,
      optimizer: { type: 'adam', lr: s.training.lr },
      loss: 'cross_entropy',
      backend: 'cpu',
    },
    output: { dir: `runs/${s.name}` },
  };
}

function denseOf(layer: LayerConfig, where: string): DenseSpec {
  const spec = (layer as { dense?: DenseSpec }).dense;
  if (!spec) throw new PlaygroundConfigError(`${where}: the playground shows dense layers around one quantum layer; this is a ${Object.keys(layer)[0]} layer`);
  return spec;
}

/** The controls' settings for a (validated) config; refuses models the controls cannot show. */
export function configToSettings(config: ExperimentConfig): PlaygroundSettings {
  const layers = config.model.layers;
  if (!layers) throw new PlaygroundConfigError('model: the playground trains layer lists (model.layers), not Quantum-Train models');
  const qi = layers.findIndex((l) => 'quantum' in l);
  if (qi < 0 || layers.findIndex((l, i) => i > qi && 'quantum' in l) >= 0) throw new PlaygroundConfigError('model.layers: the playground needs exactly one quantum layer');
  const q = (layers[qi] as { quantum: QuantumLayerSpec }).quantum;
  const before = layers.slice(0, qi).map((l, i) => denseOf(l, `model.layers[${i}]`));
  const after = layers.slice(qi + 1).map((l, i) => denseOf(l, `model.layers[${qi + 1 + i}]`));
  const proj = before.pop();
  if (!proj || proj.units !== q.wires || (proj.activation ?? 'linear') !== 'tanh') {
    throw new PlaygroundConfigError(`model.layers[${qi - 1}]: the playground expects dense { units: ${q.wires}, activation: tanh } right before the quantum layer (one angle per wire)`);
  }
  if (after.length === 0 || after[after.length - 1].activation !== undefined && after[after.length - 1].activation !== 'linear') {
    throw new PlaygroundConfigError(`model.layers[${layers.length - 1}]: the playground expects a last dense layer without activation (the logits)`);
  }
  after.pop();
  const emb = q.embedding ?? { type: 'angle' };
  if (emb.type !== 'angle' && emb.type !== 'iqp' && emb.type !== 'zz_feature_map') throw new PlaygroundConfigError(`model.layers[${qi}].quantum.embedding.type: the playground offers angle, iqp and zz_feature_map, not ${emb.type}`);
  const ans = q.ansatz ?? { type: 'strongly_entangling', layers: 2 };
  if (ans.type === 'none') throw new PlaygroundConfigError(`model.layers[${qi}].quantum.ansatz.type: the playground needs a trainable ansatz`);
  const d = config.data as ExperimentConfig['data'] & { samples?: number; noise?: number; noiseFeatures?: number; label?: string; path?: string };
  if (d.type === 'mnist' || d.type === 'fashion-mnist') throw new PlaygroundConfigError(`data.type: the playground trains on 2-D sets and small CSV files, not ${d.type}`);
  const { train, val, test } = d.split;
  const total = train + val + test;
  return {
    name: config.name,
    seed: config.seed,
    data: {
      kind: d.type as DatasetKind,
      samples: d.samples ?? DEFAULT_SETTINGS.data.samples,
      noise: d.noise ?? 0,
      noiseFeatures: d.noiseFeatures ?? 0,
      trainShare: total > 0 ? train / (train + test || 1) : DEFAULT_SETTINGS.data.trainShare,
      ...(d.type === 'csv' ? { csvName: d.path?.replace(/^.*[\\/]/, ''), csvLabel: d.label } : {}),
    },
    before: before.map((l) => ({ units: l.units, activation: l.activation ?? 'linear' })),
    quantum: {
      wires: q.wires,
      embedding: emb.type,
      rotation: emb.type === 'angle' ? (emb.rotation ?? 'X') : 'X',
      scale: emb.type === 'angle' ? (emb.scale ?? 1) : 1,
      ansatz: ans.type,
      depth: ans.type === 'real_amplitudes' ? (ans.reps ?? 3) : ans.layers,
      measure: q.measure?.type ?? 'expval',
    },
    after: after.map((l) => ({ units: l.units, activation: l.activation ?? 'linear' })),
    training: { epochs: config.training.epochs, batchSize: config.training.batchSize, lr: config.training.optimizer.lr },
  };
}
