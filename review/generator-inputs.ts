import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { extractCommit } from './snapshot.js';

/**
 * The modules whose exported values every overlay's generated files are computed from. A change to
 * one of them is explained by the values that changed ("stack default compact.retentionRaw: 30d ->
 * 45d"), not by the file name alone. `scope` says which registry field an export is keyed by: a
 * change under PROFILE_DEFINITIONS.prod concerns the overlays whose `profile` is prod; everything
 * else concerns every overlay (GitOps settings too: runbook links in the rules carry the repository and branch).
 */
export const INPUT_MODULES: ReadonlyArray<{
  readonly path: string;
  readonly exports: Readonly<Record<string, { label: string; scope?: InputScope }>>;
}> = [
  { path: 'generator/model/stack.ts', exports: { DEFAULT_STACK: { label: 'stack default' } } },
  { path: 'settings/profiles.ts', exports: { PROFILE_DEFINITIONS: { label: 'profile', scope: 'profile' } } },
  { path: 'generator/model/providers.ts', exports: { PROVIDER_SPECS: { label: 'provider', scope: 'provider' } } },
  { path: 'settings/gitops.ts', exports: { GITOPS: { label: 'GitOps setting' } } },
  {
    path: 'settings/versions.ts',
    exports: {
      THANOS_VERSION: { label: 'Thanos version' },
      PROMETHEUS_VERSION: { label: 'Prometheus version' },
      THANOS_IMAGE: { label: 'Thanos image' },
      PROMETHEUS_IMAGE: { label: 'Prometheus image' },
    },
  },
];

/** Which overlays a changed value concerns: those with that profile or provider; unset: every overlay. */
export type InputScope = 'profile' | 'provider';

/** One changed input value. `scope`/`key`: the registry field and value it concerns (absent: every overlay). */
export interface InputChange {
  readonly module: string;
  /** Dotted path below the module's export, e.g. DEFAULT_STACK.compact.retentionRaw. */
  readonly path: string;
  /** What a reviewer reads: "stack default compact.retentionRaw: '30d' -> '45d'". */
  readonly text: string;
  readonly scope?: InputScope;
  readonly key?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Exported values as data; a function (a provider's config builder) is compared by its source text. */
function asData(value: unknown): Json | undefined {
  if (typeof value === 'function') return `<function> ${value.toString()}`;
  if (Array.isArray(value)) return value.map((item) => asData(item) ?? null);
  if (value && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const key of Object.keys(value).sort()) {
      const item = asData((value as Record<string, unknown>)[key]);
      if (item !== undefined) out[key] = item;
    }
    return out;
  }
  if (value === undefined || typeof value === 'symbol' || typeof value === 'bigint') return undefined;
  return value as Json;
}

/** The exported non-function values of every input module below `dir`; a module that does not load is reported. */
export async function readInputs(dir: string): Promise<Record<string, Record<string, Json> | { error: string }>> {
  const out: Record<string, Record<string, Json> | { error: string }> = {};
  for (const module of INPUT_MODULES) {
    try {
      const loaded = (await import(pathToFileURL(join(dir, module.path)).href)) as Record<string, unknown>;
      const values: Record<string, Json> = {};
      for (const [name, value] of Object.entries(loaded).sort(([a], [b]) => a.localeCompare(b))) {
        if (typeof value === 'function') continue; // exported functions are code: their effect shows in the generated files
        const data = asData(value);
        if (data !== undefined) values[name] = data;
      }
      out[module.path] = values;
    } catch (error) {
      out[module.path] = { error: (error as Error).message.split('\n')[0] };
    }
  }
  return out;
}

function flatten(value: Json | undefined, path: string, into: Map<string, string>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) flatten(item, path ? `${path}.${key}` : key, into);
    return;
  }
  if (value !== undefined) into.set(path, JSON.stringify(value));
}

