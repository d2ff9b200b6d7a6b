// A run stopped at a safe point because its AbortSignal fired (SIGINT / SIGTERM in the CLI).

export class RunInterruptedError extends Error {
  override name = 'RunInterruptedError';
  constructor(
    /** Epochs in the run's checkpoint (what --resume continues from); null: training had not started. */
    readonly epoch: number | null,
    readonly runDir: string,
    /** Whether something was written that --resume continues (false: run the command again as it was). */
    readonly resumable: boolean,
    /** The run it happened in, for commands that train several. */
    readonly runName?: string,
  ) {
    super(epoch === null ? `interrupted before training started in ${runDir}` : `interrupted after epoch ${epoch} in ${runDir}`);
  }
}

/** Throws a RunInterruptedError when `signal` has fired (before a run's folder is created). */
export function throwIfInterrupted(signal: AbortSignal | undefined, runDir: string, runName?: string, resumable = false): void {
  if (signal?.aborted) throw new RunInterruptedError(null, runDir, resumable, runName);
}
