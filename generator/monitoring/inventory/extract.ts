/**
 * Rebuilds generator/monitoring/inventory/metrics.json, the metric names dashboards may use, from the
 * Go sources of the pinned releases (run by hand when a version changes; the tests only read the JSON):
 *
 *   npx tsx generator/monitoring/inventory/extract.ts <dir with git clones named as in SOURCES>
 *
 * Each clone must have the ref below (a tag or commit). Names are read from metric definitions
 * (`Name: "..."` with its `Namespace`/`Subsystem`, `NewDesc("...")`, `ns+"..."`); histograms get
 * their _bucket/_sum/_count series; registries Thanos wraps with a prefix are listed in PREFIXES with
 * the line that wraps them. Every name records the file and line it came from.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Source {
  /** Folder name of the clone under the given directory. */
  readonly clone: string;
  readonly repo: string;
  readonly ref: string;
  /** Paths (git pathspecs) holding metric definitions. */
  readonly paths: readonly string[];
}

/** The pinned releases (settings/versions.ts) and the library versions Thanos v0.42.4's go.mod pins. */
export const SOURCES: readonly Source[] = [
  // internal/cortex/chunk/cache: the Query Frontend's memcached client (pkg/queryfrontend/config.go:135).
  {
    clone: 'thanos-io+thanos/repo',
    repo: 'github.com/thanos-io/thanos',
    ref: 'v0.42.4',
    paths: ['cmd', 'pkg', 'internal/cortex/chunk/cache'],
  },
  {
    clone: 'prometheus+prometheus/repo',
    repo: 'github.com/prometheus/prometheus',
    ref: 'v3.13.2',
    paths: ['cmd', 'tsdb', 'notifier', 'rules', 'scrape', 'web', 'promql', 'storage', 'discovery', 'config'],
  },
  { clone: 'prometheus+alertmanager/repo', repo: 'github.com/prometheus/alertmanager', ref: 'v0.32.1', paths: ['.'] },
  { clone: 'thanos-io+objstore/repo', repo: 'github.com/thanos-io/objstore', ref: '71d60dfee488', paths: ['.'] },
  { clone: 'prometheus+client_golang/repo', repo: 'github.com/prometheus/client_golang', ref: 'v1.23.2', paths: ['prometheus'] },
  {
    clone: 'grpc-ecosystem+go-grpc-middleware/repo',
    repo: 'github.com/grpc-ecosystem/go-grpc-middleware',
    ref: 'providers/prometheus/v1.0.1',
    paths: ['providers/prometheus'],
  },
  // The exporter beside each memcached (MEMCACHED_EXPORTER_IMAGE v0.17.0): the commit tagged v0.17.0
  // ("Release v0.17.0"), named by hash because not every clone carries the tag.
  {
    clone: 'prometheus+memcached_exporter/repo',
    repo: 'github.com/prometheus/memcached_exporter',
    ref: 'edfd12b8106542d5fb20949234e5150c35891fc7',
    paths: ['pkg'],
  },
];

/** Registries Thanos (or Prometheus) wraps with a prefix: the names of `package` appear as prefix + name. */
const PREFIXES: ReadonlyArray<{ readonly prefix: string; readonly repo: string; readonly pathPrefix: string; readonly wrappedAt: string }> =
  [
    {
      prefix: 'thanos_',
      repo: 'github.com/thanos-io/objstore',
      pathPrefix: 'objstore.go',
      wrappedAt: 'thanos v0.42.4 cmd/thanos/compact.go:214 (and sidecar, store, receive, rule)',
    },
    {
      prefix: 'thanos_query_endpoints_',
      repo: 'github.com/thanos-io/thanos',
      pathPrefix: 'pkg/discovery/dns/',
      wrappedAt: 'thanos v0.42.4 cmd/thanos/endpointset.go:334',
    },
    {
      prefix: 'thanos_rule_query_apis_',
      repo: 'github.com/thanos-io/thanos',
      pathPrefix: 'pkg/discovery/dns/',
      wrappedAt: 'thanos v0.42.4 cmd/thanos/rule.go:385',
    },
    {
      prefix: 'thanos_rule_alertmanagers_',
      repo: 'github.com/thanos-io/thanos',
      pathPrefix: 'pkg/discovery/dns/',
      wrappedAt: 'thanos v0.42.4 cmd/thanos/rule.go:568',
    },
    {
      prefix: 'prometheus_tsdb_wal_',
      repo: 'github.com/prometheus/prometheus',
      pathPrefix: 'tsdb/wlog/',
      wrappedAt: 'prometheus tsdb/wlog NewSize (prometheus_tsdb_wal_ for the WAL)',
    },
  ];

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function git(clone: string, args: string[]): string {
  return execFileSync('git', ['-C', clone, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
}

/** String constants of one file: `ident = "value"` (const or var blocks alike). */
function constants(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/\b([A-Za-z_]\w*)\s*(?:string\s*)?=\s*"([a-z0-9_]*)"/g)) out.set(m[1], m[2]);
  return out;
}

function resolve(value: string | undefined, consts: Map<string, string>): string {
  if (!value) return '';
  if (value.startsWith('"')) return value.slice(1, -1);
  return consts.get(value) ?? '';
}

