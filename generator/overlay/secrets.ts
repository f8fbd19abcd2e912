import type { KubeObject } from '../build-stack.js';
import type { StackConfig } from '../model/stack.js';
import { stringify } from '../../core/yaml.js';
import { MINIO_PASSWORD_KEY, MINIO_USER_KEY } from './minio.js';
import { PROVIDER_SPECS, objstoreConfig } from '../model/providers.js';
import type { OverlayDefinition, SecretsMode } from '../../settings/schema/overlay-entry.js';

/** Annotation on a Secret whose content is in Git on purpose, so a policy can tell it from a leak. */
export const PLAINTEXT_ANNOTATION = 'thanos-ha.dev/plaintext-secret';
export const PLAINTEXT_REASON = 'deliberate: dev only';
/** Annotation on a Secret that holds configuration but no credential (workload identity). */
export const NO_CREDENTIALS_ANNOTATION = 'thanos-ha.dev/credentials';

/** Credentials of the dev-only MinIO; in Git on purpose, for `plain` mode only. */
export const DEV_MINIO_CREDENTIALS: Readonly<Record<string, string>> = { access_key: 'thanos-dev', secret_key: 'thanos-dev-secret' };

/** The recipient .sops.yaml names until the registry's `sops.age` lists real ones. */
export const SOPS_AGE_PLACEHOLDER = 'CHANGE-ME-age-public-key';

export const SOPS_TEMPLATE = 'objstore.secret.sops.yaml.template';
export const SOPS_ENCRYPTED = 'user/objstore.secret.sops.yaml';
export const SEALED_SECRET = 'user/objstore.sealedsecret.yaml';
export const OBJSTORE_TEMPLATE = 'objstore.yml.template';

/** What a secrets mode adds to an overlay (paths relative to the overlay folder). */
export interface SecretsOutput {
  /** Generated resource files: path -> objects. */
  readonly resources: ReadonlyArray<{ readonly path: string; readonly objects: readonly KubeObject[] }>;
  /** Other generated files (templates, objstore.yml for a generator, .sops.yaml). */
  readonly files: ReadonlyArray<{ readonly path: string; readonly content: string }>;
  /** Files created once for the user to fill in, and listed in user/kustomization.yaml when created. */
  readonly userResources: ReadonlyArray<{ readonly path: string; readonly content: string }>;
  readonly nextSteps: readonly string[];
}

/** Properties of the thanos-objstore Secret besides objstore.yml (MinIO reads its root user from them). */
function extraSecretKeys(overlay: OverlayDefinition): string[] {
  return overlay.provider === 'minio' ? [MINIO_USER_KEY, MINIO_PASSWORD_KEY] : [];
}

const PLACEHOLDER = (key: string) => `__SECRET_${key}__`;

/** objstore.yml text with each credential replaced by `fill(key)` (raw text, inserted after YAML rendering). */
export function objstoreText(overlay: OverlayDefinition, fill: (key: string) => string): string {
  const text = stringify(objstoreConfig(overlay, PLACEHOLDER));
  return text.replace(/__SECRET_([a-z_]+)__/g, (_, key: string) => fill(key));
}

/** Go template of external-secrets: each credential rendered as a JSON string, which is valid YAML. */
export const esoExpression = (key: string) => `{{ .${key} | toJson }}`;
export const placeholderValue = (key: string) => `CHANGE-ME-${key}`;

export function remoteKey(overlay: OverlayDefinition): string {
  return overlay.secretStore?.remoteKey ?? `thanos/${overlay.name}`;
}

/** The store an overlay's ExternalSecrets read from. */
export function secretStoreOf(overlay: OverlayDefinition): { name: string; kind: 'ClusterSecretStore' | 'SecretStore' } {
  return { name: overlay.secretStore?.name ?? 'thanos-objstore', kind: overlay.secretStore?.kind ?? 'ClusterSecretStore' };
}

/** An ExternalSecret that makes (and owns) the Secret `name` from entries of the overlay's store. */
export function externalSecretObject(
  overlay: OverlayDefinition,
  name: string,
  target: Record<string, unknown>,
  data: readonly unknown[],
): KubeObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name },
    spec: { refreshInterval: '1h', secretStoreRef: secretStoreOf(overlay), target: { name, creationPolicy: 'Owner', ...target }, data },
  };
}

