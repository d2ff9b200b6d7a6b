// The learnable gate of the quantum head: logits = logits_cls + alpha · logits_q with
// alpha = sigmoid(alpha_raw), one trainable scalar. alpha_raw starts at `alphaInit` (default −6:
// alpha ≈ 0.0025), so the hybrid starts as the classical model and the branch has to earn its
// weight; the model may also learn to switch it off (alpha → 0), which is why alpha is logged
// every epoch (epochMetrics → metrics.jsonl).

import * as tf from '@tensorflow/tfjs';

export interface QuantumGateArgs {
  alphaInit: number;
  name?: string;
}

export const ALPHA_WEIGHT = 'alpha_raw';

export class QuantumGate extends tf.layers.Layer {
  static className = 'QuantumGate';
  readonly alphaInit: number;
  private alphaRaw: tf.LayerVariable | null = null;

  constructor(args: QuantumGateArgs) {
    super({ name: args.name });
    if (!Number.isFinite(args.alphaInit)) throw new RangeError(`alphaInit must be a finite number, got ${args.alphaInit}`);
    this.alphaInit = args.alphaInit;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shapes = inputShape as tf.Shape[];
    if (!Array.isArray(shapes[0]) || shapes.length !== 2 || shapes[0].join(',') !== shapes[1].join(',')) {
      throw new Error(`QuantumGate "${this.name}": expects two inputs of one shape (classical and quantum logits), got ${JSON.stringify(inputShape)}`);
    }
    this.alphaRaw = this.addWeight(ALPHA_WEIGHT, [1], 'float32', tf.initializers.constant({ value: this.alphaInit }), undefined, true);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (inputShape as tf.Shape[])[0];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [cls, q] = inputs as tf.Tensor[];
      const alpha = tf.sigmoid((this.alphaRaw as tf.LayerVariable).read());
      return cls.add(q.mul(alpha));
    });
  }

  /** The gate's current alpha = sigmoid(alpha_raw), in float64 from the stored float32 alpha_raw. */
  get alpha(): number {
    const raw = (this.alphaRaw as tf.LayerVariable).read().dataSync()[0];
    return 1 / (1 + Math.exp(-raw));
  }

  epochMetrics(): Record<string, number> {
    return { alpha: this.alpha };
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), alphaInit: this.alphaInit };
  }
}

tf.serialization.registerClass(QuantumGate);

/** The gate of a model (the quantum head's), or undefined for a model without one. */
export function findGate(model: tf.LayersModel): QuantumGate | undefined {
  return model.layers.find((l): l is QuantumGate => l instanceof QuantumGate);
}
