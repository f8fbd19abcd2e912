import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import yamlPackage from 'yaml/package.json' with { type: 'json' };
import { onPath } from '../../core/on-path.js';

/**
 * The real promtool, run on what the check reads. One module for every promtool use (configs here,
 * rule files too), so "is it there", "which version" and the Kubernetes SD swap live in one place.
 * Spawned only when a set has something to check.
 */

interface PromtoolInfo {
  readonly available: boolean;
  readonly version?: string;
}

const found = new Map<string, PromtoolInfo>();

/**
 * Whether promtool is on PATH, and its version ("2.42.0"); asked once per PATH value. The answer of
 * `promtool --version` is kept on disk by the binary's path, size, inode and change time, so a
 * check does not start promtool only to learn its version (it answers from its caches otherwise).
 */
export function promtoolInfo(): PromtoolInfo {
  const path = process.env.PATH ?? '';
  let info = found.get(path);
  if (!info) {
    const binary = onPath('promtool');
    if (binary === undefined) info = { available: false };
    else {
      const stored = versionKey(binary);
      info = (stored === undefined ? undefined : readStored<PromtoolInfo>(stored)) ?? askVersion(stored);
    }
    found.set(path, info);
  }
  return info;
}

function versionKey(binary: string): string | undefined {
  try {
    const s = statSync(binary);
    return join(
      DISK_CACHE,
      `version-${createHash('sha256').update(`${binary}\n${s.size}\n${s.ino}\n${s.mtimeMs}\n${s.ctimeMs}`).digest('hex')}.json`,
    );
  } catch {
    return undefined;
  }
}

function askVersion(stored: string | undefined): PromtoolInfo {
  const result = spawnSync('promtool', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const text = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error || result.status !== 0) return { available: false };
  const info = { available: true, version: /version (\d+\.\d+\.\d+)/.exec(text)?.[1] };
  if (stored) store(stored, info);
  return info;
}

/** Whether promtool runs from this PATH. */
export function promtoolAvailable(): boolean {
  return promtoolInfo().available;
}

/**
 * Debian's promtool is built without Kubernetes service discovery and rejects `kubernetes_sd_configs`
 * itself: every such block (scrape jobs, Alertmanager discovery) becomes a static target first.
 */
export function withStaticTargets(config: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(config);
  const swap = (block: unknown, name: string) => {
    const b = block as Record<string, unknown> | null;
    if (!b || typeof b !== 'object' || !b.kubernetes_sd_configs) return;
    delete b.kubernetes_sd_configs;
    b.static_configs = [...((b.static_configs as unknown[]) ?? []), { targets: [`${name}.example.invalid:80`] }];
  };
  for (const job of (out.scrape_configs as Record<string, unknown>[] | undefined) ?? []) swap(job, String(job?.job_name ?? 'job'));
  const alerting = out.alerting as Record<string, unknown> | undefined;
  for (const [i, am] of ((alerting?.alertmanagers as unknown[] | undefined) ?? []).entries()) swap(am, `alertmanager-${i}`);
  return out;
}

/**
 * Prometheus v3 reads retention from the configuration file (`storage.tsdb.retention`, which
 * deprecates the --storage.tsdb.retention.* flags); Debian's promtool 2.42 predates the block and
 * refuses the whole file for it. It is taken out before promtool reads the file, and only it: every
 * other key is still checked. What promtool cannot judge, the generator's own validation covers
 * (retention size below the volume size).
 */
export function withoutRetentionBlock(config: Record<string, unknown>): Record<string, unknown> {
  const tsdb = (config.storage as Record<string, unknown> | undefined)?.tsdb as Record<string, unknown> | undefined;
  if (!tsdb || !('retention' in tsdb)) return config;
  const out = structuredClone(config);
  const storage = out.storage as Record<string, Record<string, unknown>>;
  delete storage.tsdb.retention;
  if (Object.keys(storage.tsdb).length === 0) delete storage.tsdb;
  if (Object.keys(storage).length === 0) delete out.storage;
  return out;
}

const cache = new Map<string, Answer & { readonly kept: boolean }>();

/**
 * promtool's answers are kept on disk by promtool version and content, so a check of an unchanged
 * configuration does not start promtool again (a one-overlay check spends most of its own time there).
 */
const DISK_CACHE = join(tmpdir(), 'thanos-ha-promtool-cache');

function diskKey(key: string): string {
  return join(
    DISK_CACHE,
    `${createHash('sha256')
      .update(`${promtoolInfo().version ?? ''}\n${key}`)
      .digest('hex')}.json`,
  );
}

