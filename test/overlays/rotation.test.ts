import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planOverlay } from '../../generator/overlay/plan.js';
import { OBJSTORE_HASH_ANNOTATION } from '../../generator/overlay/rotation.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';
import { scratchRoot, writeOverlay, type Obj } from './helpers.js';

/** The hash annotation on Store's pod template, as the plan computes it (no render needed). */
function storeHash(overlay: OverlayDefinition, root: string): string | undefined {
  const store = planOverlay(overlay, root).objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'thanos-store') as Obj;
  return store.spec.template.metadata.annotations?.[OBJSTORE_HASH_ANNOTATION];
}

describe('roll on change: the pod-template hash follows the committed Secret file', () => {
  const scratch = scratchRoot();
  afterAll(() => scratch.cleanup());
  const base = { profile: 'staging', provider: 's3', cluster: 'c1', secrets: 'sealed-secrets', bucket: 'b1' } as const;

  it('sealed-secrets: a new SealedSecret gives a new hash; the same file the same hash', () => {
    const overlay: OverlayDefinition = { ...base, name: 'rot-s3', namespace: 'rot' };
    // GIVEN the overlay written once (the placeholder SealedSecret is created with it)
    const first = storeHash(overlay, scratch.root);
    writeOverlay(scratch.root, overlay);
    // THEN the placeholder counts the same before and after it is written: a second run is identical
    expect(storeHash(overlay, scratch.root)).toBe(first);
    // WHEN the user replaces it with kubeseal's output THEN the hash changes
    writeFileSync(join(scratch.root, 'overlays/rot-s3/user/objstore.sealedsecret.yaml'), 'kind: SealedSecret # rotated\n');
    const rotated = storeHash(overlay, scratch.root);
    expect(rotated).toMatch(/^sha256:/);
    expect(rotated).not.toBe(first);
    expect(storeHash(overlay, scratch.root)).toBe(rotated);
  });

  it('sops: no hash until the encrypted file exists, then its hash', () => {
    const overlay: OverlayDefinition = { ...base, secrets: 'sops', name: 'rot2-s3', namespace: 'rot2' };
    writeOverlay(scratch.root, overlay);
    expect(storeHash(overlay, scratch.root)).toBe('missing: user/objstore.secret.sops.yaml');
    writeFileSync(join(scratch.root, 'overlays/rot2-s3/user/objstore.secret.sops.yaml'), 'sops: {mac: one}\n');
    const one = storeHash(overlay, scratch.root);
    writeFileSync(join(scratch.root, 'overlays/rot2-s3/user/objstore.secret.sops.yaml'), 'sops: {mac: two}\n');
    expect(storeHash(overlay, scratch.root)).not.toBe(one);
  });
});
