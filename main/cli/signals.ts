/**
 * Ctrl-C and SIGTERM for the CLI. One key press can reach the process two or three times within
 * milliseconds (the terminal signals the whole process group, and `npm run` / `tsx` forward it again),
 * so signals within a second of the first count as one: they cancel the running job cleanly (it saves
 * its record and checkpoints, and the command prints its summary). A signal a second or more later
 * forces: the process exits at once with 128 + the signal's number (130 / 143), as it would by default.
 *
 * The listeners stay installed for the life of the process (a copy of the signal may arrive after the
 * job has ended, while the summary is printed); with no job to cancel, a first signal exits as by default.
 */
import os from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
type Signal = (typeof SIGNALS)[number];

/** Signals closer than this to the first of a burst are copies of it. */
export const SAME_SIGNAL_MS = 1_000;

interface GuardState {
  cancel?: () => void;
  /** When the signal that started the current burst arrived. */
  firstAt?: number;
  stderr: NodeJS.WritableStream;
}

let state: GuardState | undefined;

function onSignal(signal: Signal): void {
  const guard = state;
  if (!guard) return;
  const now = Date.now();
  if (guard.firstAt !== undefined && now - guard.firstAt < SAME_SIGNAL_MS) return; // the same Ctrl-C, again
  const code = 128 + (os.constants.signals[signal] ?? 0);
  if (guard.firstAt !== undefined || !guard.cancel) {
    if (guard.firstAt !== undefined)
      guard.stderr.write(
        `\ncutover: ${signal} again: stopping at once. The job is left interrupted; run the same command again to resume it.\n`,
      );
    process.exit(code);
  }
  guard.firstAt = now;
  guard.stderr.write(
    `\ncutover: ${signal}: cancelling the job (its progress is kept; run the same command again to resume). Press Ctrl-C again to stop at once.\n`,
  );
  guard.cancel();
}

const listeners = new Map<Signal, () => void>(SIGNALS.map((signal) => [signal, () => onSignal(signal)]));

/**
 * Routes SIGINT/SIGTERM to `cancel` until the returned function is called (then a first signal exits
 * as by default, while copies of one already handled are still ignored).
 */
export function cancelOnSignals(cancel: () => void, stderr: NodeJS.WritableStream = process.stderr): () => void {
  if (!state) {
    state = { stderr };
    for (const [signal, listener] of listeners) process.on(signal, listener);
  }
  state.cancel = cancel;
  state.stderr = stderr;
  return () => {
    if (state?.cancel === cancel) state.cancel = undefined;
  };
}
