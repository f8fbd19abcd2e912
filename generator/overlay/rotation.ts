import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../build-stack.js';
import { stringify } from '../../core/yaml.js';
import { SEALED_SECRET, SOPS_ENCRYPTED, type SecretsOutput } from './secrets.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';

/**
 * Thanos reads its objstore file once, at start-up: after a key rotation the pods keep the old key
 * until something restarts them, and uploads fail once the old key is revoked. Each secrets mode
 * gets the roll-on-change mechanism that fits where its content lives.
 */

/** Pod-template annotation: a hash of the committed file the Secret is made from; a new value rolls the pods. */
export const OBJSTORE_HASH_ANNOTATION = 'thanos-ha.dev/objstore-secret-hash';
/**
 * Workload annotation of Stakater Reloader (a prerequisite for external-secrets overlays): it rolls
 * the workload when the named Secret changes, as it does when External Secrets refreshes it.
 */
export const RELOADER_ANNOTATION = 'secret.reloader.stakater.com/reload';

export interface Rollout {
  /** What applies, for docs and next steps. */
  readonly mechanism: 'file-hash' | 'reloader' | 'none';
  /** On the pod template of each workload that mounts the Secret. */
  readonly podAnnotations: Readonly<Record<string, string>>;
  /** On the metadata of each workload that mounts the Secret. */
  readonly workloadAnnotations: Readonly<Record<string, string>>;
}

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/**
 * The committed file's hash: plaintext (plain), ciphertext (sops, sealed-secrets); either changes
 * when the key does. A user file not committed yet says so, and its hash appears once it is.
 */
export function rolloutFor(overlay: OverlayDefinition, secrets: SecretsOutput, secretName: string, root: string, dir: string): Rollout {
  const hashOf = (text: string): Rollout => ({
    mechanism: 'file-hash',
    podAnnotations: { [OBJSTORE_HASH_ANNOTATION]: text },
    workloadAnnotations: {},
  });
  switch (overlay.secrets) {
    case 'plain':
      return hashOf(sha256(secrets.resources.map((r) => stringify(r.objects)).join('')));
    case 'sops':
    case 'sealed-secrets': {
      const path = overlay.secrets === 'sops' ? SOPS_ENCRYPTED : SEALED_SECRET;
      const file = join(root, dir, path);
      // A file the plan is about to create counts with the content it will have: a second run is identical.
      const created = secrets.userResources.find((r) => r.path === path)?.content;
      const content = existsSync(file) ? readFileSync(file, 'utf8') : created;
      return hashOf(content === undefined ? `missing: ${path}` : sha256(content));
    }
    case 'external-secrets':
      return { mechanism: 'reloader', podAnnotations: {}, workloadAnnotations: { [RELOADER_ANNOTATION]: secretName } };
    case 'workload-identity':
      // No key to rotate: the token is short-lived and refreshed by the SDK.
      return { mechanism: 'none', podAnnotations: {}, workloadAnnotations: {} };
  }
}

/** True when the pod template mounts the Secret (as a volume or through an env var). */
// biome-ignore lint/suspicious/noExplicitAny: walks untyped manifest YAML
function readsSecret(podSpec: any, secretName: string): boolean {
  // biome-ignore lint/suspicious/noExplicitAny: walks untyped manifest YAML
  if ((podSpec.volumes ?? []).some((v: any) => v.secret?.secretName === secretName)) return true;
  // biome-ignore lint/suspicious/noExplicitAny: walks untyped manifest YAML
  return [...(podSpec.containers ?? []), ...(podSpec.initContainers ?? [])].some((c: any) =>
    // biome-ignore lint/suspicious/noExplicitAny: walks untyped manifest YAML
    (c.env ?? []).some((e: any) => e.valueFrom?.secretKeyRef?.name === secretName),
  );
}

/** The object with the rollout's annotations, when it is a workload reading the Secret (mutates a clone). */
// biome-ignore lint/suspicious/noExplicitAny: walks untyped manifest YAML
export function applyRollout(object: KubeObject & Record<string, any>, rollout: Rollout, secretName: string): void {
  const template = object.spec?.template;
  if (!template?.spec || !readsSecret(template.spec, secretName)) return;
  if (Object.keys(rollout.podAnnotations).length > 0)
    template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, ...rollout.podAnnotations } };
  if (Object.keys(rollout.workloadAnnotations).length > 0)
    object.metadata.annotations = { ...object.metadata.annotations, ...rollout.workloadAnnotations };
}

/** What the user must know about rolling the pods, as next steps. */
export function rolloutSteps(rollout: Rollout, overlay: OverlayDefinition): string[] {
  switch (rollout.mechanism) {
    case 'reloader':
      return [
        'run Stakater Reloader in the cluster (a prerequisite): it restarts the pods that read the objstore Secret when External Secrets refreshes it after a key rotation.',
      ];
    case 'file-hash':
      return overlay.secrets === 'plain'
        ? []
        : [
            `after you change the ${overlay.secrets === 'sops' ? 'encrypted' : 'sealed'} Secret, run npm run generate and commit: the hash of the file in the pod templates rolls the pods (CI's drift check fails until you do).`,
          ];
    case 'none':
      return [];
  }
}
