import { checkCommand } from './check.js';
import { diffCommand } from './diff.js';
import { generateCommand } from './generate.js';
import { newOverlayCommand } from './new-overlay.js';
import { removeOverlayCommand } from './remove-overlay.js';
import { renderCommand } from './render.js';
import { upgradeCommand } from './upgrade.js';

import type { WriteHooks } from '../../generator/write/writer.js';

/**
 * Every CLI command; each is a thin yargs module over the library. The commands that write pass
 * `writeHooks` to the writer: only tests give any (to fail a write halfway and see it rolled back).
 */
export function commands(writeHooks?: WriteHooks) {
  return [
    generateCommand(writeHooks),
    renderCommand,
    checkCommand,
    diffCommand,
    newOverlayCommand(writeHooks),
    removeOverlayCommand(writeHooks),
    upgradeCommand,
  ];
}
