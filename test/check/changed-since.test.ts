import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const saved = process.env.THANOS_HA_ROOT;
afterEach(() => {
  if (saved === undefined) delete process.env.THANOS_HA_ROOT;
  else process.env.THANOS_HA_ROOT = saved;
});

function repo(): string {
  const root = mkdtempSync(join(tmpdir(), 'check-changed-'));
  for (const name of ['a', 'b']) {
    mkdirSync(join(root, 'overlays', name), { recursive: true });
    writeFileSync(join(root, 'overlays', name, 'kustomization.yaml'), 'resources: [cm.yaml]\n');
    writeFileSync(join(root, 'overlays', name, 'cm.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: x}\n`);
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
  git('init', '-q');
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '.');
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'init');
  process.env.THANOS_HA_ROOT = root;
  return root;
}

describe('check --changed-since', () => {
  it('checks only the overlays the change affects, and says why on stderr', async () => {
    const root = repo();
    writeFileSync(
      join(root, 'overlays', 'b', 'cm.yaml'),
      'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: b, namespace: x}\nspec: {maxUnavailable: 1}\n',
    );
    const run = await cli(['check', '--changed-since', 'HEAD', '--format', 'json']);
    expect(run.stderr).toMatch(/check: overlay b: overlays\/b\/cm.yaml changed/);
    expect(run.stderr).not.toMatch(/overlay a:/);
    const report = JSON.parse(run.stdout);
    expect(new Set(report.findings.map((f: { overlay: string }) => f.overlay))).toEqual(new Set(['b']));
    expect(run.code).toBe(1);
  });
  it('with nothing affected prints an empty report and exits 0', async () => {
    repo();
    const run = await cli(['check', '--changed-since', 'HEAD', '--format', 'sarif']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).runs[0].results).toEqual([]);
    expect(run.stderr).toMatch(/no overlay is affected by the changes since HEAD/);
  });
});
