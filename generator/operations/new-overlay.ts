import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { CLUSTERS_DIR, GITOPS_MANAGED_DIRS, gitopsFiles } from '../gitops/files.js';
import { fleetTopologyFile } from '../gitops/fleet-diagram.js';
import { rolloutSeconds } from '../gitops/rollout.js';
import { buildComponents } from '../build-stack.js';
import { UserError } from '../../core/errors.js';
import { planChanges, writeUnderLock, type FileChange, type GeneratedFile, type WriteHooks, type WritePlan } from '../write/writer.js';
import { GITOPS } from '../../settings/gitops.js';
import { committedPaths, declaredObjects } from './lifecycle.js';
import { overlayPlaceholders } from '../overlay/placeholders.js';
import { overlayDir, planModelOverlay, USER_COMPONENT } from '../overlay/plan.js';
import { PROVIDER_SPECS } from '../model/providers.js';
import { REGISTRY_PATH, addRegistryEntry, parseRegistry } from '../model/registry-file.js';
import {
  PROFILES,
  ROLES,
  SECRETS_MODES,
  PLATFORMS,
  type OverlayDefinition,
  type OverlayExposure,
  type ProviderName,
  type ProviderSettings,
} from '../../settings/schema/overlay-entry.js';
import { membersOf, observerOf, roleOf } from '../model/fleet.js';
import { ENDPOINT_PROVIDERS, endpointSettings } from '../overlay/endpoint.js';
import { didYouMean } from '../../core/suggest.js';
import { defaultSecretsMode, dnsLabelProblem, isProfile, parseOverlayName, validateOverlay } from '../model/validate-overlay.js';
import { nodeExporterHost, registryModel } from '../model/registry.js';
import { overlayStack } from '../model/overlay-stack.js';

export interface NewOverlayOptions {
  /** `<env>-<provider>`, exactly as typed. */
  readonly name: string;
  /** The cluster the overlay deploys to, a DNS label. @default the overlay name */
  readonly cluster?: string;
  /** The cluster's platform (PLATFORMS). @default the platform another overlay of the cluster names, else unset (generic) */
  readonly platform?: string;
  /** @default "monitoring-<env>" */
  readonly namespace?: string;
  /** @default "plain" for dev with minio or filesystem, else "external-secrets" */
  readonly secrets?: string;
  /** @default the environment part of the name, which must then be a known profile */
  readonly profile?: string;
  /** @default "CHANGE-ME-<name>" (a marked placeholder) */
  readonly bucket?: string;
  readonly region?: string;
  readonly endpoint?: string;
  /** oss: the internal (VPC) endpoint. */
  readonly internal?: boolean;
  /** workload-identity: role ARN, Google service account or client ID. */
  readonly identity?: string;
  /** Replace an existing entry (the user's files in the overlay are kept). */
  readonly force?: boolean;
  /** full (default), observer, leaf or agent (docs/fleet.md). */
  readonly role?: string;
  /** leaf, agent: the observer overlay. */
  readonly observer?: string;
  /** leaf: the host the observer dials; observer: the host agents write to. */
  readonly exposeHost?: string;
  /** LoadBalancer (default) or TLSRoute. */
  readonly exposeVia?: string;
  /** TLSRoute: the Gateway, `<namespace>/<name>` or `<namespace>/<name>/<listener>`. */
  readonly gateway?: string;
}

export interface NewOverlayResult {
  readonly overlay: OverlayDefinition;
  readonly registryPath: string;
  readonly changes: readonly FileChange[];
  readonly nextSteps: readonly string[];
}

/** Where repoURL and branch are set. */
const SETTINGS_PATH = 'settings/gitops.ts';

/** Options that apply only to some providers: the providers, as the refusal lists them. */
const REGION_PROVIDERS: readonly ProviderName[] = ['s3', 'cos', 'oss', 'swift'];

/** A value of a closed list, as typed; a typo gets a "did you mean". */
function oneOf<T extends string>(option: string, value: string, allowed: readonly T[], overlay: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UserError(`${option} '${value}' (overlay '${overlay}') is not one of ${allowed.join(', ')}.${didYouMean(value, allowed)}`);
}

/**
 * The registry entry the options describe; throws a UserError for every bad input, before any
 * write. With `existing` (--force), the existing entry's fields stay unless an option overrides them.
 */
