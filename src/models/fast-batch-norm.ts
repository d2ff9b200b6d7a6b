// tfjs-layers' BatchNormalization with a faster training-mode pass (src/tf-kernels/batch-norm.ts:
// one op with a closed-form gradient instead of autodiff through moments + batchNorm). Everything
// else is the stock layer's: its weights (gamma, beta, moving mean and variance), its config and
// class name — so a saved model.json says "BatchNormalization" and loads in any TensorFlow.js —
// its inference pass and its moving-average update (new = momentum·old + (1−momentum)·batch, with
// the biased batch variance, as the stock layer does). The class is not registered for
// deserialization: a loaded model gets the stock layer, which computes the same function.

import * as tf from '@tensorflow/tfjs';
import { batchNormTraining } from '../tf-kernels/batch-norm.js';

type BatchNormArgs = Parameters<typeof tf.layers.batchNormalization>[0];
type LayerVariable = { read(): tf.Tensor; write(value: tf.Tensor): void };

/** The stock class (tfjs exports only its factory). */
const StockBatchNormalization = Object.getPrototypeOf(tf.layers.batchNormalization({})).constructor as new (args: BatchNormArgs) => tf.layers.Layer;

class FastBatchNormalization extends StockBatchNormalization {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as { axis: number; momentum: number; epsilon: number; gamma?: LayerVariable; beta?: LayerVariable; movingMean: LayerVariable; movingVariance: LayerVariable };
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const lastAxis = self.axis === -1 || self.axis === x.rank - 1;
    if (kwargs.training !== true || !lastAxis || !self.gamma || !self.beta) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTraining(x, self.gamma!.read() as tf.Tensor1D, self.beta!.read() as tf.Tensor1D, self.epsilon);
      for (const [variable, batch] of [[self.movingMean, mean], [self.movingVariance, variance]] as const) {
        const old = variable.read();
        variable.write(tf.sub(old, tf.mul(tf.sub(old, batch), 1 - self.momentum)));
      }
      return y;
    });
  }
}

/** A BatchNormalization layer (channels last) that trains faster than the stock one; same settings. */
export function fastBatchNormalization(args: BatchNormArgs): tf.layers.Layer {
  return new FastBatchNormalization(args);
}
