import providerReference from '../reference/objstore-providers.json' with { type: 'json' };
import type { OverlayDefinition, ProviderName, SecretsMode } from './types.js';

/** Where a credential comes from: its key in objstore.yml and the property name in the secret store. */
export type CredentialKey = string;

export interface WorkloadIdentitySpec {
  /** ServiceAccount annotation the cloud's identity webhook or metadata server reads. */
  readonly annotation: string;
  /** Pod label the webhook needs to inject the token (Azure only). */
  readonly podLabel?: Readonly<Record<string, string>>;
  readonly placeholder: string;
  /** What the user sets up on the cloud side, one sentence. */
  readonly nextStep: string;
}

export interface ProviderSpec {
  /** `type` in objstore.yml (a key of objstore-providers.json). */
  readonly type: keyof typeof providerReference;
  readonly description: string;
  /** Keys of `config` that hold credentials: only ever filled from the secret store. */
  readonly credentials: readonly CredentialKey[];
  /** Non-secret `config` keys, from the registry entry. */
  readonly config: (overlay: OverlayDefinition) => Record<string, unknown>;
  /** Same config without credentials, for workload identity. */
  readonly workloadIdentity?: WorkloadIdentitySpec & { readonly config?: (overlay: OverlayDefinition) => Record<string, unknown> };
  readonly devOnly?: boolean;
  /** What to do after `new-overlay`, besides committing. */
  readonly nextSteps: readonly string[];
}

const change = (what: string) => `CHANGE-ME-${what}`;

/** In-cluster MinIO Service; a short name resolves in the pod's own namespace, so it follows the overlay's. */
export const MINIO_SERVICE = 'minio';
export const MINIO_PORT = 9000;
/** Mount point of the shared bucket volume of the filesystem provider. */
export const FILESYSTEM_ROOT = '/var/thanos/bucket';

