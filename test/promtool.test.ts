import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEFAULT_STACK, mergeStack } from '../generator/model/stack.js';
import { withoutRetentionBlock } from '../policies/lib/promtool.js';
import { POD_NAME_PLACEHOLDER, prometheus, ruler } from '../generator/components/index.js';
import { promtool } from './helpers/tools.js';
import { forDebianPromtool, withStaticTargets } from './helpers/static-sd.js';
import { prometheusMonitoring, rulerMonitoring } from '../generator/monitoring/component-inputs.js';

const dir = mkdtempSync(join(tmpdir(), 'promtool-'));

describe('promtool accepts what the generator writes', () => {
  const objects = prometheus(DEFAULT_STACK, prometheusMonitoring(DEFAULT_STACK));

  it('the Prometheus config, with the replica placeholder substituted as the sidecar does', () => {
    const template = objects.configMap.data!['prometheus.yaml.tmpl'];
    const config = template.replaceAll(POD_NAME_PLACEHOLDER, 'prometheus-0');
    expect(parse(config).global.external_labels.prometheus_replica).toBe('prometheus-0');
    const path = join(dir, 'prometheus.yaml');
    writeFileSync(path, config);
    // Debian's promtool 2.42 predates the v3 retention block every server config now has (next test).
    const { config: checked, swapped } = forDebianPromtool(parse(config));
    expect(swapped).toBeGreaterThan(0);
    writeFileSync(path, stringify(checked));
    const result = promtool(['check', 'config', '--syntax-only', path]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('the size-based retention block of Prometheus v3: Debian promtool 2.42 refuses it, so it is taken out before the check', () => {
    const stack = mergeStack(DEFAULT_STACK, { prometheus: { retentionSizePercent: 80 } });
    const config = parse(
      prometheus(stack, prometheusMonitoring(stack)).configMap.data!['prometheus.yaml.tmpl'].replaceAll(
        POD_NAME_PLACEHOLDER,
        'prometheus-0',
      ),
    );
    // 80% of the 50Gi volume, in MB as Prometheus reads them (powers of 2).
    expect(config.storage).toEqual({ tsdb: { retention: { time: '24h', size: '40960MB' } } });
    const { config: checkable } = withStaticTargets(config);
    const path = join(dir, 'retention.yaml');
    writeFileSync(path, stringify(checkable));
    const refused = promtool(['check', 'config', '--syntax-only', path]);
    // Debian's promtool 2.42 (what .ci/tools installs) predates the block: "field retention not found".
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/field retention not found/);
    writeFileSync(path, stringify(withoutRetentionBlock(checkable)));
    const result = promtool(['check', 'config', '--syntax-only', path]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('rejects a broken config (the check can fail)', () => {
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, 'global:\n  scrape_interval: often\n');
    expect(promtool(['check', 'config', '--syntax-only', path]).code).not.toBe(0);
  });

  const ruleFiles: Array<[string, string]> = [
    ...Object.entries(objects.rulesConfigMap!.data!),
    ...Object.entries(ruler(DEFAULT_STACK, rulerMonitoring(DEFAULT_STACK)).rulesConfigMap.data!),
  ];
  it.each(ruleFiles)('rules file %s', (name, content) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    const result = promtool(['check', 'rules', path]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });
});
