// SIGINT (Ctrl-C) and SIGTERM during training: instead of dying mid-epoch, the run stops at the
// next safe point (after an epoch's checkpoint), and the CLI prints the exact command that
// continues it and exits with 128 + the signal number (130 / 143), as a shell expects. A second
// signal stops at once: every run-folder file is written atomically, so that is safe too.
//
// Handlers are installed only by the commands that train (a SIGINT handler would otherwise keep
// `draw` or `simulate` running) and removed when the command ends.

import { constants } from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
export type StopSignal = (typeof SIGNALS)[number];

/** The shell's exit status for a process stopped by `signal`: 128 + its number. */
export function exitCodeFor(signal: StopSignal): number {
  return 128 + constants.signals[signal];
}

export interface InterruptListener {
  /** Fires on the first SIGINT / SIGTERM. */
  readonly signal: AbortSignal;
  /** The signal received, if any. */
  readonly received: StopSignal | undefined;
  dispose(): void;
}

/** What training prints on the first signal; `entangle serve` says what it does instead. */
const TRAINING_NOTICE = (name: StopSignal) => `\n${name}: stopping after this epoch's checkpoint (send it again to stop at once)\n`;

export function listenForInterrupts(
  stderr: { write(text: string): unknown } = process.stderr,
  exit: (code: number) => void = (c) => process.exit(c),
  notice: (name: StopSignal) => string = TRAINING_NOTICE,
): InterruptListener {
  const controller = new AbortController();
  let received: StopSignal | undefined;
  const handlers = SIGNALS.map((name) => {
    const handler = () => {
      if (received) return exit(exitCodeFor(name)); // a second signal: stop now
      received = name;
      stderr.write(notice(name));
      controller.abort(name);
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose: () => handlers.forEach(([name, handler]) => process.off(name, handler)),
  };
}

/** `arg` quoted for a POSIX shell when it needs it ('…', with ' written as '\''). */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/** The command line as typed (shell-quoted). */
export function commandLine(args: readonly string[], program = 'entangle'): string {
  return [program, ...args].map(shellQuote).join(' ');
}

/** The command line that continues an interrupted command: what was typed, plus --resume. */
export function resumeCommand(args: readonly string[], program = 'entangle'): string {
  // Before a "--" (after it, --resume would be an argument).
  const end = args.includes('--') ? args.indexOf('--') : args.length;
  const withResume = args.includes('--resume') ? args : [...args.slice(0, end), '--resume', ...args.slice(end)];
  return commandLine(withResume, program);
}
