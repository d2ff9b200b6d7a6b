// `npm run bench [-- section...]`: run benchmark sections and print markdown tables.
// Sections: the keys of `sections` below (e.g. engine, circles, per-sample, evaluation, embedder); see
// BENCHMARKS.md for what each measures; an unknown name prints the list.
// No section = all.

import { cpus } from 'node:os';
import { runCnnKernelsBench } from './cnn-kernels.js';
import { runEngineBench } from './engine.js';
import { runEvaluationBench } from './evaluation.js';
import { runPerSampleBench } from './per-sample.js';
import { runOptimizerBench } from './optimizer.js';
import { runQuantumTrainBench } from './quantum-train.js';
import { runServeBench } from './serve.js';
import { runResNetBench } from './resnet.js';
import { runStartupBench } from './startup.js';
import { runCirclesBench } from './train-circles.js';
import { runSmallHybridBench } from './small-hybrid.js';
import { runRerankerBench } from './reranker.js';
import { runEmbedderBench } from './embedder.js';
import { runBm25WordnetBench } from './bm25-wordnet.js';
import { runQuantumChannelsBench } from './quantum-channels.js';
import { runThreadsBench } from './threads.js';
import { runStateSplitBench } from './state-split.js';
import { runLargeStateBench } from './large-state.js';

const sections: Record<string, () => string | Promise<string>> = {
  engine: runEngineBench,
  circles: runCirclesBench,
  'quantum-train': () => runQuantumTrainBench(),
  'cnn-kernels': () => runCnnKernelsBench(),
  startup: () => runStartupBench(),
  optimizer: () => runOptimizerBench(),
  'small-hybrid': () => runSmallHybridBench(),
  'per-sample': () => runPerSampleBench(),
  evaluation: () => runEvaluationBench(),
  reranker: () => runRerankerBench(),
  embedder: () => runEmbedderBench(),
  'bm25-wordnet': () => runBm25WordnetBench(),
  serve: () => runServeBench(),
  resnet: () => runResNetBench(),
  'quantum-channels': () => runQuantumChannelsBench(),
  threads: () => `${runThreadsBench()}\n\n${runStateSplitBench()}`,
  'state-split': () => runStateSplitBench(),
  'large-state': () => runLargeStateBench(),
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
