import * as kubernetes from 'kubernetes-models';
import * as argoCd from '@kubernetes-models/argo-cd';
import * as fluxCd from '@kubernetes-models/flux-cd';
import * as externalSecrets from '@kubernetes-models/external-secrets';
import * as sealedSecrets from '@kubernetes-models/sealed-secrets';
import * as prometheusOperator from '@kubernetes-models/prometheus-operator';

/** A kubernetes-models class: constructed from plain data, `validate()` throws on a schema violation. */
interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  new (data: Record<string, unknown>): { validate(): void };
}

function isModelClass(value: unknown): value is ModelClass {
  return (
    typeof value === 'function' &&
    typeof (value as unknown as ModelClass).apiVersion === 'string' &&
    typeof (value as unknown as ModelClass).kind === 'string'
  );
}

function collect(namespace: unknown, into: Map<string, ModelClass>, seen = new Set<unknown>()): void {
  if (namespace === null || typeof namespace !== 'object' || seen.has(namespace)) return;
  seen.add(namespace);
  for (const value of Object.values(namespace as Record<string, unknown>)) {
    if (isModelClass(value)) into.set(`${value.apiVersion}/${value.kind}`, value);
    else collect(value, into, seen);
  }
}

/**
 * API versions that are served by current controllers but missing from the pinned model packages,
 * mapped to the model whose schema they share. external-secrets.io/v1 promoted v1beta1's
 * ExternalSecret unchanged in shape; the model package that has v1 needs Node 22.
 */
const SCHEMA_ALIASES: Record<string, string> = {
  'external-secrets.io/v1/ExternalSecret': 'external-secrets.io/v1beta1/ExternalSecret',
  'external-secrets.io/v1/SecretStore': 'external-secrets.io/v1beta1/SecretStore',
  'external-secrets.io/v1/ClusterSecretStore': 'external-secrets.io/v1beta1/ClusterSecretStore',
};

let registry: Map<string, ModelClass> | undefined;

/** Every kind the project knows a schema for, keyed "apiVersion/kind"; built once per process. */
export function schemaRegistry(): Map<string, ModelClass> {
  if (!registry) {
    registry = new Map();
    for (const pkg of [kubernetes, argoCd, fluxCd, externalSecrets, sealedSecrets, prometheusOperator]) collect(pkg, registry);
    for (const [alias, target] of Object.entries(SCHEMA_ALIASES)) {
      const model = registry.get(target);
      if (model && !registry.has(alias)) registry.set(alias, model);
    }
  }
  return registry;
}

export type SchemaResult = { readonly ok: true } | { readonly ok: false; readonly unknownKind: boolean; readonly message: string };

/**
 * Validates one object against its kind's schema. The apiVersion is set to the model's own
 * before validation so that an aliased version checks against the schema it shares.
 */
export function validateAgainstSchema(object: Record<string, unknown>): SchemaResult {
  const apiVersion = object.apiVersion;
  const kind = object.kind;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return { ok: false, unknownKind: true, message: 'object has no apiVersion or kind' };
  }
  const model = schemaRegistry().get(`${apiVersion}/${kind}`);
  if (!model) return { ok: false, unknownKind: true, message: `no schema known for ${apiVersion} ${kind}` };
  try {
    new model({ ...object, apiVersion: model.apiVersion }).validate();
    return { ok: true };
  } catch (error) {
    return { ok: false, unknownKind: false, message: (error as Error).message };
  }
}
