import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { prometheus } from '../generator/components/index.js';
import { validateStack } from '../generator/model/validate-stack.js';
import { DEFAULT_STACK, mergeStack } from '../generator/model/stack.js';
import { prometheusMonitoring } from '../generator/monitoring/component-inputs.js';
import { diagnose } from '../policies/testing/rule-cases.js';
import { prometheusRetention } from '../policies/rules/prometheus-retention.js';
import { stringify } from '../core/yaml.js';
import { ConfigError } from '../core/errors.js';
import { PROMETHEUS_VERSION } from '../settings/versions.js';

const withSize = (version: string) =>
  mergeStack(DEFAULT_STACK, {
    prometheusImage: `quay.io/prometheus/prometheus:${version}`,
    prometheus: { retention: '24h', retentionSizePercent: 80 },
  });

function rendered(version: string) {
  const stack = withSize(version);
  const objects = prometheus(stack, prometheusMonitoring(stack));
  const container = objects.statefulSet.spec!.template.spec!.containers.find((c) => c.name === 'prometheus')!;
  const config = parse(objects.configMap.data!['prometheus.yaml.tmpl']);
  const flag = (name: string) => container.args!.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  return {
    objects,
    config,
    retention: config.storage?.tsdb?.retention,
    time: flag('--storage.tsdb.retention.time'),
    size: flag('--storage.tsdb.retention.size'),
  };
}

/**
 * What v3.11+ runs with, as its source reads it: the flags (or 15d without either) become the
 * default retention section (cmd/prometheus/main.go:726-736 at v3.13.2); a retention section in the
 * file is reset to zero and read whole (config/config.go:1113-1114); its time and size are then used
 * as they are (cmd/prometheus/main.go:781-783).
 */
function effectiveV311(retention: Record<string, string> | undefined, flags: { time?: string; size?: string }) {
  if (!retention) return { time: flags.time ?? (flags.size ? '0' : '15d'), size: flags.size ?? '0' };
  return { time: retention.time ?? '0', size: retention.size ?? '0' };
}

describe('Prometheus retention per release (core/prometheus/retention.ts)', () => {
  it(`the pinned ${PROMETHEUS_VERSION} with size retention keeps its time limit: one block with time and size, no retention flag`, () => {
    const r = rendered(PROMETHEUS_VERSION);
    expect(r.retention).toEqual({ time: '24h', size: '40960MB' });
    expect([r.time, r.size]).toEqual([undefined, undefined]);
    expect(effectiveV311(r.retention, r)).toEqual({ time: '24h', size: '40960MB' });
    // The form the generator wrote before: the block alone with the flag beside it loses the time.
    expect(effectiveV311({ size: '40960MB' }, { time: '24h' })).toEqual({ time: '0', size: '40960MB' });
  });
  it('v3.8-v3.10: the time on the flag (the file time is read a million times too long), the size in the block', () => {
    const r = rendered('v3.9.0');
    expect(r.retention).toEqual({ size: '40960MB' });
    expect([r.time, r.size]).toEqual(['24h', undefined]);
  });
  it('before v3.8: flags only (the strict parser refuses the block)', () => {
    const r = rendered('v3.7.3');
    expect(r.retention).toBeUndefined();
    expect(r.config.storage).toBeUndefined();
    expect([r.time, r.size]).toEqual(['24h', '40960MB']);
  });
  it('the prometheus-retention rule passes what the generator writes for each release', () => {
    for (const version of ['v3.7.3', 'v3.9.0', 'v3.10.0', 'v3.11.0', PROMETHEUS_VERSION]) {
      const { objects } = rendered(version);
      const yaml = [objects.configMap, objects.statefulSet].map((o) => stringify(o.toJSON())).join('---\n');
      expect(diagnose(prometheusRetention, yaml), version).toEqual({});
    }
    // The rule reads these objects (the sidecar's config template through its mount): the pinned
    // release's block under a v3.7 image is refused.
    const { objects } = rendered(PROMETHEUS_VERSION);
    const yaml = [objects.configMap, objects.statefulSet]
      .map((o) => stringify(o.toJSON()))
      .join('---\n')
      .replace(`prometheus:${PROMETHEUS_VERSION}`, 'prometheus:v3.7.3');
    expect(diagnose(prometheusRetention, yaml)['StatefulSet/prometheus']).toEqual([expect.stringMatching(/exits at start/)]);
  });
  it("refuses an overlay image whose release reads retention another way than the pinned one (overlays patch the pinned image's objects)", () => {
    expect(() => validateStack(withSize('v3.9.0'))).toThrow(ConfigError);
    expect(() => validateStack(withSize('v3.9.0'))).toThrow(/reads its retention as Prometheus v3.8-v3.10 does/);
    expect(() => validateStack(withSize(PROMETHEUS_VERSION))).not.toThrow();
  });
});