export function overlayEntry(options: NewOverlayOptions, existing?: OverlayDefinition): OverlayDefinition {
  const { env, provider } = parseOverlayName(options.name);
  const name = options.name;
  const profileValue = options.profile ?? existing?.profile ?? env;
  if (options.profile === undefined && !existing && !isProfile(profileValue)) {
    throw new UserError(
      `unknown environment '${env}' in '${name}'. Known environments: ${PROFILES.join(', ')}; for a new one, say which profile it starts from, e.g. --profile staging.${didYouMean(env, PROFILES)}`,
    );
  }
  const profile = oneOf('--profile', profileValue, PROFILES, name);
  const secrets = oneOf('--secrets', options.secrets ?? existing?.secrets ?? defaultSecretsMode(provider, profile), SECRETS_MODES, name);
  // Options that mean nothing for this provider or secrets mode are refused rather than ignored.
  if (options.region !== undefined && !REGION_PROVIDERS.includes(provider)) {
    throw new UserError(
      `--region does not apply to provider '${provider}' (overlay '${name}'); it applies to ${REGION_PROVIDERS.join(', ')}.`,
    );
  }
  if (options.endpoint !== undefined && !ENDPOINT_PROVIDERS[provider]) {
    throw new UserError(
      `--endpoint does not apply to provider '${provider}' (overlay '${name}'); it applies to ${Object.keys(ENDPOINT_PROVIDERS).join(', ')}.`,
    );
  }
  if (options.identity !== undefined && secrets !== 'workload-identity') {
    throw new UserError(`--identity applies only with --secrets workload-identity; overlay '${name}' uses secrets mode '${secrets}'.`);
  }
  const settings: ProviderSettings = {
    ...existing?.settings,
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? endpointSettings(provider, options.endpoint, name) : {}),
    ...(options.internal ? { internal: true } : {}),
  };
  // An endpoint given now replaces what the kept entry said about the endpoint (its scheme, --internal), and the other way round.
  const replaced = settings as { insecure?: boolean; internal?: boolean; endpoint?: string };
  if (options.endpoint && !options.endpoint.startsWith('http:')) delete replaced.insecure;
  if (options.endpoint && !options.internal) delete replaced.internal;
  if (options.internal && !options.endpoint) {
    delete replaced.endpoint;
    delete replaced.insecure;
  }
  const role = options.role === undefined ? existing?.role : oneOf('--role', options.role, ROLES, name);
  const member = role === 'leaf' || role === 'agent';
  if (!member && options.observer !== undefined) throw new UserError(`--observer applies to --role leaf or agent (overlay '${name}').`);
  if (member && options.bucket !== undefined)
    throw new UserError(`--bucket does not apply to a ${role} (overlay '${name}'): its data lands in its observer's bucket.`);
  if (member && (options.region !== undefined || options.endpoint !== undefined || options.internal))
    throw new UserError(
      `--region, --endpoint and --internal do not apply to a ${role} (overlay '${name}'): it uses its observer's object store.`,
    );
  if (options.exposeVia !== undefined && options.exposeHost === undefined)
    throw new UserError(`--expose-via needs --expose-host (overlay '${name}').`);
  if (options.gateway !== undefined && options.exposeVia !== 'TLSRoute')
    throw new UserError(`--gateway applies to --expose-via TLSRoute (overlay '${name}').`);
  const expose = options.exposeHost !== undefined ? exposureOption(options, name) : existing?.expose;
  const cluster = options.cluster ?? existing?.cluster ?? name;
  const clusterProblem = dnsLabelProblem(cluster);
  if (clusterProblem)
    throw new UserError(
      `--cluster '${cluster}' is not a DNS label: ${clusterProblem}. Give the name the cluster is registered under, e.g. prod-eu-1.`,
    );
  const platformValue = options.platform ?? existing?.platform;
  const platform = platformValue === undefined ? undefined : oneOf('--platform', platformValue, PLATFORMS, name);
  const identity = secrets === 'workload-identity' ? (options.identity ?? existing?.identity) : undefined;
  const { settings: _settings, identity: _identity, ...kept } = existing ?? ({} as Partial<OverlayDefinition>);
  const entry: OverlayDefinition = {
    ...kept,
    name,
    profile,
    provider,
    cluster,
    ...(platform ? { platform } : {}),
    namespace: options.namespace ?? existing?.namespace ?? `monitoring-${env}`,
    secrets,
    ...(role && role !== 'full' ? { role } : {}),
    ...(member ? { observer: options.observer ?? existing?.observer } : {}),
    // In-cluster stores need no bucket made outside: a fixed name; a cloud bucket is a marked placeholder.
    // A leaf or agent has none: its data lands in its observer's bucket.
    ...(member
      ? {}
      : {
          bucket:
            options.bucket ?? existing?.bucket ?? (provider === 'minio' || provider === 'filesystem' ? 'thanos' : `CHANGE-ME-${name}`),
        }),
    ...(!member && Object.keys(settings).length > 0 ? { settings } : {}),
    ...(identity ? { identity } : {}),
    ...(expose ? { expose } : {}),
  };
  if (member) {
    delete (entry as { bucket?: string }).bucket;
    delete (entry as { settings?: unknown }).settings;
  }
  if (!member) delete (entry as { observer?: string }).observer;
  validateOverlay(entry, '--options');
  return entry;
}

