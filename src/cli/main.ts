// Entry point of the `entangle` command (bin/entangle.js loads this file).
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv);
