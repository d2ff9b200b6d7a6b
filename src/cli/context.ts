// What the training commands get from the CLI around them (its own module: the commands and
// program.ts both import it, and neither imports the other's file back).

export interface CliContext {
  /** Start listening for SIGINT / SIGTERM (training commands call it); the signal fires on the first. */
  interrupts(): AbortSignal;
}