/** `--expose-host`, `--expose-via` and `--gateway` as the registry's `expose`. */
function exposureOption(options: NewOverlayOptions, name: string): OverlayExposure {
  const via =
    options.exposeVia === undefined ? undefined : oneOf('--expose-via', options.exposeVia, ['LoadBalancer', 'TLSRoute'] as const, name);
  let gateway: OverlayExposure['gateway'];
  if (via === 'TLSRoute') {
    const parts = (options.gateway ?? '').split('/');
    if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
      throw new UserError(
        `--expose-via TLSRoute needs --gateway <namespace>/<name>[/<listener>] (overlay '${name}'): the Gateway with a TLS listener in Passthrough mode, e.g. --gateway gateway-system/shared-gateway.`,
      );
    }
    gateway = { namespace: parts[0], name: parts[1], ...(parts[2] ? { sectionName: parts[2] } : {}) };
  }
  return { host: options.exposeHost!, ...(via ? { via } : {}), ...(gateway ? { gateway } : {}) };
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/**
 * Adds an overlay to the registry and writes its folder. Everything is computed and validated in
 * memory first; then the registry and the overlay's files are written through the one writer, all
 * or nothing: if anything fails from there on, the registry's original bytes are restored and
 * every file written is put back. `hooks`: tests only.
 */
export async function newOverlay(root: string, options: NewOverlayOptions, hooks?: WriteHooks): Promise<NewOverlayResult> {
  return writeUnderLock(root, {
    command: 'new-overlay',
    plan: () => planNewOverlay(root, options),
    undone: () => `${REGISTRY_PATH} and every file written were put back as they were.`,
    failed: (error, result) =>
      new UserError(
        `new-overlay ${result.overlay.name} failed while writing: ${error.message}. Rolled back: ${REGISTRY_PATH}, ${overlayDir(result.overlay.name)}/ and every other file written are as they were.`,
      ),
    hooks,
  });
}

