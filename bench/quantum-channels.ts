// `npm run bench -- quantum-channels`: the precompute of the quantum feature channels for 50,000
// images (the size of CIFAR's training set), as a run with model.quantumChannels does it: cell
// means, both circuits in batched engine calls, the cache file written; then the same call again
// (a cache hit: read, verify, append). Images are seeded noise of CIFAR's shape (32x32x3) and
// Fashion-MNIST's (28x28x1): the engine's cost does not depend on the pixel values.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dataset } from '../src/data/dataset.js';
import { withQuantumChannels } from '../src/models/quantum-channels/channels.js';
import { Rng } from '../src/util/random.js';

const IMAGES = 50_000;

function noiseImages(count: number, shape: [number, number, number]): Dataset {
  const rng = new Rng(7);
  const d = shape[0] * shape[1] * shape[2];
  return { features: Float32Array.from({ length: count * d }, () => rng.next()), labels: new Int32Array(count), numSamples: count, numFeatures: d, numClasses: 1, featureNames: [], classNames: ['x'], shape };
}

export function runQuantumChannelsBench(): string {
  const rows: string[] = [];
  for (const shape of [[32, 32, 3], [28, 28, 1]] as Array<[number, number, number]>) {
    const ds = noiseImages(IMAGES, shape);
    for (const qubits of [4, 8]) {
      const dir = mkdtempSync(join(tmpdir(), 'entangle-bench-qch-'));
      try {
        const cpu0 = process.cpuUsage();
        const cold = withQuantumChannels(ds, { qubits, cacheDir: dir }).stats;
        const cpu = process.cpuUsage(cpu0);
        const hit = withQuantumChannels(ds, { qubits, cacheDir: dir }).stats;
        if (hit.cache !== 'hit') throw new Error('the second call should have read the cache');
        rows.push(`| ${shape.join('×')} | ${qubits} | ${cold.precompute_seconds.toFixed(2)} | ${cold.total_seconds.toFixed(2)} | ${((cpu.user + cpu.system) / 1e6).toFixed(2)} | ${(IMAGES / cold.precompute_seconds).toFixed(0)} | ${hit.total_seconds.toFixed(2)} |`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  return [
    `## Quantum channels: precompute for ${IMAGES.toLocaleString('en')} images (edge + texture circuits)`,
    '',
    '| image | qubits | engine s | first call s (means, engine, cache write, append) | first call CPU s | images/s (engine) | cache hit s |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}
