import { UserError } from '../../core/errors.js';

/** A run stopped by SIGINT or SIGTERM; exit 130 like a shell. */
export class InterruptedError extends UserError {
  constructor(signal: string, detail: string) {
    super(`interrupted by ${signal}: ${detail}`, 130);
    this.name = 'InterruptedError';
  }
}

/**
 * Catches SIGINT and SIGTERM for the duration of a write so the process does not die halfway:
 * the synchronous write runs to its end, then the caller sees `signal()` set and undoes it.
 */
export function interruptGuard(): { signal: () => string | undefined; dispose: () => void } {
  let received: string | undefined;
  const onSignal = (name: string) => () => {
    received ??= name;
  };
  const handlers: Array<[NodeJS.Signals, () => void]> = [
    ['SIGINT', onSignal('SIGINT')],
    ['SIGTERM', onSignal('SIGTERM')],
  ];
  for (const [sig, handler] of handlers) process.on(sig, handler);
  return {
    signal: () => received,
    dispose: () => {
      for (const [sig, handler] of handlers) process.off(sig, handler);
    },
  };
}

/**
 * Lets signal handlers that arrived during synchronous work run. A signal is read in the event
 * loop's poll phase. A setImmediate alone runs before it; a timer set right after long synchronous
 * work is measured from the loop's stale clock and may fire before it too. So: one setImmediate
 * (a new loop iteration refreshes the clock), then a short timer, which makes the loop poll.
 */
export async function yieldToSignals(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 25));
}