/** The registry edit, the files it brings and the report, read and computed under the lock; nothing is written here. */
function planNewOverlay(root: string, options: NewOverlayOptions): WritePlan<NewOverlayResult> {
  const registryFile = join(root, REGISTRY_PATH);
  if (!existsSync(registryFile)) throw new UserError(`${REGISTRY_PATH} not found below ${root}; run this in a checkout of the scaffold.`);
  const text = readFileSync(registryFile, 'utf8');
  const entries = parseRegistry(text);
  const existing = entries.find((entry) => entry.name === options.name);
  const named = overlayEntry(options, options.force ? existing : undefined);
  // Joining a cluster another overlay names the platform of: the same kubelets, the same platform.
  const clusterPlatform = entries.find((e) => e.name !== named.name && e.cluster === named.cluster && e.platform !== undefined)?.platform;
  const requested: OverlayDefinition =
    named.platform === undefined && clusterPlatform !== undefined ? { ...named, platform: clusterPlatform } : named;
  // Joining a cluster that already runs node-exporter through another overlay: this one leaves it off.
  const nodeExporterBy = overlayStack(requested).nodeExporter.enabled
    ? nodeExporterHost(
        entries.filter((e) => e.name !== requested.name),
        requested.cluster,
      )
    : undefined;
  const overlay: OverlayDefinition = nodeExporterBy
    ? { ...requested, components: { ...requested.components, nodeExporter: false } }
    : requested;
  const dir = overlayDir(overlay.name);
  const inRegistry = existing !== undefined;
  // A user/ folder that remove-overlay kept is picked up again; anything else in the folder is in the way.
  const inTheWay = listFiles(join(root, dir)).filter((path) => !path.startsWith(join(root, dir, USER_COMPONENT) + sep));
  if ((inRegistry || inTheWay.length > 0) && !options.force) {
    throw new UserError(
      `overlay '${overlay.name}' already exists (${inRegistry ? `an entry in ${REGISTRY_PATH}` : `files in ${dir}/`}); pass --force to replace its registry entry and generated files (your files in ${dir}/user/ are kept).`,
    );
  }
  const sharing = entries.find(
    (entry) => entry.name !== overlay.name && entry.cluster === overlay.cluster && entry.namespace === overlay.namespace,
  );
  if (sharing) {
    throw new UserError(
      `overlay '${sharing.name}' already deploys to namespace '${overlay.namespace}' of cluster '${overlay.cluster}'; two overlays there would overwrite each other's objects. Pass another --cluster or --namespace.`,
    );
  }
  const updated = addRegistryEntry(text, overlay, {
    replace: options.force,
    comment: `${overlay.profile} on ${PROVIDER_SPECS[overlay.provider].description}; added by npm run new-overlay.`,
  });
  // The edited registry must still read back, with the new entry exactly as planned.
  const registryEntries = parseRegistry(updated);
  const reread = registryEntries.find((entry) => entry.name === overlay.name);
  if (JSON.stringify(reread) !== JSON.stringify(overlay)) throw new Error(`registry edit did not round-trip for '${overlay.name}'`);
  // The GitOps files are derived from every entry: each must name its cluster (an older entry may
  // not). The new entry's own fields were checked against the options (overlayEntry).
  const registry = registryModel(registryEntries, root, { where: REGISTRY_PATH, checked: [overlay.name] });
  // What `generate` would write because of this entry: the overlay itself, and the GitOps
  // manifests derived from the whole registry. Other overlays are untouched (planning them all
  // made new-overlay as slow as a full generate); `generate --check` still reports their drift.
  const overlayPlan = planModelOverlay(registry.overlay(overlay.name), root);
  // The fleet's other side: an observer's Query endpoints and Receive writers follow its leaves and
  // agents, and a new observer picks up the members already naming it.
  const observer = observerOf(overlay, registryEntries);
  const peers = [...(observer ? [observer] : []), ...(roleOf(overlay) === 'observer' ? membersOf(overlay, registryEntries) : [])].map(
    (peer) => planModelOverlay(registry.overlay(peer.name), root),
  );
  // Flux timeouts follow each overlay's rollout bound: from the plans made here, else from its stack's objects.
  const planned = new Map([overlayPlan, ...peers].map((p) => [p.overlay.name, p.objects]));
  const rollouts = new Map(
    registryEntries.map((entry) => [
      entry.name,
      rolloutSeconds(planned.get(entry.name) ?? buildComponents(registry.overlay(entry.name).stack).flatMap((b) => b.objects)),
    ]),
  );
  const plan = {
    files: [
      ...overlayPlan.files,
      ...overlayPlan.userFiles,
      ...peers.flatMap((p) => [...p.files, ...p.userFiles]),
      ...gitopsFiles(registryEntries, GITOPS, rollouts),
      // The fleet picture follows the registry too: a leaf or agent joining redraws it.
      fleetTopologyFile(registryEntries),
    ],
    managedDirs: [dir, ...peers.map((p) => overlayDir(p.overlay.name)), ...GITOPS_MANAGED_DIRS],
  };
  const changes = planChanges(root, plan.files, plan.managedDirs);

  const result: NewOverlayResult = {
    overlay,
    registryPath: REGISTRY_PATH,
    changes,
    nextSteps: [
      ...(nodeExporterBy
        ? [
            `note: cluster '${overlay.cluster}' already runs node-exporter through '${nodeExporterBy}', so '${overlay.name}' leaves it off (components: { nodeExporter: false } in ${REGISTRY_PATH}).`,
          ]
        : []),
      ...nextSteps(overlay, overlayPlan.nextSteps, changes, plan.files),
    ],
  };
  // The registry goes first, as one more file of the same all-or-nothing write.
  return {
    files: [{ path: REGISTRY_PATH, content: updated }, ...plan.files],
    changes: [{ path: REGISTRY_PATH, change: 'update' }, ...changes],
    result,
  };
}

