import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, FIXTURES } from './helpers.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const upstream = join(FIXTURES, 'upstream-query-store.yaml');

describe('npm run check', () => {
  it('passes every overlay the project ships (or base when there are none) with zero errors', async () => {
    const run = await cli(['check', '--format', 'json']);
    const report = JSON.parse(run.stdout);
    expect(report.findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
    expect(run.code).toBe(0);
    expect(report.summary.errors).toBe(0);
    expect(report.summary.objects).toBeGreaterThan(20);
  });

  it('checks --file manifests from elsewhere: JSON in the documented shape, exit 1 on errors', async () => {
    const run = await cli(['check', '--file', upstream, '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report.summary)).toEqual(expect.arrayContaining(['errors', 'warnings', 'objects']));
    expect(report.summary.objects).toBe(2);
    for (const f of report.findings) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['rule', 'severity', 'kind', 'name', 'namespace', 'message']));
      expect(['error', 'warning']).toContain(f.severity);
      expect(f.overlay).toBeUndefined();
    }
    const rules = report.findings.map((f: { rule: string; kind: string; name: string }) => `${f.rule} ${f.kind}/${f.name}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        'thanos-flags Deployment/thanos-query',
        'discovery-headless Deployment/thanos-query',
        'service-selector Service/thanos-store',
      ]),
    );
    // The suppressed PDB finding is listed as suppressed, with its reason; the empty reason is an error.
    expect(report.suppressed).toEqual([
      expect.objectContaining({
        rule: 'pdb',
        name: 'thanos-query',
        suppressed: true,
        reason: 'single-zone lab cluster; disruptions are accepted',
      }),
    ]);
    expect(report.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'anti-affinity', severity: 'error', message: expect.stringMatching(/empty reason/) }),
      ]),
    );
  });

  it('text output groups by object and lists suppressed findings', async () => {
    const run = await cli(['check', '--file', upstream]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^files\n {2}Deployment thanos\/thanos-query {2}\(.*upstream-query-store.yaml:\d+\)\n/m);
    // pdb is a practice of this project, and the report says so.
    expect(run.stdout).toMatch(/suppressed pdb \(practice\): .*\(reason: single-zone lab cluster/);
    expect(run.stdout).toMatch(/FAIL \d+ errors?, \d+ warnings?, 1 suppressed, 2 objects/);
  });

  it('writes SARIF 2.1.0 with rules and physical locations', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'check-sarif-')), 'out.sarif');
    const run = await cli(['check', '--file', upstream, '--format', 'sarif', '--output', out]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const sarif = JSON.parse(execFileSync('cat', [out], { encoding: 'utf8' }));
    expect(sarif.version).toBe('2.1.0');
    const runs = sarif.runs[0];
    expect(runs.tool.driver.rules.length).toBeGreaterThanOrEqual(21);
    for (const r of runs.results) {
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toMatch(/upstream-query-store.yaml$/);
      expect(r.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
      expect(runs.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    }
    expect(runs.results.some((r: { suppressions?: unknown[] }) => r.suppressions?.length)).toBe(true);
  });

  it('prints GitHub annotations and JUnit XML', async () => {
    const gh = await cli(['check', '--file', upstream, '--format', 'github']);
    expect(gh.stdout).toMatch(/^::error file=.*upstream-query-store.yaml,line=\d+,title=thanos-flags%3A Deployment thanos-query::/m);
    const junit = await cli(['check', '--file', upstream, '--format', 'junit']);
    expect(junit.stdout).toMatch(/^<\?xml version="1.0"/);
    expect(junit.stdout).toMatch(
      /<testcase classname="files.thanos-flags" name="thanos-flags: Deployment thanos\/thanos-query"[^>]*>\n\s+<failure /,
    );
  });

  it('names overlays from the origin annotation source files', async () => {
    const run = await cli(['check', '--format', 'json', '--file', upstream]);
    expect(run.code).toBe(1);
    const all = await cli(['check', '--format', 'sarif']);
    const uris = new Set(
      JSON.parse(all.stdout).runs[0].results.map(
        (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          r.locations[0].physicalLocation.artifactLocation.uri,
      ),
    );
    for (const uri of uris) expect(uri).toMatch(/^(base|overlays)\//);
  });

  it('is a usage error (exit 2) for an unknown overlay, a missing file or a bad format', async () => {
    expect((await cli(['check', '--overlay', 'no-such-overlay'])).stderr).toMatch(/no overlay 'no-such-overlay'/);
    expect((await cli(['check', '--overlay', 'no-such-overlay'])).code).toBe(2);
    const missing = await cli(['check', '--file', '/nonexistent.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
    expect((await cli(['check', '--format', 'xml'])).code).toBe(2);
  });

  it('says how to get kubectl when it is missing (exit 2)', async () => {
    const saved = process.env.KUBECTL;
    process.env.KUBECTL = '/nonexistent/kubectl';
    try {
      const run = await cli(['check']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/kubectl was not found on PATH.*Install kubectl/s);
    } finally {
      if (saved === undefined) delete process.env.KUBECTL;
      else process.env.KUBECTL = saved;
    }
  });

  it('`npm run --silent check -- --file x --format json` prints only the JSON; stdin works with -', () => {
    const npm = spawnSync('npm', ['run', '--silent', 'check', '--', '--file', upstream, '--format', 'json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(npm.status).toBe(1);
    expect(() => JSON.parse(npm.stdout)).not.toThrow();
    expect(npm.stdout.trim().startsWith('{')).toBe(true);
    const stdin = spawnSync('npx', ['tsx', 'cli/main.ts', 'check', '--file', '-', '--format', 'json'], {
      cwd: ROOT,
      encoding: 'utf8',
      input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: y}\ndata: {a: b}\n',
    });
    expect(stdin.status).toBe(0);
    expect(JSON.parse(stdin.stdout).summary).toEqual(expect.objectContaining({ errors: 0, objects: 1 }));
  });

  it('keeps checking the other overlays when one fails to render, and exits 2 naming it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'check-root-'));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(root, 'overlays', 'good'), { recursive: true });
    mkdirSync(join(root, 'overlays', 'bad'), { recursive: true });
    writeFileSync(join(root, 'overlays', 'good', 'kustomization.yaml'), 'resources: [cm.yaml]\n');
    writeFileSync(
      join(root, 'overlays', 'good', 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: x}\ndata: {a: b}\n---\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: old, namespace: x}\nspec: {maxUnavailable: 1}\n',
    );
    writeFileSync(join(root, 'overlays', 'bad', 'kustomization.yaml'), 'resources: [missing.yaml]\n');
    const { runCheck, exitCodeOf } = await import('../../policies/engine/run.js');
    const { policies } = await import('../../policies/registry.js');
    const report = await runCheck({ policies, root });
    expect(report.sets).toEqual(['bad', 'good']);
    expect(report.inputErrors).toEqual([
      expect.objectContaining({ overlay: 'bad', message: expect.stringMatching(/^overlay bad: kubectl kustomize .* failed/) }),
    ]);
    expect(report.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ overlay: 'good', rule: 'deprecated-api', file: 'overlays/good/cm.yaml' })]),
    );
    expect(exitCodeOf(report)).toBe(2);
  });
});
