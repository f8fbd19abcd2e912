/** What the check engine reports as it goes (kept structural so this module loads nothing heavy). */
export interface ProgressUpdate {
  readonly set: string;
  readonly phase: string;
  readonly done: number;
  readonly total: number;
}

export interface ProgressLine {
  readonly update: (event: ProgressUpdate) => void;
  readonly finish: () => void;
}

/**
 * One self-rewriting line on a terminal ("check 7/24 prod-oss"), shown only once a run has taken
 * more than `delayMs`, and erased at the end. Nothing at all when the stream is not a TTY, so
 * piped, JSON, SARIF and JUnit output stay clean.
 */
export function progressLine(
  stream: NodeJS.WriteStream,
  label: string,
  options: { enabled: boolean; delayMs?: number; now?: () => number },
): ProgressLine {
  const now = options.now ?? Date.now;
  const started = now();
  let shown = false;
  if (!options.enabled || !stream.isTTY) return { update: () => undefined, finish: () => undefined };
  return {
    update: (event) => {
      if (now() - started < (options.delayMs ?? 1000)) return;
      shown = true;
      const text = `${label} ${event.done}/${event.total} ${event.phase === 'checked' ? 'checked' : event.phase} ${event.set}`;
      stream.write(`\r\x1b[2K${text.slice(0, (stream.columns || 80) - 1)}`);
    },
    finish: () => {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