function readStored<T>(stored: string): T | undefined {
  try {
    return JSON.parse(readFileSync(stored, 'utf8')) as T;
  } catch {
    return undefined; // not asked before (or unreadable): ask promtool
  }
}

function store(stored: string, answer: unknown): void {
  try {
    mkdirSync(DISK_CACHE, { recursive: true });
    writeFileSync(`${stored}.${process.pid}`, JSON.stringify(answer));
    renameSync(`${stored}.${process.pid}`, stored);
  } catch {
    // A cache that cannot be written only costs time.
  }
}

interface Answer {
  readonly ok: boolean;
  readonly output: string;
}

/** promtool's answer on `text`, and whether it is a real one (kept on disk), not a timeout or crash. */
function run(args: string[], name: string, text: string): Answer & { readonly kept: boolean } {
  const key = `${args.join(' ')}\n${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const stored = diskKey(key);
  const answer = readStored<Answer>(stored);
  if (answer) {
    const kept = { ok: answer.ok, output: answer.output, kept: true };
    cache.set(key, kept);
    return kept;
  }
  const dir = mkdtempSync(join(tmpdir(), 'thanos-ha-promtool-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, text);
    const result = spawnSync('promtool', [...args, path], { encoding: 'utf8', timeout: 60_000 });
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.split(path).join(name).trim();
    // Only a real answer is kept: a promtool that timed out or crashed is asked again next time.
    const checked = { ok: result.status === 0, output, kept: result.status === 0 || result.status === 1 };
    cache.set(key, checked);
    if (checked.kept) store(stored, { ok: checked.ok, output });
    return checked;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `promtool check config --syntax-only` on a Prometheus configuration (Kubernetes SD swapped for
 * static targets, the v3 retention block Debian's promtool 2.42 does not know taken out): its YAML
 * text, or the configuration already read (then taken as its JSON text would read back, at a
 * fraction of the cost of reading that text with the YAML reader).
 */
export function checkPrometheusConfig(
  config: string | Record<string, unknown>,
  options: { /** Prometheus in agent mode: `--agent` refuses alerting, rule_files and remote_read. */ agent?: boolean } = {},
): Answer {
  // Many overlays hand over one configuration (the promtool rule stands in for what differs): it is
  // written out for promtool once per process, not once per overlay.
  const given = `${options.agent ? 'agent' : 'server'}\n${typeof config === 'string' ? `text\n${config}` : `read\n${JSON.stringify(config)}`}`;
  let known = configAnswers.get(given);
  if (!known) {
    known = askAboutConfig(config, options.agent === true);
    configAnswers.set(given, known);
  }
  return known;
}

const configAnswers = new Map<string, Answer>();

function askAboutConfig(config: string | Record<string, unknown>, agent: boolean): Answer {
  const args = ['check', 'config', '--syntax-only', ...(agent ? ['--agent'] : [])];
  let doc: unknown;
  if (typeof config === 'string') {
    try {
      doc = parse(config);
    } catch (error) {
      return { ok: false, output: `not YAML: ${(error as Error).message}` };
    }
  } else {
    doc = JSON.parse(JSON.stringify(config));
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return answer(run(args, 'prometheus.yaml', config as string));
  // Every rewrite of the configuration before promtool reads it belongs here, in `prepared`:
  const prepared = withoutRetentionBlock(withStaticTargets(doc as Record<string, unknown>));
  // the text promtool reads is `stringify(prepared)`, a function of `prepared` and of the yaml
  // release alone, so an answer kept under both is found without writing the YAML out (a
  // one-overlay check's largest share of promtool's time once promtool itself is not asked).
  // Only for a configuration handed over read: JSON then says all it holds (no NaN, no undefined).
  const preparedKey =
    typeof config === 'string' ? undefined : diskKey(`${args.join(' ')}\nyaml ${yamlPackage.version}\n${JSON.stringify(prepared)}`);
  const known = preparedKey === undefined ? undefined : readStored<Answer>(preparedKey);
  if (known) return { ok: known.ok, output: known.output };
  const checked = run(args, 'prometheus.yaml', stringify(prepared));
  if (preparedKey !== undefined && checked.kept) store(preparedKey, answer(checked));
  return answer(checked);
}

const answer = (a: Answer): Answer => ({ ok: a.ok, output: a.output });

/** `promtool check rules` on one rule file, named as it should appear in messages. */
export function checkRuleFile(text: string, name = 'rules.yaml'): Answer {
  return answer(run(['check', 'rules'], name.replace(/[^A-Za-z0-9._-]/g, '_'), text));
}