export const PROVIDER_SPECS: Readonly<Record<ProviderName, ProviderSpec>> = {
  s3: {
    type: 'S3',
    description: 'Amazon S3 or any S3 API (Ceph RGW, R2, ...)',
    credentials: ['access_key', 'secret_key'],
    config: (o) => ({
      bucket: o.bucket,
      endpoint: o.settings?.endpoint ?? `s3.${o.settings?.region ?? 'us-east-1'}.amazonaws.com`,
      region: o.settings?.region ?? 'us-east-1',
    }),
    workloadIdentity: {
      annotation: 'eks.amazonaws.com/role-arn',
      placeholder: 'arn:aws:iam::CHANGE-ME-account-id:role/CHANGE-ME-thanos',
      nextStep: 'create an IAM role with s3:ListBucket, GetObject, PutObject and DeleteObject on the bucket and a trust policy for the OIDC provider of the EKS cluster (IRSA).',
      // The SDK chain reads the projected web-identity token IRSA mounts.
      config: () => ({ aws_sdk_auth: true }),
    },
    nextSteps: ['create the bucket in the region (versioning off, a lifecycle rule is not needed: Compact deletes).'],
  },
  gcs: {
    type: 'GCS',
    description: 'Google Cloud Storage',
    credentials: ['service_account'],
    config: (o) => ({ bucket: o.bucket }),
    workloadIdentity: {
      annotation: 'iam.gke.io/gcp-service-account',
      placeholder: 'CHANGE-ME-thanos@CHANGE-ME-project.iam.gserviceaccount.com',
      nextStep: 'grant the Google service account roles/storage.objectAdmin on the bucket and roles/iam.workloadIdentityUser to each Kubernetes ServiceAccount (GKE Workload Identity).',
    },
    nextSteps: ['create the bucket (uniform bucket-level access) and, for key-based access, a service-account JSON key stored as the `service_account` property.'],
  },
  azure: {
    type: 'AZURE',
    description: 'Azure Blob Storage',
    credentials: ['storage_account_key'],
    config: (o) => ({ storage_account: o.settings?.storageAccount ?? change('storage-account'), container: o.bucket }),
    workloadIdentity: {
      annotation: 'azure.workload.identity/client-id',
      podLabel: { 'azure.workload.identity/use': 'true' },
      placeholder: '00000000-0000-0000-0000-CHANGE-ME000',
      nextStep: 'create a user-assigned managed identity with Storage Blob Data Contributor on the container and a federated credential for each Kubernetes ServiceAccount (Azure Workload Identity).',
    },
    nextSteps: ['create the storage account and the container.'],
  },
  swift: {
    type: 'SWIFT',
    description: 'OpenStack Swift',
    credentials: ['username', 'password'],
    config: (o) => ({
      auth_url: o.settings?.endpoint ?? 'https://CHANGE-ME-keystone.example.com/v3',
      auth_version: 3,
      container_name: o.bucket,
      project_domain_name: 'Default',
      project_name: o.settings?.project ?? change('project'),
      region_name: o.settings?.region ?? 'RegionOne',
      user_domain_name: 'Default',
    }),
    nextSteps: ['create the container in the project, and a user with the object-store member role.'],
  },
  cos: {
    type: 'COS',
    description: 'Tencent Cloud Object Storage',
    credentials: ['secret_id', 'secret_key'],
    config: (o) =>
      o.settings?.endpoint
        ? { bucket: o.bucket, endpoint: o.settings.endpoint }
        : { app_id: o.settings?.appId ?? change('app-id'), bucket: o.bucket, region: o.settings?.region ?? 'ap-guangzhou' },
    nextSteps: ['create the bucket (its full name is <bucket>-<app_id>) and a CAM sub-user key with read/write on it.'],
  },
  oss: {
    type: 'ALIYUNOSS',
    description: 'Alibaba Cloud Object Storage Service',
    credentials: ['access_key_id', 'access_key_secret'],
    config: (o) => ({ bucket: o.bucket, endpoint: o.settings?.endpoint ?? `oss-${o.settings?.region ?? 'cn-hangzhou'}.aliyuncs.com` }),
    nextSteps: ['create the bucket in the region and a RAM user AccessKey limited to it.'],
  },
  minio: {
    type: 'S3',
    description: 'MinIO in the cluster (S3 API), for dev and CI clusters',
    credentials: ['access_key', 'secret_key'],
    config: (o) => ({ bucket: o.bucket, endpoint: `${MINIO_SERVICE}:${MINIO_PORT}`, insecure: true }),
    nextSteps: ['nothing to create: the overlay runs MinIO and a Job that creates the bucket.'],
  },
  filesystem: {
    type: 'FILESYSTEM',
    description: 'a local directory on a shared volume (dev only; single-node clusters)',
    credentials: [],
    config: (o) => ({ directory: `${FILESYSTEM_ROOT}/${o.bucket}` }),
    devOnly: true,
    nextSteps: ['nothing to create: every component mounts the same ReadWriteOnce volume, which works on a single-node cluster only.'],
  },
};

/** The secrets modes a provider and profile allow, the default first. */
export function allowedSecretsModes(provider: ProviderName, profile: string): SecretsMode[] {
  const spec = PROVIDER_SPECS[provider];
  if (spec.credentials.length === 0) return ['plain'];
  const modes: SecretsMode[] = ['external-secrets', 'sops', 'sealed-secrets'];
  if (spec.workloadIdentity) modes.push('workload-identity');
  if (provider === 'minio' && profile === 'dev') modes.unshift('plain');
  return modes;
}

export interface ObjstoreConfig {
  readonly type: string;
  readonly config: Record<string, unknown>;
}

/**
 * The objstore.yml an overlay yields, with each credential given by `credential(key)`: a template
 * expression, a placeholder or (plain mode) the dev value. Keys not in the reference list are a bug.
 */
export function objstoreConfig(overlay: OverlayDefinition, credential: (key: string) => unknown): ObjstoreConfig {
  const spec = PROVIDER_SPECS[overlay.provider];
  const wi = overlay.secrets === 'workload-identity' ? spec.workloadIdentity : undefined;
  const config: Record<string, unknown> = { ...spec.config(overlay), ...(wi?.config?.(overlay) ?? {}) };
  if (!wi) for (const key of spec.credentials) config[key] = credential(key);
  const reference = providerReference[spec.type];
  for (const key of Object.keys(config)) {
    if (!(reference.keys as readonly string[]).includes(key)) throw new Error(`objstore ${spec.type}: '${key}' is not a key of that provider`);
  }
  for (const key of reference.required) {
    if (!(key in config)) {
      throw new Error(`objstore ${spec.type}: required key '${key}' missing`);
    }
  }
  return { type: spec.type, config: sortKeys(config) };
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}
