import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'check-options-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const placeholder = file(
  'placeholder.yaml',
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: m}\ndata: {bucket: CHANGE-ME-bucket}\n',
);
const oldQuery = file(
  'query.yaml',
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: q, namespace: m}
spec:
  selector: {matchLabels: {app: q}}
  template:
    metadata: {labels: {app: q}}
    spec:
      containers: [{name: q, image: "quay.io/thanos/thanos:v0.37.2", args: [query, "--store=s:10901"]}]
`,
);

describe('check options', () => {
  it('--fail-on-placeholder turns a placeholder warning into an error (exit 1); without it the check passes', async () => {
    const lenient = await cli(['check', '--file', placeholder, '--format', 'json']);
    expect(lenient.code).toBe(0);
    expect(JSON.parse(lenient.stdout).findings).toEqual([expect.objectContaining({ rule: 'placeholder', severity: 'warning' })]);
    const strict = await cli(['check', '--file', placeholder, '--format', 'json', '--fail-on-placeholder']);
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout).findings).toEqual([expect.objectContaining({ rule: 'placeholder', severity: 'error' })]);
  });

  it('--upgrade-to lists what a release would break; an unknown release is a usage error (exit 2)', async () => {
    const now = await cli(['check', '--file', oldQuery, '--format', 'json']);
    expect(
      JSON.parse(now.stdout).findings.filter(
        (f: { rule: string; severity: string }) => f.rule === 'thanos-flags' && f.severity === 'error',
      ),
    ).toEqual([]);
    const upgrade = await cli(['check', '--file', oldQuery, '--format', 'json', '--upgrade-to', 'v0.38.0']);
    expect(JSON.parse(upgrade.stdout).findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: 'thanos-flags',
          severity: 'error',
          message: expect.stringMatching(/upgrading to v0.38.0 breaks it: thanos query --store was removed in v0.38/),
        }),
      ]),
    );
    const unknown = await cli(['check', '--file', oldQuery, '--upgrade-to', 'v0.99.0']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--upgrade-to v0.99.0: the flag reference knows Thanos v0.20.2 to v0.42.4/);
  });
});
