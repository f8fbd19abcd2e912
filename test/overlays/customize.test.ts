import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROMETHEUS_CONFIG_TEMPLATE_KEY } from '../../generator/components/prometheus.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';
import { copyRepo, treeHash } from '../helpers/repo-copy.js';
import { forDebianPromtool } from '../helpers/static-sd.js';
import { promtool } from '../helpers/tools.js';
import { runInProcess } from './cli-harness.js';
import { find, render, scratchRoot, writeOverlay, type Obj } from './helpers.js';

const RULES = `groups:
  - name: team
    rules:
      - alert: CheckoutLatencyHigh
        expr: histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="checkout"}[5m]))) > 0.5
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: Checkout p99 latency is above 500ms.
`;

describe('registry customization fields: their rendered effect', () => {
  const scratch = scratchRoot();
  const overlay: OverlayDefinition = {
    name: 'prod-gcs',
    profile: 'prod',
    provider: 'gcs',
    cluster: 'prod-eu-1',
    namespace: 'monitoring-prod',
    secrets: 'external-secrets',
    bucket: 'metrics',
    storageClassName: { all: 'standard-rwo', prometheus: 'premium-rwo' },
    scrapeJobs: [{ job_name: 'checkout', static_configs: [{ targets: ['checkout.shop.svc:8080'] }] }],
    ruleFiles: ['user/rules/team.yaml'],
  };
  const sopsOverlay: OverlayDefinition = {
    name: 'staging-s3',
    profile: 'staging',
    provider: 's3',
    cluster: 'staging-1',
    namespace: 'monitoring-staging',
    secrets: 'sops',
    bucket: 'metrics',
    sops: {
      age: [
        'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p',
        'age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg',
      ],
    },
  };
  let objects: Obj[];
  beforeAll(async () => {
    mkdirSync(join(scratch.root, 'overlays/prod-gcs/user/rules'), { recursive: true });
    writeFileSync(join(scratch.root, 'overlays/prod-gcs/user/rules/team.yaml'), RULES);
    writeOverlay(scratch.root, overlay);
    writeOverlay(scratch.root, sopsOverlay);
    const rendered = await render(join(scratch.root, 'overlays/prod-gcs'));
    expect(rendered.warnings).toBe('');
    objects = rendered.objects;
  });
  afterAll(() => scratch.cleanup());

  it("storageClassName: every claim template gets its volume's class, `all` for the rest", () => {
    const classOf = (name: string) => find(objects, 'StatefulSet', name).spec.volumeClaimTemplates.map((c: Obj) => c.spec.storageClassName);
    expect(classOf('prometheus')).toEqual(['premium-rwo']);
    for (const name of ['thanos-store', 'thanos-compact']) expect(classOf(name), name).toEqual(['standard-rwo']);
  });

  it('scrapeJobs: appended after the generated jobs, and promtool accepts the config', () => {
    const config = parse(find(objects, 'ConfigMap', 'prometheus-config').data[PROMETHEUS_CONFIG_TEMPLATE_KEY]);
    const jobs = config.scrape_configs.map((job: { job_name: string }) => job.job_name);
    expect(jobs[jobs.length - 1]).toBe('checkout');
    expect(jobs.length).toBeGreaterThan(1);
    // Debian's promtool has no Kubernetes SD: those blocks become static targets, the user's job is checked as written.
    const { config: checkable } = forDebianPromtool(config);
    const dir = mkdtempSync(join(tmpdir(), 'thanos-ha-scrape-'));
    writeFileSync(join(dir, 'prometheus.yaml'), JSON.stringify(checkable).replaceAll('$(POD_NAME)', 'prometheus-0'));
    const result = promtool(['check', 'config', '--syntax-only', join(dir, 'prometheus.yaml')]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('ruleFiles: the file lands in the rules ConfigMap under a key the rules glob loads, and promtool accepts it', () => {
    const rules = find(objects, 'ConfigMap', 'prometheus-rules').data;
    expect(rules['user-user-rules-team.yaml']).toBe(RULES);
    const config = parse(find(objects, 'ConfigMap', 'prometheus-config').data[PROMETHEUS_CONFIG_TEMPLATE_KEY]);
    expect(config.rule_files.some((glob: string) => glob.endsWith('/*.yaml'))).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'thanos-ha-rules-'));
    writeFileSync(join(dir, 'team.yaml'), rules['user-user-rules-team.yaml']);
    const result = promtool(['check', 'rules', join(dir, 'team.yaml')]);
    expect(result.output).toContain('SUCCESS');
  });

  it('sops.age: .sops.yaml encrypts for exactly those recipients', () => {
    const sops = parse(readFileSync(join(scratch.root, 'overlays/staging-s3/.sops.yaml'), 'utf8'));
    expect(sops.creation_rules[0].age).toBe(sopsOverlay.sops!.age.join(','));
  });
});

describe('registry customization fields: a bad value is refused with exit 2, the overlay and field named, nothing written', () => {
  const copy = copyRepo();
  afterAll(() => copy.cleanup());
  const registry = join(copy.root, 'settings/overlays.ts');
  let original: string;
  let baseline: string;
  beforeAll(() => {
    original = readFileSync(registry, 'utf8');
    baseline = treeHash(copy.root);
  });

  it.each([
    [
      'a volume typo',
      "storageClassName: { prometeus: 'fast' },",
      /overlay 'prod-gcs', field 'storageClassName\.prometeus': unknown volume\. .*Did you mean 'prometheus'\?/,
    ],
    [
      'a class that is no name',
      "storageClassName: { all: 'Fast_SSD' },",
      /overlay 'prod-gcs', field 'storageClassName\.all': 'Fast_SSD' is not a StorageClass name/,
    ],
    [
      'a scrape job without job_name',
      'scrapeJobs: [{ static_configs: [] }],',
      /overlay 'prod-gcs', field 'scrapeJobs\[0\]\.job_name': is missing/,
    ],
    [
      'a scrape job named like a generated one',
      "scrapeJobs: [{ job_name: 'kubernetes-pods', static_configs: [] }],",
      /overlay 'prod-gcs', field 'scrapeJobs\[0\]\.job_name': 'kubernetes-pods' is a job the generator already writes/,
    ],
    [
      'a rule file that does not exist',
      "ruleFiles: ['user/rules/missing.yaml'],",
      /overlay 'prod-gcs', field 'ruleFiles\[0\]': overlays\/prod-gcs\/user\/rules\/missing\.yaml does not exist/,
    ],
    [
      'a rule file outside the overlay',
      "ruleFiles: ['../prod-oss/user/kustomization.yaml'],",
      /overlay 'prod-gcs', field 'ruleFiles\[0\]': '\.\.\/prod-oss\/user\/kustomization\.yaml' is outside overlays\/prod-gcs\//,
    ],
    [
      'a rule file without groups',
      "ruleFiles: ['user/kustomization.yaml'],",
      /overlay 'prod-gcs', field 'ruleFiles\[0\]': overlays\/prod-gcs\/user\/kustomization\.yaml has no 'groups' list/,
    ],
    [
      'SOPS recipients on an External Secrets overlay',
      "sops: { age: ['age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p'] },",
      /overlay 'prod-gcs', field 'sops': applies only with secrets: 'sops'/,
    ],
  ])('%s', async (_, field, message) => {
    writeFileSync(registry, original.replace("bucket: 'CHANGE-ME-prod-gcs',", `bucket: 'CHANGE-ME-prod-gcs',\n    ${field}`));
    try {
      const before = treeHash(copy.root);
      const result = await runInProcess(copy.root, ['generate']);
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(2);
      expect(treeHash(copy.root)).toBe(before);
    } finally {
      writeFileSync(registry, original);
    }
    expect(treeHash(copy.root)).toBe(baseline);
  });

  it('a recipient that is not an age key', async () => {
    const text = original
      .replace("name: 'prod-gcs',", "name: 'prod-gcs',")
      .replace(
        "secrets: 'external-secrets',\n    bucket: 'CHANGE-ME-prod-gcs',",
        "secrets: 'sops',\n    bucket: 'CHANGE-ME-prod-gcs',\n    sops: { age: ['ssh-ed25519 AAAA'] },",
      );
    expect(text).not.toBe(original);
    writeFileSync(registry, text);
    try {
      const result = await runInProcess(copy.root, ['generate']);
      expect(result.stderr).toMatch(/overlay 'prod-gcs', field 'sops\.age\[0\]': 'ssh-ed25519 AAAA' is not an age public key/);
      expect(result.code).toBe(2);
    } finally {
      writeFileSync(registry, original);
    }
    expect(treeHash(copy.root)).toBe(baseline);
  });
});
