import { describe, expect, it } from 'vitest';
import { overlayStack } from '../../generator/model/overlay-stack.js';
import { planOverlay } from '../../generator/overlay/plan.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';

const prod: OverlayDefinition = {
  name: 'prod-gcs',
  profile: 'prod',
  provider: 'gcs',
  cluster: 'c1',
  namespace: 'p',
  secrets: 'external-secrets',
  bucket: 'b1',
};

describe('Receive runs only where the registry names its writers', () => {
  it('prod without writers: no Receive', () => {
    expect(overlayStack(prod).receive.enabled).toBe(false);
    expect(planOverlay(prod, '/nonexistent').objects.some((o) => o.metadata.name === 'thanos-receive')).toBe(false);
  });

  it('writers named: Receive on in any profile, its StatefulSet annotated with them', () => {
    for (const profile of ['dev', 'staging', 'prod'] as const) {
      const overlay = { ...prod, profile, writers: ['edge-eu-1 Prometheus agent', 'edge-us-1 Prometheus agent'] };
      const receive = planOverlay(overlay, '/nonexistent').objects.find(
        (o) => o.kind === 'StatefulSet' && o.metadata.name === 'thanos-receive',
      );
      expect(receive?.metadata.annotations?.['thanos-ha.dev/remote-writers'], profile).toBe(
        'edge-eu-1 Prometheus agent, edge-us-1 Prometheus agent',
      );
      // The profile still sizes it: prod replicates 3 of 3.
      if (profile === 'prod') expect((receive as any).spec.template.spec.containers[0].args).toContain('--receive.replication-factor=3');
    }
  });

  it('components.receive: false wins over writers', () => {
    expect(overlayStack({ ...prod, writers: ['a'], components: { receive: false } }).receive.enabled).toBe(false);
  });
});