export function secretsFor(overlay: OverlayDefinition, stack: StackConfig): SecretsOutput {
  const secretName = stack.objstoreSecret.name;
  const key = stack.objstoreSecret.key;
  const credentials = PROVIDER_SPECS[overlay.provider].credentials;
  const extra = extraSecretKeys(overlay);
  const ns = overlay.namespace;
  const mode: SecretsMode = overlay.secrets;
  switch (mode) {
    case 'external-secrets': {
      const store = secretStoreOf(overlay);
      const externalSecret = externalSecretObject(
        overlay,
        secretName,
        {
          template: {
            engineVersion: 'v2',
            type: 'Opaque',
            data: {
              [key]: objstoreText(overlay, esoExpression),
              ...Object.fromEntries(extra.map((k) => [k, `{{ .${k} }}`])),
            },
          },
        },
        credentials.map((property) => ({ secretKey: property, remoteRef: { key: remoteKey(overlay), property } })),
      );
      return {
        resources: [{ path: 'external-secret.yaml', objects: [externalSecret] }],
        files: [],
        userResources: [],
        nextSteps: [
          `in your secret store, create the entry '${remoteKey(overlay)}' with the properties ${credentials.join(', ')}; the ${store.kind} '${store.name}' must exist in the cluster (External Secrets Operator).`,
        ],
      };
    }
    case 'sops': {
      const template = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: secretName, namespace: ns },
        type: 'Opaque',
        stringData: {
          [key]: objstoreText(overlay, placeholderValue),
          ...Object.fromEntries(extra.map((k) => [k, placeholderValue(k)])),
        },
      };
      const sopsConfig = {
        creation_rules: [
          {
            path_regex: '(objstore|alertmanager)\\.secret\\.sops\\.yaml$',
            encrypted_regex: '^(data|stringData)$',
            age: overlay.sops?.age.join(',') ?? SOPS_AGE_PLACEHOLDER,
          },
        ],
      };
      return {
        resources: [],
        files: [
          { path: SOPS_TEMPLATE, content: stringify(template) },
          { path: '.sops.yaml', content: stringify(sopsConfig) },
        ],
        userResources: [],
        nextSteps: [
          `${overlay.sops?.age.length ? '' : `list your age public keys in sops: { age: ['age1...'] } of '${overlay.name}' in settings/overlays.ts and run npm run generate (it writes overlays/${overlay.name}/.sops.yaml; never edit that file), then: `}cd overlays/${overlay.name} && cp ${SOPS_TEMPLATE} ${SOPS_ENCRYPTED}, replace every CHANGE-ME in it, and run sops --encrypt --in-place ${SOPS_ENCRYPTED}.`,
          `add '${SOPS_ENCRYPTED.replace('user/', '')}' to the resources of overlays/${overlay.name}/user/kustomization.yaml (the overlay renders without it until then).`,
          'Flux: the Kustomization generated for this overlay under gitops/ sets decryption (provider sops); create the Secret with your age key (sops-age) in flux-system.',
        ],
      };
    }
    case 'sealed-secrets': {
      const sealed = {
        apiVersion: 'bitnami.com/v1alpha1',
        kind: 'SealedSecret',
        metadata: { name: secretName, namespace: ns },
        spec: {
          encryptedData: Object.fromEntries([key, ...extra].map((k) => [k, 'CHANGE-ME-run-kubeseal'])),
          template: { metadata: { name: secretName, namespace: ns }, type: 'Opaque' },
        },
      };
      const literals = extra.map((k) => ` --from-literal=${k}=...`).join('');
      return {
        resources: [],
        files: [{ path: OBJSTORE_TEMPLATE, content: objstoreText(overlay, placeholderValue) }],
        userResources: [
          {
            path: SEALED_SECRET,
            content:
              '# Yours: `npm run generate` never overwrites this file. Replace it with the output of kubeseal (see docs/overlays.md).\n' +
              stringify(sealed),
          },
        ],
        nextSteps: [
          `copy overlays/${overlay.name}/${OBJSTORE_TEMPLATE} outside Git, fill in every CHANGE-ME, then: kubectl create secret generic ${secretName} --namespace ${ns} --from-file=${key}=<your copy>${literals} --dry-run=client -o yaml | kubeseal --format yaml > overlays/${overlay.name}/${SEALED_SECRET}`,
        ],
      };
    }
    case 'workload-identity':
    case 'plain': {
      const plain = mode === 'plain';
      const text = objstoreText(overlay, (k) => (plain ? JSON.stringify(DEV_MINIO_CREDENTIALS[k]) : placeholderValue(k)));
      const annotations: Record<string, string> = plain
        ? { [PLAINTEXT_ANNOTATION]: PLAINTEXT_REASON }
        : { [NO_CREDENTIALS_ANNOTATION]: 'none: workload identity' };
      // A Secret with stringData rather than a secretGenerator: kustomize line-wraps generated base64,
      // which the OpenAPI byte format rejects, and plain text is what a reviewer must be able to read here.
      const secret: KubeObject = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: secretName, annotations },
        type: 'Opaque',
        stringData: {
          [key]: text,
          ...(plain ? Object.fromEntries(extra.map((k) => [k, DEV_MINIO_CREDENTIALS[k]])) : {}),
        },
      };
      return {
        resources: [{ path: 'objstore-secret.yaml', objects: [secret] }],
        files: [],
        userResources: [],
        nextSteps: plain
          ? [
              credentials.length > 0
                ? `nothing secret to create: this dev overlay keeps its credentials in Git on purpose (annotated ${PLAINTEXT_ANNOTATION}).`
                : 'nothing secret to create: this provider has no credentials.',
            ]
          : [
              `${PROVIDER_SPECS[overlay.provider].workloadIdentity!.nextStep} Then set identity: '...' on '${overlay.name}' in settings/overlays.ts (or pass --identity): it becomes the ServiceAccount annotation ${PROVIDER_SPECS[overlay.provider].workloadIdentity!.annotation}.`,
            ],
      };
    }
  }
}
