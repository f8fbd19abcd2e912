import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STACK, mergeStack, type StackConfig } from '../generator/model/stack.js';
import { PROFILE_DEFINITIONS } from '../settings/profiles.js';
import { PROFILES, type ProfileName } from '../settings/schema/overlay-entry.js';
import { REPO_ROOT } from './helpers/paths.js';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** Replicas where a component runs, `off` where the profile turns it off. */
const runs = (enabled: boolean, what: string | number) => (enabled ? String(what) : 'off');

/** What runs per profile, from the profiles over the stack defaults (what overlayStack starts from). */
function componentTable(): string {
  const stacks = PROFILES.map((p: ProfileName) => mergeStack(DEFAULT_STACK, PROFILE_DEFINITIONS[p].stack));
  const rows: Array<[string, (s: StackConfig) => string]> = [
    ['Prometheus + Thanos sidecar (StatefulSet)', (s) => String(s.prometheus.replicas)],
    ['Query', (s) => runs(s.query.enabled, s.query.replicas)],
    ['Query Frontend', (s) => runs(s.queryFrontend.enabled, s.queryFrontend.replicas)],
    ['Store Gateway', (s) => runs(s.store.enabled, s.store.replicas)],
    ['Compact', (s) => runs(s.compact.enabled, 1)],
    ['Ruler', (s) => runs(s.ruler.enabled, s.ruler.replicas)],
    // Receive runs where the registry names its writers, whatever the profile (overlayStack).
    ['Receive, where `writers` are named', (s) => `${s.receive.replicas} (replication ${s.receive.replicationFactor})`],
    ['Alertmanager', (s) => runs(s.alertmanager.enabled, s.alertmanager.replicas)],
    ['node-exporter (DaemonSet, one overlay per cluster)', (s) => runs(s.nodeExporter.enabled, 'every node')],
    ['kube-state-metrics', (s) => runs(s.kubeStateMetrics.enabled, 1)],
    ['memcached (caches; `cache.backend`)', (s) => runs(s.cache.backend === 'memcached', s.cache.replicas)],
  ];
  return [
    `| component | ${PROFILES.join(' | ')} |`,
    `| --- |${PROFILES.map(() => ' --- |').join('')}`,
    ...rows.map(([name, cell]) => `| ${name} | ${stacks.map(cell).join(' | ')} |`),
  ].join('\n');
}

const between = (text: string, marker: string) => {
  const match = new RegExp(`<!-- ${marker} -->\\n([\\s\\S]*?)\\n<!-- /${marker} -->`).exec(text);
  return match?.[1];
};

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, heading] of markdown.replace(/^```[\s\S]*?^```$/gm, '').matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

const pages = [
  'README.md',
  ...readdirSync(join(REPO_ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe('README.md, the front door', () => {
  it('shows what runs in dev, staging and prod as the profiles say', () => {
    expect(between(readme, 'components-by-profile')).toBe(componentTable());
  });
  it('keeps the two commands fork-play and .ci/run follow, and the new-overlay example fork-play runs', () => {
    expect(readme).toContain('npm ci && npm run generate && npm run check\n');
    expect(readme).toMatch(/^npm test$/m);
    expect(readme).toContain('npm run new-overlay prod-s3 -- --bucket metrics-prod --region eu-central-1');
  });
  it('lists every npm script', () => {
    const scripts = Object.keys(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts);
    expect(scripts.length).toBeGreaterThan(10);
    for (const script of scripts) expect(readme, script).toMatch(new RegExp(`\`npm (run )?${script}\\b`));
  });
  it('names every top-level folder of the layout', () => {
    const folders = readdirSync(REPO_ROOT, { withFileTypes: true })
      .filter(
        (e) => e.isDirectory() && !['node_modules', '.git', 'dist', 'coverage', '.bench-tmp', 'reports', '.stryker-tmp'].includes(e.name),
      )
      .map((e) => e.name);
    for (const folder of folders) expect(readme, folder).toContain(`\`${folder}/\``);
  });
});

const links = pages.flatMap((page) => {
  const text = readFileSync(join(REPO_ROOT, page), 'utf8').replace(/^```[\s\S]*?^```$/gm, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((link) => !/^[a-z]+:/.test(link))
    .map((link) => [page, link]);
});

describe('relative links in README.md and docs/', () => {
  it('found the links', () => expect(links.length).toBeGreaterThan(20));
  it.each(links)('%s: %s resolves, anchor included', (page, link) => {
    const [path, anchor] = link.split('#');
    const target = path ? normalize(join(dirname(page), path)) : page;
    expect(existsSync(join(REPO_ROOT, target)), `${page} -> ${target}`).toBe(true);
    if (anchor && target.endsWith('.md')) expect([...anchors(readFileSync(join(REPO_ROOT, target), 'utf8'))]).toContain(anchor);
  });
});
