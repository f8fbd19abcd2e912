import type { CommandModule } from 'yargs';
import type { WriteHooks } from '../../generator/write/writer.js';
import { PLATFORMS, PROFILES, ROLES, SECRETS_MODES } from '../../settings/schema/overlay-entry.js';
import { repoRoot } from '../../core/repo-root.js';

interface NewOverlayArgs {
  name: string;
  cluster?: string;
  platform?: string;
  namespace?: string;
  secrets?: string;
  profile?: string;
  bucket?: string;
  region?: string;
  endpoint?: string;
  internal: boolean;
  identity?: string;
  force: boolean;
  role?: string;
  observer?: string;
  'expose-host'?: string;
  'expose-via'?: string;
  gateway?: string;
}

export const newOverlayCommand = (writeHooks?: WriteHooks): CommandModule<object, NewOverlayArgs> => ({
  command: 'new-overlay <name>',
  describe: 'Add overlays/<env>-<provider> to the registry and generate it',
  builder: (yargs) =>
    yargs
      .positional('name', { type: 'string', demandOption: true, describe: '<env>-<provider>, e.g. prod-oss' })
      .option('cluster', {
        type: 'string',
        describe:
          'Cluster the overlay deploys to, a DNS label: the Argo CD cluster name, clusters/<cluster>/ for Flux, the cluster external label (default: the overlay name)',
      })
      .option('platform', {
        type: 'string',
        describe: `The cluster's Kubernetes distribution: ${PLATFORMS.join(', ')}; decides kubelet TLS verification (default: another overlay of the cluster's, else generic)`,
      })
      .option('namespace', { type: 'string', describe: 'Namespace of every object (default: monitoring-<env>)' })
      .option('secrets', {
        type: 'string',
        describe: `How the objstore Secret reaches the cluster: ${SECRETS_MODES.join(', ')} (default: plain for dev-minio/dev-filesystem, else external-secrets)`,
      })
      .option('profile', { type: 'string', describe: `Environment profile: ${PROFILES.join(', ')} (default: the <env> part of the name)` })
      .option('bucket', { type: 'string', describe: 'Bucket or container (default: CHANGE-ME-<name>)' })
      .option('region', { type: 'string', describe: 'Region (s3, cos, oss, swift; refused for the others)' })
      .option('endpoint', {
        type: 'string',
        describe:
          "API URL (s3, cos, oss) or Keystone auth URL (swift), e.g. https://minio.example.com:9000; written in each provider's form",
      })
      .option('internal', {
        type: 'boolean',
        default: false,
        describe: "oss: the region's internal (VPC) endpoint, so Store and Compact do not pay internet egress",
      })
      .option('identity', {
        type: 'string',
        describe: 'IAM role ARN, Google service account or Azure client ID (only with --secrets workload-identity)',
      })
      .option('role', { type: 'string', describe: `Role in a fleet of clusters: ${ROLES.join(', ')} (default: full; docs/fleet.md)` })
      .option('observer', { type: 'string', describe: 'leaf, agent: the observer overlay it belongs to' })
      .option('expose-host', {
        type: 'string',
        describe: 'leaf: the host name the observer dials for its Query; observer: the host agents remote-write to',
      })
      .option('expose-via', {
        type: 'string',
        describe: 'How --expose-host is reached: LoadBalancer (default) or TLSRoute (Gateway API v1, passthrough)',
      })
      .option('gateway', { type: 'string', describe: 'TLSRoute: the Gateway, <namespace>/<name>[/<listener>]' })
      .option('force', {
        type: 'boolean',
        default: false,
        describe:
          'Replace an existing overlay: its fields are kept unless an option overrides them; its generated files are rewritten, user files kept',
      }),
  handler: async (args) => {
    // Loaded here: ts-morph (the registry editor) costs two seconds to load, which no other command should pay.
    const { formatNewOverlayReport, newOverlay } = await import('../../generator/operations/new-overlay.js');
    const result = await newOverlay(
      repoRoot(),
      {
        name: args.name,
        cluster: args.cluster,
        platform: args.platform,
        namespace: args.namespace,
        secrets: args.secrets,
        profile: args.profile,
        bucket: args.bucket,
        region: args.region,
        endpoint: args.endpoint,
        internal: args.internal,
        identity: args.identity,
        force: args.force,
        role: args.role,
        observer: args.observer,
        exposeHost: args['expose-host'],
        exposeVia: args['expose-via'],
        gateway: args.gateway,
      },
      writeHooks,
    );
    process.stdout.write(formatNewOverlayReport(result));
  },
});
