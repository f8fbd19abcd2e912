import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { hasKustomization, startRender } from '../core/kube/kubectl.js';
import { repoRoot } from '../core/repo-root.js';

/**
 * The entry of the compiled CLI (scripts/run.mjs starts it). It loads next to nothing itself: the
 * renders a command is known to need start first, then yargs, the commands and the rules load
 * while kubectl works. A one-overlay check spends most of its time in that one render.
 */
export async function start(argv: string[]): Promise<void> {
  for (const dir of rendersToStart(argv, repoRoot(), availableParallelism())) startRender(dir);
  const { main } = await import('./main.js');
  main(argv);
}

/** Options after which check renders something else (files, other overlays, with origin annotations) or nothing, or at another pace. */
const OTHER_RENDERS = ['--file', '--changed-since', '--origins', '--concurrency', '--help', '--version'];
/** Formats that place findings in files, so check renders with origin annotations (a different kustomization). */
const ORIGIN_FORMATS = new Set(['sarif', 'github', 'junit']);

/**
 * The overlay folders `check --overlay X [Y...]` will render, read from the arguments before yargs
 * loads: only the plain case (named overlays that exist, no more than one render wave of `cores`,
 * no option that changes what or how it renders). Anything else gives none and check renders as
 * usual. A wrong guess costs one render nobody takes over, never a different report: check renders
 * what it needs, and only the identical command is taken over.
 */
export function rendersToStart(argv: readonly string[], root: string, cores: number): string[] {
  if (argv[0] !== 'check') return [];
  const names: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    const [option, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (OTHER_RENDERS.includes(option)) return [];
    if (option === '--format' && ORIGIN_FORMATS.has(inline ?? argv[i + 1] ?? '')) return [];
    if (option !== '--overlay') continue;
    if (inline !== undefined) names.push(inline);
    // yargs reads `--overlay a b` as two overlays: every value up to the next option.
    else while (i + 1 < argv.length && !argv[i + 1].startsWith('-')) names.push(argv[++i]);
  }
  const unique = [...new Set(names)];
  if (unique.length === 0 || unique.length > cores) return [];
  const dirs = unique.filter((name) => !/[\\/]/.test(name) && name !== '..' && name !== '.').map((name) => join(root, 'overlays', name));
  return dirs.filter(hasKustomization);
}
