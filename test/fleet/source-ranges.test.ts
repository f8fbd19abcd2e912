import { describe, expect, it } from 'vitest';
import { exposureObjects } from '../../generator/components/fleet-tls.js';
import { thanosIdentity } from '../../generator/components/thanos-common.js';
import { exposureOf } from '../../generator/model/fleet.js';
import { DEFAULT_STACK } from '../../generator/model/stack.js';
import { validateOverlay } from '../../generator/model/validate-overlay.js';
import type { OverlayDefinition, OverlayExposure } from '../../settings/schema/overlay-entry.js';

const leaf = (expose: OverlayExposure): OverlayDefinition => ({
  name: 'eu-gcs',
  role: 'leaf',
  observer: 'global-gcs',
  profile: 'prod',
  provider: 'gcs',
  cluster: 'eu-1',
  namespace: 'monitoring-eu',
  secrets: 'external-secrets',
  expose,
});
const id = thanosIdentity(DEFAULT_STACK, 'thanos-query', 'query-layer');
const service = (entry: OverlayDefinition) =>
  exposureObjects(id, exposureOf(entry)!, { name: 'grpc', port: 10901 })[0] as unknown as { spec: Record<string, unknown> };

describe('expose.sourceRanges', () => {
  it("becomes the LoadBalancer Service's loadBalancerSourceRanges", () => {
    const ranges = ['203.0.113.0/24', '2001:db8::/32'];
    expect(service(leaf({ host: 'thanos-grpc.eu-1.example.com', sourceRanges: ranges })).spec.loadBalancerSourceRanges).toEqual(ranges);
    expect(service(leaf({ host: 'thanos-grpc.eu-1.example.com' })).spec).not.toHaveProperty('loadBalancerSourceRanges');
  });
  it.each<[string, OverlayExposure, RegExp]>([
    [
      'an address without a prefix',
      { host: 'thanos-grpc.eu-1.example.com', sourceRanges: ['203.0.113.7'] },
      /'expose.sourceRanges' must be a list of CIDRs .*got '203\.0\.113\.7'/,
    ],
    ['a prefix too long', { host: 'thanos-grpc.eu-1.example.com', sourceRanges: ['10.0.0.0/33'] }, /got '10\.0\.0\.0\/33'/],
    [
      'ranges on a TLSRoute',
      { host: 'thanos-grpc.eu-1.example.com', via: 'TLSRoute', gateway: { name: 'g', namespace: 'gw' }, sourceRanges: ['10.0.0.0/8'] },
      /'expose.sourceRanges' is for via 'LoadBalancer'/,
    ],
  ])('refuses %s', (_case, expose, message) => {
    expect(() => validateOverlay(leaf(expose))).toThrow(message);
  });
  it('accepts IPv4 and IPv6 CIDRs', () => {
    expect(() =>
      validateOverlay(leaf({ host: 'thanos-grpc.eu-1.example.com', sourceRanges: ['0.0.0.0/0', '2001:db8::/32'] })),
    ).not.toThrow();
  });
});