export function namesIn(text: string, packageConsts: Map<string, string>): Array<{ name: string; line: number }> {
  const consts = new Map([...packageConsts, ...constants(text)]);
  const out: Array<{ name: string; line: number }> = [];
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  // The type written just before the literal's brace (prometheus.HistogramOpts{ ... }), or the constructor.
  const kind = (start: number, end: number): 'histogram' | 'summary' | undefined => {
    const before = text.slice(Math.max(0, start - 60), start + 1);
    const inside = text.slice(start, end);
    if (/Histogram(Opts|Vec)?\s*\(?\s*(prometheus\.)?(HistogramOpts)?\s*\{?\s*$/.test(before) || /NewHistogram/.test(inside))
      return 'histogram';
    if (/Summary(Opts|Vec)?\s*\(?\s*(prometheus\.)?(SummaryOpts)?\s*\{?\s*$/.test(before) || /NewSummary/.test(inside)) return 'summary';
    return undefined;
  };
  const SUFFIXES = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count'] } as const;
  const add = (name: string, index: number, start: number, end: number) => {
    if (!NAME.test(name) || !name.includes('_')) return;
    const line = lineOf(index);
    out.push({ name, line });
    const k = kind(start, end);
    if (k) for (const suffix of SUFFIXES[k]) out.push({ name: `${name}${suffix}`, line });
  };
  for (const m of text.matchAll(/\bName:\s*"([^"]+)"/g)) {
    // The Opts literal around it: from its opening brace to its closing one.
    const start = text.lastIndexOf('{', m.index);
    const end = text.indexOf('}', m.index);
    const block = text.slice(start, end);
    const ns = resolve(/\bNamespace:\s*("[^"]*"|\w+)/.exec(block)?.[1], consts);
    const sub = resolve(/\bSubsystem:\s*("[^"]*"|\w+)/.exec(block)?.[1], consts);
    add([ns, sub, m[1]].filter(Boolean).join('_'), m.index, start, end);
  }
  for (const m of text.matchAll(/NewDesc\(\s*(?:"([^"]+)"|prometheus\.BuildFQName\(\s*("[^"]*"|\w+),\s*("[^"]*"|\w+),\s*"([^"]+)"\))/g)) {
    const name = m[1] ?? [resolve(m[2], consts), resolve(m[3], consts), m[4]].filter(Boolean).join('_');
    add(name, m.index, m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(/\bns\s*\+\s*"([a-z0-9_]+)"/g)) add(m[1], m.index, m.index, m.index + m[0].length);
  // Series Prometheus writes itself for every target (up, scrape_*) and for every alert (ALERTS).
  for (const m of text.matchAll(/name:\s*\[\]byte\("([a-z_]+)"\s*\+/g)) out.push({ name: m[1], line: lineOf(m.index) });
  for (const m of text.matchAll(/alertMetricName\s*=\s*"([A-Z_]+)"/g)) out.push({ name: m[1], line: lineOf(m.index) });
  return out;
}

export interface Inventory {
  readonly sources: ReadonlyArray<{ readonly repo: string; readonly ref: string; readonly commit: string }>;
  readonly prefixes: typeof PREFIXES;
  /** name -> "<repo>@<ref>:<file>:<line>" (the first definition found). */
  readonly metrics: Readonly<Record<string, string>>;
}

export function extract(root: string): Inventory {
  const metrics = new Map<string, string>();
  const sources: Array<{ repo: string; ref: string; commit: string }> = [];
  for (const source of SOURCES) {
    const clone = join(root, source.clone);
    const commit = git(clone, ['rev-parse', `${source.ref}^{commit}`]).trim();
    sources.push({ repo: source.repo, ref: source.ref, commit });
    const files = git(clone, ['ls-tree', '-r', '--name-only', commit, '--', ...source.paths])
      .split('\n')
      .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.includes('/testutil') && !f.startsWith('test/'));
    const byDir = new Map<string, string[]>();
    for (const f of files) byDir.set(f.slice(0, f.lastIndexOf('/') + 1), [...(byDir.get(f.slice(0, f.lastIndexOf('/') + 1)) ?? []), f]);
    for (const [, dirFiles] of [...byDir.entries()].sort()) {
      const texts = dirFiles.sort().map((f) => [f, git(clone, ['show', `${commit}:${f}`])] as const);
      const packageConsts = new Map(texts.flatMap(([, text]) => [...constants(text)]));
      for (const [file, text] of texts) {
        for (const { name, line } of namesIn(text, packageConsts)) {
          const where = `${source.repo}@${source.ref}:${file}:${line}`;
          if (!metrics.has(name)) metrics.set(name, where);
          for (const p of PREFIXES) {
            if (p.repo === source.repo && file.startsWith(p.pathPrefix) && !metrics.has(p.prefix + name))
              metrics.set(p.prefix + name, `${where} (prefixed ${p.prefix}: ${p.wrappedAt})`);
          }
        }
      }
    }
  }
  return { sources, prefixes: PREFIXES, metrics: Object.fromEntries([...metrics.entries()].sort(([a], [b]) => a.localeCompare(b))) };
}

if (process.argv[1]?.endsWith('extract.ts')) {
  const root = process.argv[2];
  if (!root) {
    process.stderr.write('usage: npx tsx generator/monitoring/inventory/extract.ts <dir holding the clones named in SOURCES>\n');
    process.exit(2);
  }
  const inventory = extract(root);
  const path = new URL('./metrics.json', import.meta.url).pathname;
  writeFileSync(path, `${JSON.stringify(inventory, null, 1)}\n`);
  process.stdout.write(`wrote ${Object.keys(inventory.metrics).length} metric names to ${path}\n`);
}