const shown = (value: string | undefined) => {
  if (value === undefined) return '(unset)';
  const text = value.startsWith('"') ? `'${JSON.parse(value) as string}'` : value;
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** Value-level differences between two readInputs results. */
export function compareInputs(
  before: Awaited<ReturnType<typeof readInputs>>,
  after: Awaited<ReturnType<typeof readInputs>>,
): { changes: InputChange[]; errors: string[] } {
  const changes: InputChange[] = [];
  const errors: string[] = [];
  for (const module of INPUT_MODULES) {
    const [b, a] = [before[module.path], after[module.path]];
    for (const [side, value] of [
      ['base', b],
      ['working tree', a],
    ] as const) {
      if (value && 'error' in value && typeof value.error === 'string')
        errors.push(`${module.path} (${side}) did not load: ${value.error}`);
    }
    if (!b || !a || 'error' in b || 'error' in a) continue;
    const [fb, fa] = [new Map<string, string>(), new Map<string, string>()];
    flatten(b as Json, '', fb);
    flatten(a as Json, '', fa);
    for (const path of [...new Set([...fb.keys(), ...fa.keys()])].sort()) {
      if (fb.get(path) === fa.get(path)) continue;
      const [name, ...rest] = path.split('.');
      const meta = module.exports[name];
      const label = meta
        ? [meta.label, ...(rest.length ? [rest.join('.')] : [])].join(' ')
        : `${name}${rest.length ? `.${rest.join('.')}` : ''} (${module.path})`;
      changes.push({
        module: module.path,
        path,
        text: `${label}: ${shown(fb.get(path))} -> ${shown(fa.get(path))}`,
        ...(meta?.scope ? { scope: meta.scope, key: rest[0] } : {}),
      });
    }
  }
  return { changes, errors };
}

/** What the child process reports: both sides' input values, and the paths the working tree's generator would change. */
interface ChildReport {
  readonly before?: Awaited<ReturnType<typeof readInputs>>;
  readonly after?: Awaited<ReturnType<typeof readInputs>>;
  readonly stale: readonly string[] | { readonly error: string };
}

/**
 * What a change to the generator's sources amounts to, worked out by the generator of each side:
 * the input values that differ between `commit` and the working tree below `root` (with
 * `withInputs`), and the generated paths that differ from what the working tree's generator writes
 * (a tree not regenerated). The commit's generator sources (core/, generator/, settings/) are extracted to a temporary folder
 * (node_modules linked) and everything runs in one child process, so the running CLI never mixes
 * two versions of the same module, and the code that decides is the code under review.
 */
export function generatorChangesSince(
  root: string,
  commit: string,
  withInputs: boolean,
): { changes: InputChange[]; errors: string[]; stale: string[] | undefined } {
  let snapshot: { dir: string; cleanup: () => void } | undefined;
  try {
    if (withInputs) {
      snapshot = extractCommit(root, commit, 'inputs', ['core', 'generator', 'settings', 'package.json']);
      symlinkSync(join(root, 'node_modules'), join(snapshot.dir, 'node_modules'), 'dir');
    }
    // The working tree's own copy of this file, so its generator (the code under review) decides.
    const own = join(root, 'review', 'generator-inputs.ts');
    const script = existsSync(own) ? own : import.meta.filename;
    const child = spawnSync(process.execPath, ['--import', 'tsx', script, snapshot?.dir ?? '-', root], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, THANOS_HA_ROOT: root },
    });
    if (child.status !== 0) {
      const detail = (child.stderr || child.error?.message || '').trim().split('\n')[0];
      return { changes: [], errors: [`the generator could not be run: ${detail}`], stale: undefined };
    }
    const report = JSON.parse(child.stdout) as ChildReport;
    const compared = report.before && report.after ? compareInputs(report.before, report.after) : { changes: [], errors: [] };
    if (!Array.isArray(report.stale))
      return {
        ...compared,
        errors: [...compared.errors, `the generator failed: ${(report.stale as { error: string }).error}`],
        stale: undefined,
      };
    return { ...compared, stale: [...(report.stale as string[])] };
  } catch (error) {
    return {
      changes: [],
      errors: [`the generator's inputs could not be read: ${(error as Error).message.split('\n')[0]}`],
      stale: undefined,
    };
  } finally {
    snapshot?.cleanup();
  }
}

// As a child process: `inputs.ts <before-dir|-> <root>` prints both sides' values and the stale paths as JSON.
if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const [beforeDir, root] = process.argv.slice(2);
  const report: Record<string, unknown> = {};
  if (beforeDir !== '-') [report.before, report.after] = [await readInputs(beforeDir), await readInputs(root)];
  try {
    const [{ planGeneration }, { planChanges }, { DEFAULT_STACK }] = await Promise.all([
      import('../generator/operations/generate.js'),
      import('../generator/write/writer.js'),
      import('../generator/model/stack.js'),
    ]);
    const plan = planGeneration(DEFAULT_STACK, root);
    report.stale = planChanges(root, plan.files, plan.managedDirs).map((change) => change.path);
  } catch (error) {
    report.stale = { error: (error as Error).message.split('\n')[0] };
  }
  process.stdout.write(JSON.stringify(report));
}
