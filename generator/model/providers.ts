import providerReference from '../../core/reference/objstore-providers.json' with { type: 'json' };
import { endpointPorts } from '../../core/objstore-endpoint.js';
import type { OverlayDefinition, ProviderName, SecretsMode } from '../../settings/schema/overlay-entry.js';

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
  /** Node-local endpoints the pods fetch their credentials from, beside the object store itself. */
  readonly credentialEndpoints?: readonly CredentialEndpoint[];
}

/** An address on the node (link-local) that hands out credentials; NetworkPolicies allow exactly it. */
export interface CredentialEndpoint {
  readonly cidr: string;
  readonly port: number;
  /** Named in docs and in the NetworkPolicy's review. */
  readonly what: string;
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
  /** The provider has an internal (VPC) endpoint that `settings.internal` selects. */
  readonly internalEndpoint?: boolean;
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
    // host[:port] (the client rejects a scheme); TLS is `insecure: false`, written out so a review sees it.
    config: (o) => ({
      bucket: o.bucket,
      endpoint: o.settings?.endpoint ?? `s3.${o.settings?.region ?? 'us-east-1'}.amazonaws.com`,
      insecure: o.settings?.insecure === true,
      region: o.settings?.region ?? 'us-east-1',
    }),
    workloadIdentity: {
      annotation: 'eks.amazonaws.com/role-arn',
      placeholder: 'arn:aws:iam::CHANGE-ME-account-id:role/CHANGE-ME-thanos',
      nextStep:
        'create an IAM role with s3:ListBucket, GetObject, PutObject and DeleteObject on the bucket and a trust policy for the OIDC provider of the EKS cluster (IRSA).',
      // The SDK chain reads the projected web-identity token IRSA mounts.
      config: () => ({ aws_sdk_auth: true }),
      // IRSA exchanges its token at STS over 443; the EKS Pod Identity agent answers on the node.
      credentialEndpoints: [{ cidr: '169.254.170.23/32', port: 80, what: 'EKS Pod Identity agent' }],
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
      nextStep:
        'grant the Google service account roles/storage.objectAdmin on the bucket and roles/iam.workloadIdentityUser to each Kubernetes ServiceAccount (GKE Workload Identity).',
      // Pods ask the GKE metadata server; the iptables dataplane rewrites 169.254.169.254:80 to
      // 169.254.169.252:988 before the NetworkPolicy is evaluated, so both must be allowed.
      credentialEndpoints: [
        { cidr: '169.254.169.254/32', port: 80, what: 'GKE metadata server' },
        { cidr: '169.254.169.252/32', port: 988, what: 'GKE metadata server (after DNAT)' },
      ],
    },
    nextSteps: [
      'create the bucket (uniform bucket-level access) and, for key-based access, a service-account JSON key stored as the `service_account` property.',
    ],
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
      nextStep:
        'create a user-assigned managed identity with Storage Blob Data Contributor on the container and a federated credential for each Kubernetes ServiceAccount (Azure Workload Identity).',
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
    // Without an endpoint the SDK builds https://<bucket>-<app_id>.cos.<region>.myqcloud.com itself.
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
    // The OSS SDK speaks plain HTTP to an endpoint without a scheme: always a full https:// URL.
    // The -internal host keeps Store and Compact traffic on the VPC instead of paying internet egress.
    config: (o) => ({
      bucket: o.bucket,
      endpoint:
        o.settings?.endpoint ?? `https://oss-${o.settings?.region ?? 'cn-hangzhou'}${o.settings?.internal ? '-internal' : ''}.aliyuncs.com`,
    }),
    internalEndpoint: true,
    nextSteps: ['create the bucket in the region and a RAM user AccessKey limited to it.'],
  },
  minio: {
    type: 'S3',
    description: 'MinIO in the cluster (S3 API), for dev and CI clusters',
    credentials: ['access_key', 'secret_key'],
    // Plain HTTP inside a dev cluster; that is why MinIO is dev only (use s3 with --endpoint for a MinIO with TLS).
    config: (o) => ({ bucket: o.bucket, endpoint: `${MINIO_SERVICE}:${MINIO_PORT}`, insecure: true }),
    devOnly: true,
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
    if (!(reference.keys as readonly string[]).includes(key))
      throw new Error(`objstore ${spec.type}: '${key}' is not a key of that provider`);
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

/**
 * Where the object-store clients of an overlay connect: the port(s) of its endpoint, read off the
 * objstore.yml it renders, and for workload identity the provider's node-local credential endpoint.
 */
export function objstoreEgress(overlay: OverlayDefinition): { ports: number[]; credentialEndpoints: CredentialEndpoint[] } {
  const { type, config } = objstoreConfig(overlay, () => 'credential');
  const wi = overlay.secrets === 'workload-identity' ? PROVIDER_SPECS[overlay.provider].workloadIdentity : undefined;
  return { ports: endpointPorts(type, config), credentialEndpoints: [...(wi?.credentialEndpoints ?? [])] };
}
