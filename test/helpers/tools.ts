import { spawnSync } from 'node:child_process';

/** promtool from Debian's `prometheus` package; .ci/run installs it. Tests fail (not skip) without it. */
export function promtool(args: string[], input?: string): { code: number; output: string } {
  const result = spawnSync('promtool', args, { encoding: 'utf8', input, timeout: 60_000 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('promtool not found: install it with `apt-get install -y prometheus` (.ci/run does this)');
  }
  return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** amtool from Debian's `prometheus-alertmanager` package; .ci/run installs it. Tests fail (not skip) without it. */
export function amtool(args: string[]): { code: number; output: string } {
  const result = spawnSync('amtool', args, { encoding: 'utf8', timeout: 60_000 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('amtool not found: install it with `apt-get install -y prometheus-alertmanager` (.ci/run does this)');
  }
  return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}
