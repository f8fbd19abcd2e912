import { IMMUTABLE_KINDS, describeImmutableChange, immutableChanges, objectKeyOf } from '../lib/immutable-fields.js';
import type { Policy } from '../lib/types.js';

export const immutableField: Policy = {
  id: 'immutable-field',
  severity: 'error',
  description:
    "With `--changed-since`: a change the API server refuses to apply (claim templates, selectors, a Service's clusterIP, a Job's template, a shrunk claim).",
  remediation: 'Carry the change out by hand with the steps in the finding (docs/day-two.md#changes-the-api-server-refuses), or revert it.',
  kinds: IMMUTABLE_KINDS,
  check({ object, input, settings }) {
    const previous = settings.base?.get(input.overlay ?? '')?.get(objectKeyOf(object as never));
    if (previous === undefined) return [];
    return immutableChanges(previous as Record<string, unknown>, object as unknown as Record<string, unknown>).map((change) => ({
      message: describeImmutableChange(change),
    }));
  },
};
