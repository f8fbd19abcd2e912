import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Where `binary` would be started from: itself when it names a path, else the first executable
 * file of that name in a $PATH folder (as the shell and spawn look it up). Undefined when none.
 * Looked up rather than run: starting a tool only to learn it is there costs tens of milliseconds.
 */
export function onPath(binary: string): string | undefined {
  const candidates = binary.includes('/')
    ? [binary]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, binary));
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  });
}
