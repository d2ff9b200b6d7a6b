// QuantumLayer: the circuit layer of hybrid models, described by a YAML-level spec (embedding,
// ansatz, measurement: models/quantum-spec.ts). The spec is what it saves in model.json, so a
// saved model rebuilds the same circuit; the running is CircuitLayer's (the tfjs bridge).

import * as tf from '@tensorflow/tfjs';
import { CircuitLayer } from '../tf/circuit-layer.js';
import { decodeConfigHex, encodeConfigHex } from '../tf/config-hex.js';
import { buildCircuit, type QuantumLayerSpec } from './quantum-spec.js';

export interface QuantumLayerArgs {
  spec: QuantumLayerSpec;
  /** Seed of the circuit-weight initializer (and of shot sampling). */
  seed?: number;
  name?: string;
  trainable?: boolean;
  /** Finite shots for evaluation (parameter-shift gradients then); exact when absent. */
  shots?: number;
  /** Engine threads per batch (default 1); not part of the saved model. */
  threads?: number;
}

export class QuantumLayer extends CircuitLayer {
  static override className = 'QuantumLayer';
  readonly spec: QuantumLayerSpec;

  constructor(args: QuantumLayerArgs) {
    const built = buildCircuit(args.spec);
    super({
      circuit: built.circuit,
      measurement: built.measurement,
      diffMethod: args.spec.diffMethod,
      shots: args.shots,
      threads: args.threads,
      seed: args.seed,
      init: args.spec.init,
      name: args.name,
      trainable: args.trainable,
    });
    this.spec = args.spec;
  }

  // The config (and so the model fingerprint that ties checkpoints to runs) is the spec, as hex
  // of its JSON (see tf/config-hex.ts; models/save.ts writes it readable in model.json).
  override getConfig(): tf.serialization.ConfigDict {
    return { ...this.layerConfig(), specHex: encodeConfigHex(this.spec), seed: this.seed, ...(this.shots ? { shots: this.shots } : {}) };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const { specHex, ...rest } = config as { specHex: string } & Record<string, unknown>;
    return new cls({ ...(rest as unknown as QuantumLayerArgs), spec: decodeConfigHex<QuantumLayerSpec>(specHex, 'QuantumLayer config: specHex') }) as T;
  }
}

tf.serialization.registerClass(QuantumLayer);
