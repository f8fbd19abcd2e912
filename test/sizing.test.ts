import { describe, expect, it } from 'vitest';
import { overlayStack } from '../generator/model/overlay-stack.js';
import { planOverlay } from '../generator/overlay/plan.js';
import { quantityBytes, sidecarMemoryMiB } from '../core/units/sizing.js';

describe('sidecar memory follows its request limits', () => {
  it.each([
    [{ requestSeries: 0, requestSamples: 50_000_000 }, undefined],
    [{ requestSeries: 100_000, requestSamples: 0 }, undefined],
    // 128 + 4 x (100k x 1 KiB + 10M x 2 B) = 128 + 390.6 + 76.3 = 594.9 MiB -> 640Mi
    [{ requestSeries: 100_000, requestSamples: 10_000_000 }, 640],
    // 128 + 4 x (250k x 1 KiB + 50M x 2 B) = 1486 MiB -> 1536Mi
    [{ requestSeries: 250_000, requestSamples: 50_000_000 }, 1536],
  ])('%o -> %s MiB', (limits, mib) => expect(sidecarMemoryMiB(limits)).toBe(mib));

  it.each([
    ['1536Mi', 1536 * 1024 * 1024],
    ['2Gi', 2 * 1024 ** 3],
    ['512M', 512e6],
    ['1.5Gi', 1.5 * 1024 ** 3],
    ['lots', undefined],
  ])('quantity %s', (text, bytes) => expect(quantityBytes(text)).toBe(bytes));

  it('prod bounds what one query pulls through the sidecar, with the memory limit those bounds need', () => {
    const overlay = {
      name: 'prod-gcs',
      profile: 'prod',
      provider: 'gcs',
      cluster: 'c1',
      namespace: 'p',
      secrets: 'external-secrets',
      bucket: 'b1',
    } as const;
    const { prometheus } = overlayStack(overlay);
    const sidecar = (
      planOverlay(overlay, '/nonexistent').objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'prometheus') as any
    ).spec.template.spec.containers.find((c: { name: string }) => c.name === 'thanos-sidecar');
    expect(sidecar.args).toContain(`--store.limits.request-series=${prometheus.sidecarLimits.requestSeries}`);
    expect(sidecar.args).toContain(`--store.limits.request-samples=${prometheus.sidecarLimits.requestSamples}`);
    expect(sidecar.resources.limits.memory).toBe(`${sidecarMemoryMiB(prometheus.sidecarLimits)}Mi`);
    expect(prometheus.sidecarLimits.requestSeries).toBeGreaterThan(0);
  });
});
