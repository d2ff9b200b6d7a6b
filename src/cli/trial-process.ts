// Entry of the child process in which `entangle worker` trains one trial (BullMQ's sandboxed
// processor: it imports this module and calls its default export with each job). A process entry
// like main.ts, so it hands the engine this machine's memory first.
import '../node-memory.js';
import '../node-threads.js';

export { processTrialJob as default } from '../distributed/trial-job.js';
