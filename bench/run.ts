// `npm run bench [-- section...]`: run benchmark sections and print markdown tables.
// Sections: engine (W4, QT13, L20), circles (issue 3 training throughput), quantum-train, cnn-kernels, startup, resnet
// (CPU time of starting the `entangle` command), and any others
// registered below. No section = all.

import { cpus } from 'node:os';
import { runCnnKernelsBench } from './cnn-kernels.js';
import { runEngineBench } from './engine.js';
import { runQuantumTrainBench } from './quantum-train.js';
import { runResNetBench } from './resnet.js';
import { runStartupBench } from './startup.js';
import { runCirclesBench } from './train-circles.js';
import { runQuantumChannelsBench } from './quantum-channels.js';

const sections: Record<string, () => string | Promise<string>> = {
  engine: runEngineBench,
  circles: runCirclesBench,
  'quantum-train': () => runQuantumTrainBench(),
  'cnn-kernels': () => runCnnKernelsBench(),
  startup: () => runStartupBench(),
  resnet: () => runResNetBench(),
  'quantum-channels': () => runQuantumChannelsBench(),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in sections));
if (unknown.length) {
  console.error(`unknown benchmark section(s): ${unknown.join(', ')}; choose from ${Object.keys(sections).join(', ')}`);
  process.exit(2);
}
console.log(`# Entangle benchmarks — ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}\n`);
for (const name of wanted.length ? wanted : Object.keys(sections)) {
  console.log(await sections[name]());
  console.log();
}
