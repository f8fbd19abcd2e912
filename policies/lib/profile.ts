import { PROFILE_LABEL } from '../../core/labels.js';
import { asRecord, type Index } from './model.js';
import type { CheckSettings, InputObject } from './types.js';

export type Profile = NonNullable<CheckSettings['profile']>;

const PROFILES: readonly string[] = ['dev', 'staging', 'prod'] satisfies readonly Profile[];

function labelled(namespace: InputObject | undefined): Profile | undefined {
  const value = asRecord(namespace?.object.metadata.labels)?.[PROFILE_LABEL];
  return typeof value === 'string' && PROFILES.includes(value) ? (value as Profile) : undefined;
}

/**
 * The environment profile an object is judged as. An overlay's object: its Namespace's
 * thanos-ha.dev/profile label, as the generator stamps it. `--file` input: `--profile` when given (it
 * overrides), else the same label on the object's Namespace when the input holds it, else (a
 * cluster-scoped object, or a namespace the input does not create) the one profile every labelled
 * Namespace of the set agrees on. Undefined when nothing says: someone else's manifests.
 */
export function profileOf(index: Index, input: InputObject, settings: CheckSettings): Profile | undefined {
  if (input.overlay === undefined && settings.profile !== undefined) return settings.profile;
  const namespace = input.object.metadata.namespace;
  if (namespace) {
    const own = labelled(index.find('Namespace', undefined, namespace));
    if (own !== undefined || input.overlay !== undefined) return own;
  }
  const all = new Set(index.ofKind('Namespace').map(labelled));
  return all.size === 1 ? [...all][0] : undefined;
}

/**
 * Whether this project's practices bind an object: our overlays, and `--file` input that names (or is
 * given) its profile. Someone else's manifests are judged by what the cluster does; a practice is advice there.
 */
export function practiceBinds(index: Index, input: InputObject, settings: CheckSettings): boolean {
  return input.overlay !== undefined || profileOf(index, input, settings) !== undefined;
}
