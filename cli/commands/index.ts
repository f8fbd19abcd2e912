import { checkCommand } from './check.js';
import { diffCommand } from './diff.js';
import { generateCommand } from './generate.js';
import { newOverlayCommand } from './new-overlay.js';
import { removeOverlayCommand } from './remove-overlay.js';
import { renderCommand } from './render.js';

/** Every CLI command; each is a thin yargs module over the library. */
export const commands = [generateCommand, renderCommand, checkCommand, diffCommand, newOverlayCommand, removeOverlayCommand];
