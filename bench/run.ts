/**
 * npm run bench: the cost of `npm run check` against its floor, bare `kubectl kustomize` run once
 * per overlay one after another. A benchmark, not a test: it prints numbers and targets met or not.
 *
 *   npm run bench                       N = 24 and 200, and a fleet of 50 around one observer; 3 rounds each
 *   npm run bench -- --sizes 24,fleet50 --rounds 5 --json bench/results.json
 *   npm run bench -- --sizes 24 --keep   leaves the temporary copy (its path on stderr), to profile in
 *
 * The machine's load average is recorded with every size: on a shared machine the ratios move with it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatEntry, REGISTRY_PATH } from '../generator/model/registry-file.js';
import { PROFILES, PROVIDERS, type OverlayDefinition } from '../settings/schema/overlay-entry.js';
import { allowedSecretsModes, PROVIDER_SPECS } from '../generator/model/providers.js';
import { kubectlBinary } from '../core/kube/kubectl.js';

const REPO = resolve(import.meta.dirname, '..');

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}
/** A size: N independent overlays, or `fleet<N>`, N leaves and agents around one observer (N + 1 overlays). */
interface Size {
  readonly n: number;
  readonly fleet: boolean;
}
const SIZES: Size[] = option('sizes', '24,200,fleet50')
  .split(',')
  .map((token) => ({ n: Number(token.replace(/^fleet/, '')), fleet: token.startsWith('fleet') }));
const ROUNDS = Number(option('rounds', '3'));
const JSON_OUT = process.argv.includes('--json') ? option('json', join(REPO, 'bench/results.json')) : undefined;
const KEEP = process.argv.includes('--keep');

/** N overlays spread over every provider and environment (dev-only providers stay in dev). */
function benchOverlays(n: number): OverlayDefinition[] {
  const combos = PROFILES.flatMap((profile) =>
    PROVIDERS.filter((p) => profile === 'dev' || !PROVIDER_SPECS[p].devOnly).map((provider) => ({ profile, provider })),
  );
  return Array.from({ length: n }, (_, i) => {
    const { profile, provider } = combos[i % combos.length];
    const name = `b${String(i).padStart(3, '0')}-${provider}`;
    return {
      name,
      profile,
      provider,
      cluster: name,
      namespace: `mon-${name}`,
      secrets: allowedSecretsModes(provider, profile)[0],
      bucket: `bench-${name}`,
    } as OverlayDefinition;
  });
}

/**
 * One observer and `n` members around it, half leaves (every other one behind a TLSRoute) and half
 * agents, each in a cluster of its own: the wiring (endpoints, Receive writers, certificates) grows
 * with n in the observer, and a change to one member checks the whole fleet.
 */
function fleetOverlays(n: number): OverlayDefinition[] {
  const observer: OverlayDefinition = {
    name: 'fleet-s3',
    role: 'observer',
    profile: 'prod',
    provider: 's3',
    cluster: 'fleet-observer',
    namespace: 'mon-fleet',
    secrets: 'external-secrets',
    bucket: 'bench-fleet',
    expose: { host: 'receive.fleet.bench.example.com' },
  };
  const members = Array.from({ length: n }, (_, i): OverlayDefinition => {
    const name = `m${String(i).padStart(3, '0')}-s3`;
    const common = {
      name,
      observer: observer.name,
      profile: i % 4 < 2 ? 'prod' : 'staging',
      provider: 's3',
      cluster: `c-${name}`,
      namespace: 'mon-fleet',
      secrets: 'external-secrets',
    } as const;
    if (i % 2 === 1) return { ...common, role: 'agent' };
    const host = `grpc.${name}.bench.example.com`;
    return {
      ...common,
      role: 'leaf',
      expose: i % 4 === 0 ? { host } : { host, via: 'TLSRoute', gateway: { name: 'shared', namespace: 'gateways' } },
    };
  });
  return [observer, ...members];
}

function copyRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'thanos-ha-bench-'));
  for (const entry of readdirSync(REPO)) {
    if (['node_modules', '.git', 'overlays', 'gitops', 'clusters', 'dist'].includes(entry)) continue;
    cpSync(join(REPO, entry), join(root, entry), { recursive: true });
  }
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

function writeRegistry(root: string, overlays: OverlayDefinition[]): void {
  const body = overlays.map((o) => `  ${formatEntry(o)},`).join('\n');
  writeFileSync(
    join(root, REGISTRY_PATH),
    `import type { OverlayDefinition } from './schema/overlay-entry.js';\n\nexport const overlays: OverlayDefinition[] = [\n${body}\n];\n`,
  );
}

interface Run {
  readonly seconds: number;
  readonly code: number;
  readonly maxRssMiB?: number;
}

/** Runs a command to completion; wall time from spawn to exit. */
function timed(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - start) / 1000;
      if (code !== 0 && code !== 1) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 2000)}`));
      else resolveRun({ seconds, code: code ?? -1 });
    });
  });
}

// The same entry as the npm scripts: JavaScript compiled ahead, rebuilt when a source is newer.
const cli = (root: string) => [join(root, 'scripts/run.mjs')];

async function checkRun(root: string, extra: string[]): Promise<Run> {
  const rusage = join(root, `.rusage-${Date.now()}.json`);
  // The same run through bench/max-rss.mjs, which records the process's peak memory as it exits.
  const run = await timed(
    process.execPath,
    [join(root, 'bench/max-rss.mjs'), rusage, 'check', '--format', 'json', '--output', join(root, '.check.json'), ...extra],
    root,
    { THANOS_HA_ROOT: root },
  );
  const maxRssMiB = JSON.parse(readFileSync(rusage, 'utf8')).maxRssKiB / 1024;
  rmSync(rusage);
  return { ...run, maxRssMiB };
}

async function serialKustomize(root: string, names: string[]): Promise<Run> {
  const start = performance.now();
  for (const name of names) await timed(kubectlBinary(), ['kustomize', join(root, 'overlays', name)], root);
  return { seconds: (performance.now() - start) / 1000, code: 0 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
const fmt = (x: number, digits = 2) => x.toFixed(digits);

/** The 1-minute load average, to two decimals. */
const load = () => Number(loadavg()[0].toFixed(2));

async function benchSize({ n: members, fleet }: Size) {
  const root = copyRepo();
  const loadBefore = load();
  try {
    const overlays = fleet ? fleetOverlays(members) : benchOverlays(members);
    const n = overlays.length;
    writeRegistry(root, overlays);
    const generate = await timed(process.execPath, [...cli(root), 'generate'], root, { THANOS_HA_ROOT: root });
    // As `npm ci` (prepare) builds in a repository whose overlays are committed: the build compiles
    // in the models of the kinds the generated overlays hold, which the copy had none of before generate.
    await timed(process.execPath, [join(root, 'scripts/build.mjs')], root);
    const names = overlays.map((o) => o.name);

    const kustomize: number[] = [];
    const check: number[] = [];
    const ratios: number[] = [];
    const rss: number[] = [];
    let exitCode = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first so neither always runs on a warm page cache.
      const order = round % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
      let a = 0;
      let b = 0;
      for (const which of order) {
        if (which === 'a') a = (await serialKustomize(root, names)).seconds;
        else {
          const run = await checkRun(root, []);
          b = run.seconds;
          rss.push(run.maxRssMiB!);
          exitCode = run.code;
        }
      }
      kustomize.push(a);
      check.push(b);
      ratios.push(b / a);
      process.stderr.write(`  N=${n} round ${round + 1}/${ROUNDS}: kustomize ${fmt(a)} s, check ${fmt(b)} s, ratio ${fmt(b / a)}\n`);
    }

    // One overlay changed since the last commit: the pull-request case.
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
    execFileSync('git', ['-c', 'user.email=b@example.com', '-c', 'user.name=bench', 'add', '-A'], { cwd: root });
    execFileSync('git', ['-c', 'user.email=b@example.com', '-c', 'user.name=bench', 'commit', '-qm', 'bench'], { cwd: root });
    const changedFile = join(root, 'overlays', names[fleet ? 1 : 0], 'user', 'kustomization.yaml');
    appendFileSync(changedFile, '\n# changed\n');
    const changedSince: number[] = [];
    for (let round = 0; round < ROUNDS; round++) changedSince.push((await checkRun(root, ['--changed-since', 'HEAD'])).seconds);

    // One overlay end to end, as a person types it: npm run, the CLI, its render and every rule.
    const oneCheck: number[] = [];
    const oneKustomize: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      oneKustomize.push((await timed(kubectlBinary(), ['kustomize', join(root, 'overlays', names[1])], root)).seconds);
      oneCheck.push(
        (await timed('npm', ['run', '--silent', 'check', '--', '--overlay', names[1]], root, { THANOS_HA_ROOT: root })).seconds,
      );
    }

    // In a fleet, a new leaf also rewrites the observer (its Query dials the new leaf).
    const newArgs = fleet
      ? [
          'new-overlay',
          'new-s3',
          '--role',
          'leaf',
          '--observer',
          'fleet-s3',
          '--profile',
          'prod',
          '--expose-host',
          'grpc.new.bench.example.com',
        ]
      : ['new-overlay', 'prod-s3', '--bucket', 'bench-new'];
    const newOverlay = await timed(process.execPath, [...cli(root), ...newArgs], root, { THANOS_HA_ROOT: root });

    return {
      overlays: n,
      /** A fleet: one observer and n - 1 leaves and agents, so a change to one member checks all n. */
      fleet,
      rounds: ROUNDS,
      generateSeconds: generate.seconds,
      newOverlaySeconds: newOverlay.seconds,
      kustomizeSerial: { medianSeconds: median(kustomize), spreadSeconds: spread(kustomize), perOverlayMs: (median(kustomize) / n) * 1000 },
      check: { medianSeconds: median(check), spreadSeconds: spread(check), perOverlayMs: (median(check) / n) * 1000, exitCode },
      ratio: { median: median(ratios), spread: spread(ratios) },
      changedSinceOneOverlay: { medianSeconds: median(changedSince), spreadSeconds: spread(changedSince) },
      oneOverlay: {
        checkSeconds: median(oneCheck),
        kustomizeSeconds: median(oneKustomize),
        ratio: median(oneCheck) / median(oneKustomize),
      },
      peakRssMiB: Math.max(...rss),
      loadAverage: { before: loadBefore, after: load() },
    };
  } finally {
    if (KEEP) process.stderr.write(`  N=${fleet ? `fleet${members}` : members}: the copy is kept at ${root}\n`);
    else rmSync(root, { recursive: true, force: true });
  }
}

async function main() {
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kubectl: execFileSync(kubectlBinary(), ['version', '--client=true'], { encoding: 'utf8' }).split('\n')[0],
  };
  process.stderr.write(`bench on ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, node ${machine.node}\n`);
  const results = [];
  for (const size of SIZES) results.push(await benchSize(size));

  const targets: Array<[string, boolean]> = [];
  for (const r of results) {
    const limit = r.overlays >= 200 ? 0.7 : 1.0;
    const at = r.fleet ? `a fleet of ${r.overlays} (1 observer, ${r.overlays - 1} leaves and agents)` : undefined;
    targets.push([`full check ratio <= ${limit} at ${at ?? `N=${r.overlays}`} (median ${fmt(r.ratio.median)})`, r.ratio.median <= limit]);
    targets.push([
      `one overlay end to end (npm run --silent check -- --overlay X) <= 2.5x kubectl kustomize at N=${r.overlays} (${fmt(r.oneOverlay.checkSeconds)} s / ${fmt(r.oneOverlay.kustomizeSeconds)} s = x${fmt(r.oneOverlay.ratio)})`,
      r.oneOverlay.ratio <= 2.5,
    ]);
    // A change to one member of a fleet checks the whole fleet by design (fleet-wiring needs every member):
    // that run is held to the full check's target instead of the one-overlay one.
    if (r.fleet)
      targets.push([
        `--changed-since of one member checks the whole fleet of ${r.overlays} within the full check's ratio <= ${limit} (median ${fmt(r.changedSinceOneOverlay.medianSeconds)} s / ${fmt(r.kustomizeSerial.medianSeconds)} s = ${fmt(r.changedSinceOneOverlay.medianSeconds / r.kustomizeSerial.medianSeconds)})`,
        r.changedSinceOneOverlay.medianSeconds / r.kustomizeSerial.medianSeconds <= limit,
      ]);
    else
      targets.push([
        `one-overlay --changed-since under 2 s at N=${r.overlays} (median ${fmt(r.changedSinceOneOverlay.medianSeconds)} s)`,
        r.changedSinceOneOverlay.medianSeconds < 2,
      ]);
    targets.push([`new-overlay under 3 s at N=${r.overlays} (${fmt(r.newOverlaySeconds)} s)`, r.newOverlaySeconds < 3]);
    if (r.overlays >= 200)
      targets.push([`generate for ${r.overlays} overlays under 10 s (${fmt(r.generateSeconds)} s)`, r.generateSeconds < 10]);
  }
  // Memory is compared across the independent sizes; a fleet is a different shape, reported in the table.
  const independent = results.filter((r) => !r.fleet);
  if (independent.length > 1) {
    const first = independent[0];
    const last = independent[independent.length - 1];
    const growth = last.peakRssMiB / first.peakRssMiB;
    targets.push([
      `memory flat as N grows: peak RSS ${fmt(first.peakRssMiB, 0)} MiB at N=${first.overlays}, ${fmt(last.peakRssMiB, 0)} MiB at N=${last.overlays} (x${fmt(growth)}, target <= 1.5)`,
      growth <= 1.5,
    ]);
  }

  const lines = [
    '',
    '| N | kustomize serial (median ± spread) | check (median ± spread) | ratio b/a | one overlay: check / kustomize | --changed-since 1 overlay | peak RSS | generate | new-overlay | load average |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.fleet ? `fleet ${r.overlays}` : r.overlays} | ${fmt(r.kustomizeSerial.medianSeconds)} s ± ${fmt(r.kustomizeSerial.spreadSeconds)} | ${fmt(r.check.medianSeconds)} s ± ${fmt(r.check.spreadSeconds)} | ${fmt(r.ratio.median)} ± ${fmt(r.ratio.spread)} | ${fmt(r.oneOverlay.checkSeconds)} s / ${fmt(r.oneOverlay.kustomizeSeconds)} s = x${fmt(r.oneOverlay.ratio)} | ${fmt(r.changedSinceOneOverlay.medianSeconds)} s | ${fmt(r.peakRssMiB, 0)} MiB | ${fmt(r.generateSeconds)} s | ${fmt(r.newOverlaySeconds)} s | ${r.loadAverage.before} -> ${r.loadAverage.after} |`,
    );
  }
  lines.push('', 'Targets:');
  for (const [text, met] of targets) lines.push(`  ${met ? 'met    ' : 'NOT MET'}  ${text}`);
  console.log(lines.join('\n'));
  if (JSON_OUT) {
    writeFileSync(
      JSON_OUT,
      `${JSON.stringify({ date: new Date().toISOString(), machine, results, targets: targets.map(([text, met]) => ({ text, met })) }, null, 2)}\n`,
    );
    console.log(`\nJSON written to ${JSON_OUT}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
