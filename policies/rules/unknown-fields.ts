import { unknownFieldsByCrd } from '../lib/crd-fields.js';
import { unknownFields } from '../lib/strict-fields.js';
import type { Policy } from '../lib/types.js';

/**
 * The prometheus-operator model package (4.4.4) predates fields current operator releases serve
 * (scrapeClasses, serviceName...): there an unknown field may be a newer one, so it is a warning.
 */
const OLDER_MODELS = /^monitoring\.coreos\.com\//;

export const unknownFieldsPolicy: Policy = {
  id: 'unknown-fields',
  severity: 'error',
  description:
    "Every field of a Kubernetes built-in kind or a validated custom resource (ExternalSecret, SealedSecret, Argo CD, Flux) exists in its schema, as `kubectl apply --validate=strict` and Argo CD's server-side apply require: a misspelt field (`replica:`) is otherwise dropped silently. A custom resource whose CustomResourceDefinition is in the input is checked against that CRD's schema, as the API server does; otherwise prometheus-operator kinds are warnings (the model predates newer operator fields). The allowed names come from policies/lib/strict-fields.json, generated from the installed kubernetes-models declarations.",
  remediation:
    'Correct the field name (the message gives its path) or remove it; check the spelling and the level it belongs at with `kubectl explain <kind>.<path>`.',
  check({ object, index }) {
    // A CRD in the input is what the API server checks its resources against: it wins over the model.
    const byCrd = unknownFieldsByCrd(index, object);
    const fields = byCrd ?? unknownFields(object);
    if (fields.length === 0) return [];
    const warning = !byCrd && OLDER_MODELS.test(object.apiVersion);
    return fields.map((path) => ({
      message: `unknown field ${path}: ${object.apiVersion} ${object.kind} has no such field${warning ? ' in the prometheus-operator model this project has (a newer operator may)' : '; the API server rejects it under strict validation and drops it otherwise'}`,
      ...(warning ? { severity: 'warning' as const } : {}),
    }));
  },
};
