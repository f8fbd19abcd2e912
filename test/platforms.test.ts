import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { overlayStack } from '../generator/model/overlay-stack.js';
import { PLATFORM_SPECS, kubeletSkipsVerification, platformOf } from '../generator/model/platforms.js';
import { readRegistry } from '../generator/model/registry-file.js';
import { validateOverlay, validateRegistry } from '../generator/model/validate-overlay.js';
import { overlayEntry } from '../generator/operations/new-overlay.js';
import { scrapeConfigs } from '../generator/monitoring/scrape.js';
import type { ScrapeConfig } from '../generator/lib/prometheus-config.js';
import { PLATFORMS, type OverlayDefinition, type PlatformName } from '../settings/schema/overlay-entry.js';
import { REPO_ROOT } from './helpers/repo-copy.js';

const entry = (fields: Partial<OverlayDefinition> = {}): OverlayDefinition => ({
  name: 'staging-gcs',
  profile: 'staging',
  provider: 'gcs',
  cluster: 'c1',
  namespace: 'monitoring',
  secrets: 'external-secrets',
  bucket: 'b1',
  ...fields,
});

const kubeletJobs = (stackOf: OverlayDefinition): ScrapeConfig[] =>
  scrapeConfigs(overlayStack(stackOf)).filter((j) => j.job_name === 'kubelet' || j.job_name === 'cadvisor');

describe('kubelet TLS per platform', () => {
  it.each<[PlatformName | undefined, boolean]>([
    ['eks', false],
    ['gke', true],
    ['aks', true],
    ['ack', true],
    ['tke', true],
    ['kubeadm', true],
    ['generic', true],
    [undefined, true],
  ])('platform %s: the kubelet and cAdvisor jobs skip verification: %s', (platform, skips) => {
    const jobs = kubeletJobs(entry(platform ? { platform } : {}));
    expect(jobs).toHaveLength(2);
    for (const job of jobs) {
      // The CA file stays: it is what verifies where verification is on.
      expect(job.tls_config?.ca_file).toBe('/var/run/secrets/kubernetes.io/serviceaccount/ca.crt');
      expect(job.tls_config?.insecure_skip_verify === true, job.job_name).toBe(skips);
    }
  });

  it("an overlay's override wins over its platform, both ways", () => {
    const verifying = kubeletJobs(entry({ platform: 'kubeadm', overrides: { prometheus: { kubeletInsecureSkipVerify: false } } }));
    expect(verifying.every((j) => j.tls_config?.insecure_skip_verify === undefined)).toBe(true);
    const skipping = kubeletJobs(entry({ platform: 'eks', overrides: { prometheus: { kubeletInsecureSkipVerify: true } } }));
    expect(skipping.every((j) => j.tls_config?.insecure_skip_verify === true)).toBe(true);
  });

  it('every platform has a spec with a source, and only CA-signed kubelets are verified', () => {
    expect(Object.keys(PLATFORM_SPECS).sort()).toEqual([...PLATFORMS].sort());
    for (const platform of PLATFORMS) {
      expect(PLATFORM_SPECS[platform].source, platform).toMatch(/^https:\/\//);
      expect(kubeletSkipsVerification(platform), platform).toBe(PLATFORM_SPECS[platform].kubeletServingCertificate !== 'cluster-ca');
    }
  });

  it('docs/overlays.md has a row per platform with its source', () => {
    const docs = readFileSync(join(REPO_ROOT, 'docs/overlays.md'), 'utf8');
    for (const platform of PLATFORMS) {
      const row = docs.split('\n').find((line) => line.startsWith(`| \`${platform}\``));
      expect(row, platform).toBeDefined();
      expect(row).toContain(PLATFORM_SPECS[platform].source);
      expect(row).toContain(kubeletSkipsVerification(platform) ? 'skip verification' : 'verify');
    }
  });

  it('an unknown platform is refused with the known ones and a suggestion', () => {
    expect(() => validateOverlay(entry({ platform: 'gek' as PlatformName }))).toThrow(
      /overlay 'staging-gcs': unknown platform 'gek'\. Known platforms: eks, gke, aks, ack, tke, kubeadm, generic .*Did you mean 'gke'\?/,
    );
  });

  it('two overlays of one cluster that name different platforms are refused', () => {
    const a = entry({ platform: 'eks' });
    const b = entry({ name: 'prod-gcs', profile: 'prod', namespace: 'other', bucket: 'b2' });
    expect(() => validateRegistry([a, b])).toThrow(
      /overlays 'staging-gcs' and 'prod-gcs' both deploy to cluster 'c1' but name platforms 'eks' and 'generic'/,
    );
    expect(() => validateRegistry([a, { ...b, platform: 'eks' }])).not.toThrow();
  });

  it('new-overlay --platform: a typo is refused, a known one lands in the entry', () => {
    expect(() => overlayEntry({ name: 'staging-gcs', platform: 'ekss' })).toThrow(/--platform 'ekss' .*is not one of eks, gke/);
    expect(overlayEntry({ name: 'staging-gcs', platform: 'aks' }).platform).toBe('aks');
  });

  // Holds for whatever registry a fork has: each overlay's rendered kubelet jobs follow its platform
  // (or the override it sets), read from the generated files the GitOps tools deploy.
  it("each overlay's generated kubelet jobs match its platform", () => {
    for (const overlay of readRegistry(REPO_ROOT)) {
      const file = join(REPO_ROOT, 'overlays', overlay.name, 'stack', 'configmap-prometheus-config.yaml');
      const configMap = parseAllDocuments(readFileSync(file, 'utf8'))[0].toJSON() as { data: Record<string, string> };
      const config = parse(Object.values(configMap.data)[0]) as { scrape_configs: ScrapeConfig[] };
      const expected = overlay.overrides?.prometheus?.kubeletInsecureSkipVerify ?? kubeletSkipsVerification(platformOf(overlay));
      for (const name of ['kubelet', 'cadvisor']) {
        const job = config.scrape_configs.find((j) => j.job_name === name);
        expect(job, `${overlay.name} ${name}`).toBeDefined();
        expect(job!.tls_config?.insecure_skip_verify === true, `${overlay.name} ${name}`).toBe(expected);
      }
    }
  });
});