/** The text new-overlay prints: what was created, then what the user does next. */
export function formatNewOverlayReport(result: NewOverlayResult): string {
  const o = result.overlay;
  const lines = [
    `new-overlay: added '${o.name}' to ${result.registryPath} (${o.role && o.role !== 'full' ? `role ${o.role}${o.observer ? ` of observer ${o.observer}` : ''}, ` : ''}profile ${o.profile}, provider ${o.provider}, cluster ${o.cluster}, namespace ${o.namespace}, secrets ${o.secrets}, bucket ${o.bucket ?? `${o.observer}'s`}).`,
    `Files written (${result.changes.length}):`,
    ...result.changes.map((change) => `  ${change.change.padEnd(6)} ${change.path}`),
    'Next:',
    ...result.nextSteps.map((step, index) => `  ${index + 1}. ${step}`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * What the user does next, exact for this overlay: each setting still at a placeholder by name,
 * the provider's and secrets mode's steps, the repository URL while it is a placeholder, the commit,
 * and which GitOps file to apply (read from the files written, so it follows the GitOps layout).
 */
function nextSteps(
  overlay: OverlayDefinition,
  planSteps: readonly string[],
  changes: readonly FileChange[],
  planned: readonly GeneratedFile[],
): string[] {
  const dir = overlayDir(overlay.name);
  const placeholders = overlayPlaceholders(overlay).map(
    (p) =>
      `set ${p.field} of '${overlay.name}' in ${REGISTRY_PATH}: it is the placeholder '${p.value}' (${p.meaning}); then npm run generate.`,
  );
  const repo = GITOPS.repoURL.includes('CHANGE-ME')
    ? [
        `set repoURL (and branch) in ${SETTINGS_PATH}: repoURL is still the placeholder ${GITOPS.repoURL}, so Argo CD and Flux cannot fetch this repository; then npm run generate.`,
      ]
    : [];
  // This overlay's own GitOps files (whatever the layout, they carry its name), as written.
  const own = planned.filter(
    ({ path }) => !path.startsWith(`${dir}/`) && path.split('/').some((part) => part === overlay.name || part === `${overlay.name}.yaml`),
  );
  const objects = declaredObjects(own);
  const files = (kind: string) => [...new Set(objects.filter((o) => o.kind === kind).map((o) => o.file))];
  const apply: string[] = [];
  if (files('Application').length > 0) {
    apply.push(
      `Argo CD: register cluster '${overlay.cluster}' once (argocd cluster add <kube-context> --name ${overlay.cluster}), then kubectl apply -f ${files('Application').join(' -f ')} once on the Argo CD cluster (or use the ApplicationSet, which lists ${overlay.name} already).`,
    );
  }
  if (files('Kustomization').length > 0) {
    apply.push(
      `Flux: bootstrap cluster '${overlay.cluster}' with --path=${CLUSTERS_DIR}/${overlay.cluster}; it reconciles ${files('Kustomization').join(', ')} (render the overlay first with npm run render ${dir}).`,
    );
  }
  if (apply.length === 0) apply.push('apply the Argo CD or Flux manifests that list this overlay once (README: GitOps).');
  const sops =
    overlay.secrets === 'sops'
      ? [
          'Argo CD does not decrypt SOPS by itself: its repo server needs a plugin such as KSOPS with your age key (and the encrypted file listed as a KSOPS generator instead of a resource); Flux decrypts natively.',
        ]
      : [];
  return [
    ...placeholders,
    ...repo,
    ...planSteps,
    `commit: git add ${[REGISTRY_PATH, ...committedPaths(changes, dir)].join(' ')} && git commit -m "Add overlay ${overlay.name}"`,
    ...apply,
    ...sops,
    `check it before you merge: npm run check -- --overlay ${overlay.name}.`,
  ];
}
