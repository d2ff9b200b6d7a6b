// Node-side entries (src/index.ts, the CLI) hand the engine this machine's memory as its budget:
// the engine itself runs in browsers too and cannot ask (engine/memory.ts).

import { totalmem } from 'node:os';
import { setPlatformMemory } from './engine/memory.js';

setPlatformMemory(totalmem(), "this machine's memory (os.totalmem)");
