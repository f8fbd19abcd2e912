import { validateAgainstSchema } from '../generator/schema.js';
import type { Policy } from './engine/types.js';

export const schema: Policy = {
  id: 'schema',
  severity: 'error',
  description:
    'Every object is valid against its kind\'s schema: Kubernetes built-in kinds and the CRDs the project emits (ExternalSecret, SealedSecret, ServiceMonitor, Argo CD and Flux kinds). A kind with no known schema is a warning; an object without apiVersion, kind or metadata.name is an error.',
  remediation: 'Fix the field the message names (its JSON path is given), or use the apiVersion the kind is served at.',
  check({ object }) {
    const result = validateAgainstSchema(object);
    if (result.ok) return [];
    if (result.unknownKind) return [{ message: `${result.message}; the object was not validated`, severity: 'warning' }];
    return [{ message: `fails its schema: ${result.message}` }];
  },
};
