import type { KObject } from '../lib/types.js';

/** The annotation that suppresses one rule on one object; its value is the reason. */
export const SUPPRESS_PREFIX = 'thanos-ha.dev/ignore-';

export function suppressionAnnotation(ruleId: string): string {
  return `${SUPPRESS_PREFIX}${ruleId}`;
}

export type Suppression = { readonly state: 'none' } | { readonly state: 'reason'; readonly reason: string } | { readonly state: 'empty' };

/** Whether the object carries a suppression for the rule, and its reason. */
export function suppressionOf(object: KObject, ruleId: string): Suppression {
  const annotations = object.metadata.annotations;
  if (!annotations || typeof annotations !== 'object') return { state: 'none' };
  const value = (annotations as Record<string, unknown>)[suppressionAnnotation(ruleId)];
  if (value === undefined) return { state: 'none' };
  const reason = typeof value === 'string' ? value.trim() : '';
  return reason ? { state: 'reason', reason } : { state: 'empty' };
}
