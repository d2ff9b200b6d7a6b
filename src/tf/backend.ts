// Choosing and starting the TensorFlow.js backend. Node cannot use tfjs-node here (its install
// downloads libtensorflow), so the choice is between the pure-JS 'cpu' backend and 'wasm'.

import * as tf from '@tensorflow/tfjs';

export type BackendName = 'wasm' | 'cpu';

let ready: BackendName | undefined;

/** Start a backend once per process; later calls with the same name are free. */
export async function setupBackend(name: BackendName = 'cpu'): Promise<BackendName> {
  if (ready === name) return name;
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`TensorFlow.js backend "${name}" failed to start`);
  await tf.ready();
  ready = name;
  return name;
}
