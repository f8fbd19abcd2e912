/**
 * npm run fork-play: a fork's first day, played in a copy of this repository. It sets repoURL and
 * branch, replaces every CHANGE-ME of the registry with a real-looking value, adds and removes
 * overlays with the CLI (the README's example among them), then runs generate, the drift check,
 * check and the README's test command there. It must pass: a fork configured as the README says
 * keeps its CI green. Not part of `npm test`, which it runs (CI runs it as its own step).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { overlayPlaceholders } from '../generator/overlay/placeholders.js';
import { REGISTRY_PATH, addRegistryEntry, parseRegistry } from '../generator/model/registry-file.js';
import type { OverlayDefinition } from '../settings/schema/overlay-entry.js';
import { REPO_ROOT } from './helpers/paths.js';

const SETTINGS = 'settings/gitops.ts';
/** The README's test command. */
const TEST_COMMAND = ['npm', 'test'];
/** The README's new-overlay example, exactly. */
const README_EXAMPLE = ['prod-s3', '--', '--bucket', 'metrics-prod', '--region', 'eu-central-1'];
const FORK = { repoURL: 'https://github.com/acme-observability/thanos-ha-gitops.git', branch: 'production' };

/** A real-looking value for each placeholder field (what a user would type). */
function realValue(overlay: OverlayDefinition, field: string): string {
  if (field === 'bucket') return `acme-metrics-${overlay.name}`;
  if (field === 'settings.storageAccount') return 'acmemetrics';
  if (field === 'settings.appId') return '1250000000';
  if (field === 'settings.endpoint') return 'https://keystone.acme-cloud.net:5000/v3';
  if (field === 'settings.project') return 'observability';
  if (field === 'sops.age') return 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
  if (field === 'identity') {
    if (overlay.provider === 's3') return 'arn:aws:iam::123456789012:role/thanos';
    if (overlay.provider === 'gcs') return 'thanos@acme-observability.iam.gserviceaccount.com';
    return '6f1c2a9e-4b7d-4c1e-9a55-3f0d2b8e7c41';
  }
  throw new Error(`fork-play: no real-looking value for '${field}' of '${overlay.name}'; teach realValue() about it`);
}

function setField(entry: Record<string, unknown>, path: string, value: string): void {
  const keys = path.split('.');
  let target = entry;
  for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
  // A list field (sops.age) takes the value as its one item.
  target[keys[keys.length - 1]] = path === 'sops.age' ? [value] : value;
}

function step(title: string, root: string, command: string[], env: Record<string, string> = {}): string {
  const started = Date.now();
  process.stdout.write(`fork-play: ${title}: ${command.join(' ')}\n`);
  const result = spawnSync(command[0], command.slice(1), {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env, THANOS_HA_ROOT: root },
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) {
    process.stdout.write(output);
    throw new Error(`fork-play: '${command.join(' ')}' failed (exit ${result.status}) in ${root}: ${title}`);
  }
  process.stdout.write(`  ok (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return output;
}

function copyOfRepository(): string {
  const root = mkdtempSync(join(tmpdir(), 'thanos-ha-fork-'));
  for (const entry of readdirSync(REPO_ROOT)) {
    if (['node_modules', '.git', '.thanos-ha.lock', 'coverage', '.bench-tmp'].includes(entry)) continue;
    cpSync(join(REPO_ROOT, entry), join(root, entry), { recursive: true });
  }
  // `npm ci` of the README's first step, without installing the same packages a second time.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

function configure(root: string): void {
  const settingsPath = join(root, SETTINGS);
  const settings = readFileSync(settingsPath, 'utf8');
  const configured = settings
    .replace(/repoURL: '[^']*'/, `repoURL: '${FORK.repoURL}'`)
    .replace(/branch: '[^']*'/, `branch: '${FORK.branch}'`);
  if (!configured.includes(FORK.repoURL) || !configured.includes(FORK.branch))
    throw new Error(`fork-play: could not set repoURL and branch in ${SETTINGS}`);
  writeFileSync(settingsPath, configured);
  const registryPath = join(root, REGISTRY_PATH);
  let text = readFileSync(registryPath, 'utf8');
  for (const overlay of parseRegistry(text)) {
    const placeholders = overlayPlaceholders(overlay);
    if (placeholders.length === 0) continue;
    const filled = structuredClone(overlay) as unknown as Record<string, unknown>;
    for (const { field } of placeholders) setField(filled, field, realValue(overlay, field));
    text = addRegistryEntry(text, filled as unknown as OverlayDefinition, { replace: true });
    process.stdout.write(`fork-play: ${overlay.name}: set ${placeholders.map((p) => p.field).join(', ')}\n`);
  }
  writeFileSync(registryPath, text);
  const left = parseRegistry(text).flatMap((overlay) => overlayPlaceholders(overlay).map((p) => `${overlay.name}: ${p.field}`));
  if (left.length > 0 || /(repoURL|branch): '[^']*CHANGE-ME/.test(readFileSync(settingsPath, 'utf8')))
    throw new Error(`fork-play: placeholders left: ${left.join(', ') || SETTINGS}`);
}

function main(): void {
  const root = copyOfRepository();
  const keep = process.argv.includes('--keep');
  try {
    process.stdout.write(`fork-play: a fork in ${root}\n`);
    configure(root);
    const names = () => parseRegistry(readFileSync(join(root, REGISTRY_PATH), 'utf8')).map((o) => o.name);
    if (names().includes('prod-s3'))
      step('the README example is already an overlay here; remove it first', root, ['npm', 'run', 'remove-overlay', 'prod-s3']);
    step("the README's new-overlay example", root, ['npm', 'run', 'new-overlay', ...README_EXAMPLE]);
    step('an overlay for a new environment on workload identity', root, [
      'npm',
      'run',
      'new-overlay',
      'forkplay-gcs',
      '--',
      '--profile',
      'staging',
      '--secrets',
      'workload-identity',
      '--identity',
      'thanos@acme-observability.iam.gserviceaccount.com',
      '--bucket',
      'acme-forkplay',
    ]);
    step('a SOPS overlay', root, [
      'npm',
      'run',
      'new-overlay',
      'forkplay-s3',
      '--',
      '--profile',
      'dev',
      '--secrets',
      'sops',
      '--bucket',
      'acme-forkplay-dev',
      '--region',
      'eu-west-1',
    ]);
    step('remove an added overlay', root, ['npm', 'run', 'remove-overlay', 'forkplay-gcs']);
    const first = names()[0];
    if (first !== 'prod-s3' && names().length > 2)
      step(`remove an overlay the fork came with (${first})`, root, ['npm', 'run', 'remove-overlay', first, '--', '--purge']);
    step('generate', root, ['npm', 'run', 'generate']);
    step('the drift check', root, ['npm', 'run', 'generate', '--', '--check']);
    step('check every overlay', root, ['npm', 'run', 'check']);
    step("the README's test command", root, TEST_COMMAND);
    process.stdout.write(`fork-play: passed; overlays now ${names().join(', ')}\n`);
  } finally {
    if (keep) process.stdout.write(`fork-play: kept ${root}\n`);
    else rmSync(root, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
