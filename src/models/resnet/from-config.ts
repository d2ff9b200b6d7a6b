// `model.resnet` of a config → a ResNet classifier for the data: its input channels and classes
// are the data's, and initialWeights (relative to the config file's folder) fills it from a file.

import { isAbsolute, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { ModelConfigError } from '../build.js';
import { loadInitialWeights } from '../initial-weights.js';
import { buildResNet } from './build.js';
import type { ResNetConfig } from './spec.js';

export interface ResNetFamilyOptions {
  inputShape: number[];
  seed: number;
  name?: string;
  /** Classes of the data (absent: not a classification task, which a ResNet classifier refuses). */
  numClasses?: number;
  /** Folder that relative paths (initialWeights) are resolved against; default the working directory. */
  baseDir?: string;
}

export function buildResNetFromConfig(config: ResNetConfig, options: ResNetFamilyOptions): tf.LayersModel {
  if (options.numClasses === undefined) throw new ModelConfigError('model.resnet', 'a ResNet is a classifier: it needs training.task classification and labelled data');
  const model = buildResNet(config, { inputShape: options.inputShape, classes: options.numClasses, seed: options.seed, name: options.name });
  if (config.initialWeights !== undefined) {
    const file = isAbsolute(config.initialWeights) ? config.initialWeights : resolve(options.baseDir ?? '.', config.initialWeights);
    try {
      loadInitialWeights(model, file);
    } catch (e) {
      model.dispose();
      throw Object.assign(new ModelConfigError('model.resnet.initialWeights', (e as Error).message), { cause: e });
    }
  }
  return model;
}
