import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

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

/** Which model package holds the CRDs of an API group (kubernetes-models holds the built-in kinds). */
const CRD_PACKAGES: Array<[RegExp, string]> = [
  [/^argoproj\.io$/, '@kubernetes-models/argo-cd'],
  [/\.toolkit\.fluxcd\.io$/, '@kubernetes-models/flux-cd'],
  [/(^|\.)external-secrets\.io$/, '@kubernetes-models/external-secrets'],
  [/^bitnami\.com$/, '@kubernetes-models/sealed-secrets'],
  [/^monitoring\.coreos\.com$/, '@kubernetes-models/prometheus-operator'],
  [/^cert-manager\.io$/, '@kubernetes-models/cert-manager'],
  [/^gateway\.networking\.k8s\.io$/, '@kubernetes-models/gateway-api'],
];

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

const requireModel = createRequire(import.meta.url);

/**
 * A model module by package path. @kubernetes-models/gateway-api 2.x (the only package with the
 * Gateway API v1 kinds) exports its modules for `import` only and declares Node 22; its ES modules
 * load on Node 20.19+ all the same (require of an ES module, on by default there), once the path is
 * resolved with the `import` condition.
 */
function requireModule(path: string): unknown {
  try {
    return requireModel(path);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error;
    return requireEsModule(fileURLToPath(import.meta.resolve(path)));
  }
}

/**
 * An ES module loaded synchronously. Under a loader that compiles ES modules to CommonJS (tsx, which
 * runs the CLI from source) its own imports would resolve with the `require` condition the package
 * does not export: then it is bundled into one CommonJS file once (esbuild, a devDependency that
 * running from source has) and that is loaded instead.
 */
function requireEsModule(file: string): unknown {
  try {
    return requireModel(file);
  } catch (error) {
    let esbuild: typeof import('esbuild');
    try {
      esbuild = requireModel('esbuild') as typeof import('esbuild');
    } catch {
      throw error;
    }
    const out = join(tmpdir(), 'thanos-ha-models', `${createHash('sha256').update(file).digest('hex').slice(0, 16)}-${process.pid}.cjs`);
    mkdirSync(dirname(out), { recursive: true });
    esbuild.buildSync({
      entryPoints: [file],
      outfile: out,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
    });
    try {
      return requireModel(out);
    } finally {
      rmSync(out, { force: true });
    }
  }
}
const loaded = new Map<string, ModelClass | undefined>();

/**
 * The models of the kinds the generated manifests hold, compiled into one file next to the build
 * (scripts/build.mjs writes dist/<build>/models.cjs): one file loads in a third of the time the
 * same models take as the hundreds of modules they are in node_modules. Keyed by schemaKey; the
 * same model code, so the same answers. Run from source (tests), there is none and every model
 * comes from node_modules, as does any kind the bundle does not hold.
 */
let bundled: Record<string, () => Record<string, unknown>> | undefined;

function bundledModels(): Record<string, () => Record<string, unknown>> {
  if (!bundled) {
    try {
      bundled = requireModel('./models.cjs') as Record<string, () => Record<string, unknown>>;
    } catch {
      bundled = {};
    }
  }
  return bundled;
}
const SAFE_SEGMENT = /^[A-Za-z0-9.-]+$/;

/** Module path of a kind's model: each kind is its own module, so only the kinds in use are loaded. */
export function modelModule(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  const version = slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
  if (![version, kind].every((part) => SAFE_SEGMENT.test(part)) || (group && !SAFE_SEGMENT.test(group))) return undefined;
  if (group === '') return `kubernetes-models/${version}/${kind}`;
  const crdPackage = CRD_PACKAGES.find(([pattern]) => pattern.test(group))?.[1];
  return crdPackage ? `${crdPackage}/${group}/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
}

/** "apiVersion/kind" of the schema an object is checked against (an aliased version shares another's). */
export function schemaKey(apiVersion: string, kind: string): string {
  return SCHEMA_ALIASES[`${apiVersion}/${kind}`] ?? `${apiVersion}/${kind}`;
}

/** The model class for "apiVersion/kind", loaded on first use and cached for the process. */
export function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  const key = schemaKey(apiVersion, kind);
  if (loaded.has(key)) return loaded.get(key);
  const separator = key.lastIndexOf('/');
  const path = modelModule(key.slice(0, separator), key.slice(separator + 1));
  let model: ModelClass | undefined;
  if (path) {
    try {
      const exported = (Object.hasOwn(bundledModels(), key) ? bundledModels()[key]() : requireModule(path)) as Record<string, unknown>;
      const candidate = exported[key.slice(separator + 1)];
      model = isModelClass(candidate) ? candidate : undefined;
    } catch {
      model = undefined;
    }
  }
  loaded.set(key, model);
  return model;
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
  const model = modelFor(apiVersion, kind);
  if (!model) return { ok: false, unknownKind: true, message: `no schema known for ${apiVersion} ${kind}` };
  try {
    new model({ ...object, apiVersion: model.apiVersion }).validate();
    return { ok: true };
  } catch (error) {
    return { ok: false, unknownKind: false, message: (error as Error).message };
  }
}
