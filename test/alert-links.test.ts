import { describe, expect, it } from 'vitest';
import { overlayStack } from '../generator/model/overlay-stack.js';
import { prometheus } from '../generator/components/prometheus.js';
import { ruler } from '../generator/components/ruler.js';
import { validateOverlay } from '../generator/model/validate-overlay.js';
import { prometheusMonitoring, rulerMonitoring } from '../generator/monitoring/component-inputs.js';
import type { OverlayDefinition } from '../settings/schema/overlay-entry.js';

const entry = (fields: Partial<OverlayDefinition> = {}): OverlayDefinition => ({
  name: 'prod-gcs',
  profile: 'prod',
  provider: 'gcs',
  cluster: 'c1',
  namespace: 'monitoring',
  secrets: 'external-secrets',
  bucket: 'b1',
  ...fields,
});
const argsOf = (workload: any, container: string): string[] =>
  workload.spec.template.spec.containers.find((c: { name: string }) => c.name === container).args;

describe('alert links from the registry queryUrl', () => {
  it("point Prometheus' external URL and the Ruler's query URL at Query, keeping Prometheus' routes at /", () => {
    const stack = overlayStack(entry({ queryUrl: 'https://thanos.example.com/prod' }));
    const p = argsOf(prometheus(stack, prometheusMonitoring(stack)).statefulSet, 'prometheus');
    expect(p).toEqual(expect.arrayContaining(['--web.external-url=https://thanos.example.com/prod', '--web.route-prefix=/']));
    expect(argsOf(ruler(stack, rulerMonitoring(stack)).statefulSet, 'thanos-rule')).toContain(
      '--alert.query-url=https://thanos.example.com/prod',
    );
  });
  it('unset: neither flag, each process names its own pod', () => {
    const stack = overlayStack(entry());
    expect(
      argsOf(prometheus(stack, prometheusMonitoring(stack)).statefulSet, 'prometheus').some((a) => a.startsWith('--web.external-url')),
    ).toBe(false);
    expect(argsOf(ruler(stack, rulerMonitoring(stack)).statefulSet, 'thanos-rule').some((a) => a.startsWith('--alert.query-url'))).toBe(
      false,
    );
  });
  it.each(['thanos.example.com', 'https://thanos.example.com/', 'https://thanos.example.com/?x=1', 'ftp://thanos.example.com'])(
    'refuses %s',
    (queryUrl) => {
      expect(() => validateOverlay(entry({ queryUrl }))).toThrow(/'queryUrl' must be an http\(s\) URL without a query or fragment/);
    },
  );
});
