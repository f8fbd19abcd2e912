import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROMTOOL_SKIPPED } from '../../policies/rules/prometheus-rules.js';
import { cli } from '../check/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'check-rules-'));
const manifest = join(dir, 'rules.yaml');
writeFileSync(
  manifest,
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rules\ndata:\n  a.yaml: |\n    groups:\n      - name: g\n        rules:\n          - alert: A\n            expr: sum(up\n',
);

describe('npm run check runs promtool check rules on rendered rules files', () => {
  it('reports a rules file promtool rejects', async () => {
    const run = await cli(['check', '--file', manifest]);
    expect(run.stdout).toMatch(/prometheus-rules: rules file a\.yaml fails promtool check rules/);
    expect(run.stderr).not.toContain(PROMTOOL_SKIPPED);
    expect(run.code).toBe(1);
  });

  it('says once that it skipped them when promtool is not on PATH', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const run = await cli(['check', '--file', manifest]);
      expect(run.stderr.split(PROMTOOL_SKIPPED).length - 1).toBe(1);
      expect(run.stdout).not.toContain('prometheus-rules');
    } finally {
      process.env.PATH = path;
    }
  });
});
