// Entry point of the `entangle` command (bin/entangle.js loads this file).
import '../node-memory.js'; // the engine's memory budget: this machine's memory
import '../node-threads.js'; // worker_threads for --threads and training.threads
import { runCli } from './program.js';

// `entangle train … | head`: when the reader closes the pipe, stop quietly as Unix tools do
// (every run-folder file is written atomically, so the folder stays readable and resumable).
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

process.exitCode = await runCli(process.argv);
