import { DEFAULT_STACK } from './stack.js';
import { UserError } from '../../core/errors.js';
import { didYouMean } from '../../core/suggest.js';
import { endpointProblems } from '../../core/objstore-endpoint.js';
import { reservedNamespace } from '../../core/kube/namespaces.js';
import { validateFleet, validateFleetEntry } from './fleet.js';
import { PROVIDER_SPECS, allowedSecretsModes, objstoreConfig } from './providers.js';
import { isPlatform, platformOf } from './platforms.js';
import {
  PLATFORMS,
  PROFILES,
  PROVIDERS,
  SECRETS_MODES,
  type OverlayDefinition,
  type ProfileName,
  type ProviderName,
} from '../../settings/schema/overlay-entry.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `name` is not a usable DNS label, or undefined when it is. */
export function dnsLabelProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name.includes('..')) return "it contains '..'; give a bare name such as prod-oss";
  if (name.includes('/') || name.includes('\\')) return "it contains a path separator ('/'); give a bare name such as prod-oss";
  if (name !== name.toLowerCase()) return 'it contains uppercase letters; use lowercase';
  if (name.length > 63) return `it is ${name.length} characters long; at most 63 are allowed`;
  if (!DNS_LABEL.test(name)) return "only lowercase letters, digits and '-' are allowed, starting and ending with a letter or digit";
  return undefined;
}

/** Splits `<env>-<provider>` (the provider is the last '-' part); throws a UserError naming the problem. */
export function parseOverlayName(name: string): { env: string; provider: ProviderName } {
  const problem = dnsLabelProblem(name);
  if (problem) throw new UserError(`overlay name '${name}' is not a lowercase DNS label: ${problem}. Use <env>-<provider>, e.g. prod-oss.`);
  const cut = name.lastIndexOf('-');
  if (cut <= 0) {
    throw new UserError(`overlay name '${name}' is not <env>-<provider>; e.g. prod-oss. Known providers: ${PROVIDERS.join(', ')}.`);
  }
  const env = name.slice(0, cut);
  const provider = name.slice(cut + 1);
  if (!(PROVIDERS as readonly string[]).includes(provider)) {
    throw new UserError(
      `overlay name '${name}': unknown provider '${provider}'. Known providers: ${PROVIDERS.join(', ')}.${didYouMean(provider, PROVIDERS)}`,
    );
  }
  return { env, provider: provider as ProviderName };
}

export function isProfile(value: string): value is ProfileName {
  return (PROFILES as readonly string[]).includes(value);
}

const ENTRY_FIELDS = [
  'name',
  'profile',
  'provider',
  'cluster',
  'platform',
  'argocdInCluster',
  'namespace',
  'secrets',
  'bucket',
  'settings',
  'identity',
  'secretStore',
  'components',
  'writers',
  'storageClassName',
  'queryUrl',
  'scrapeJobs',
  'ruleFiles',
  'sops',
  'role',
  'observer',
  'expose',
  'issuer',
] as const;
const SETTINGS_FIELDS = ['region', 'endpoint', 'insecure', 'internal', 'storageAccount', 'appId', 'project'];
const COMPONENT_FIELDS = ['receive', 'ruler', 'queryFrontend', 'nodeExporter', 'kubeStateMetrics'];

/** A misspelt field would otherwise be ignored in silence; name it and list what is allowed. */
function checkFields(at: string, field: string, value: unknown, allowed: readonly string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UserError(`${at}: '${field}' must be an object`);
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      throw new UserError(
        `${at}: unknown field '${field ? `${field}.` : ''}${key}'. Allowed: ${allowed.join(', ')}.${didYouMean(key, allowed)}`,
      );
  }
}

/** Every rule an overlay entry must satisfy; the message names the entry, the field and what is allowed. */
export function validateOverlay(overlay: OverlayDefinition, where = 'settings/overlays.ts'): void {
  const at = `${where}: overlay '${overlay.name}'`;
  checkFields(at, '', overlay, [...ENTRY_FIELDS, 'overrides', 'alertmanager']);
  validateOverlayAlertmanager(at, overlay);
  checkFields(at, 'settings', overlay.settings, SETTINGS_FIELDS);
  checkFields(at, 'components', overlay.components, COMPONENT_FIELDS);
  checkFields(at, 'secretStore', overlay.secretStore, ['name', 'kind', 'remoteKey']);
  checkFields(at, 'overrides', overlay.overrides, Object.keys(DEFAULT_STACK));
  for (const [section, value] of Object.entries(overlay.overrides ?? {})) {
    const defaults = (DEFAULT_STACK as unknown as Record<string, unknown>)[section];
    if (typeof defaults === 'object' && defaults !== null) checkFields(at, `overrides.${section}`, value, Object.keys(defaults));
  }
  const { provider } = parseOverlayName(overlay.name);
  if (provider !== overlay.provider) throw new UserError(`${at}: provider '${overlay.provider}' does not match the name's '${provider}'`);
  if (!isProfile(overlay.profile))
    throw new UserError(`${at}: unknown profile '${overlay.profile}'. Known profiles: ${PROFILES.join(', ')}.`);
  if (!(SECRETS_MODES as readonly string[]).includes(overlay.secrets)) {
    throw new UserError(`${at}: unknown secrets mode '${overlay.secrets}'. Known modes: ${SECRETS_MODES.join(', ')}.`);
  }
  clusterProblem(at, overlay);
  const platform = (overlay as { platform?: unknown }).platform;
  if (platform !== undefined && !isPlatform(platform)) {
    throw new UserError(
      `${at}: unknown platform '${String(platform)}'. Known platforms: ${PLATFORMS.join(', ')} (generic for any other; docs/overlays.md#kubelet-tls-per-platform).${typeof platform === 'string' ? didYouMean(platform, PLATFORMS) : ''}`,
    );
  }
  validateFleetEntry(at, overlay);
  const queryUrl = (overlay as { queryUrl?: unknown }).queryUrl;
  if (queryUrl !== undefined && !isLinkUrl(queryUrl)) {
    throw new UserError(
      `${at}: 'queryUrl' must be an http(s) URL without a query or fragment, where people open Query, e.g. 'https://thanos.example.com'; got '${String(queryUrl)}'.`,
    );
  }
  const nsProblem = dnsLabelProblem(overlay.namespace);
  if (nsProblem) throw new UserError(`${at}: namespace '${overlay.namespace}' is not a DNS label: ${nsProblem}`);
  const reserved = reservedNamespace(overlay.namespace);
  if (reserved) {
    throw new UserError(
      `${at}: namespace '${overlay.namespace}' ${reserved}; the overlay's default-deny NetworkPolicy and "restricted" Pod Security enforcement would land there. Give the overlay a namespace of its own, e.g. monitoring-${overlay.profile}.`,
    );
  }
  if (PROVIDER_SPECS[provider].devOnly && overlay.profile !== 'dev') {
    throw new UserError(`${at}: provider '${provider}' is for dev only (profile dev); use a real object store for ${overlay.profile}`);
  }
  const modes = allowedSecretsModes(provider, overlay.profile);
  if (!modes.includes(overlay.secrets)) {
    throw new UserError(
      `${at}: secrets mode '${overlay.secrets}' is not allowed for provider '${provider}' with profile '${overlay.profile}'. Allowed: ${modes.join(', ')}.`,
    );
  }
  checkEndpoint(at, overlay);
  const writers = overlay.writers ?? [];
  if (!Array.isArray(writers) || writers.some((w) => typeof w !== 'string' || w.trim() === ''))
    throw new UserError(`${at}: 'writers' must be a list of non-empty names, e.g. ['edge-eu-1 Prometheus agent']`);
  if (overlay.components?.receive === true && writers.length === 0) {
    throw new UserError(
      `${at}: components.receive is on but no writer is named; list who remote-writes into it in 'writers' (Receive without writers holds replicas and volumes for nothing)`,
    );
  }
  if (overlay.bucket !== undefined && !/^(CHANGE-ME-)?[a-z0-9][a-z0-9._-]{1,220}$/.test(overlay.bucket)) {
    throw new UserError(
      `${at}: bucket '${overlay.bucket}' must be 2-222 lowercase letters, digits, '.', '_' or '-' (a CHANGE-ME- prefix marks a placeholder)`,
    );
  }
}

/** The `cluster` field: present and a DNS label (it names an Argo CD cluster, a folder and a label value). */
function clusterProblem(at: string, overlay: OverlayDefinition): void {
  const cluster = (overlay as { cluster?: unknown }).cluster;
  if (cluster === undefined) {
    throw new UserError(
      `${at}: missing field 'cluster': the cluster this overlay deploys to, a DNS label (e.g. cluster: '${overlay.name}'). It names the Argo CD destination, the Flux folder clusters/<cluster>/ and the cluster external label.`,
    );
  }
  if (typeof cluster !== 'string') throw new UserError(`${at}: 'cluster' must be a string, a DNS label such as '${overlay.name}'`);
  const problem = dnsLabelProblem(cluster);
  if (problem) throw new UserError(`${at}: cluster '${cluster}' is not a DNS label: ${problem}`);
  const inCluster = (overlay as { argocdInCluster?: unknown }).argocdInCluster;
  if (inCluster !== undefined && typeof inCluster !== 'boolean') throw new UserError(`${at}: 'argocdInCluster' must be true or false`);
}

/**
 * Rules across the registry: no two overlays deploy to the same namespace of the same cluster
 * (they would overwrite each other's StatefulSets and objstore Secret). Each entry is validated
 * first, but for those named in `checked` (their fields were checked already in this run).
 */
export function validateRegistry(
  overlays: readonly OverlayDefinition[],
  where = 'settings/overlays.ts',
  checked: ReadonlySet<string> = new Set(),
): void {
  const byPlace = new Map<string, string>();
  const platformByCluster = new Map<string, OverlayDefinition>();
  for (const overlay of overlays) {
    if (!checked.has(overlay.name)) validateOverlay(overlay, where);
    // One cluster runs one distribution; two platforms for it means one overlay scrapes its kubelets wrongly.
    const first = platformByCluster.get(overlay.cluster);
    if (first !== undefined && platformOf(first) !== platformOf(overlay)) {
      throw new UserError(
        `${where}: overlays '${first.name}' and '${overlay.name}' both deploy to cluster '${overlay.cluster}' but name platforms '${platformOf(first)}' and '${platformOf(overlay)}' (an unset platform is 'generic'); the cluster's kubelets serve one kind of certificate. Give both the cluster's platform.`,
      );
    }
    if (first === undefined) platformByCluster.set(overlay.cluster, overlay);
    const place = `${overlay.cluster}/${overlay.namespace}`;
    const other = byPlace.get(place);
    if (other !== undefined) {
      throw new UserError(
        `${where}: overlays '${other}' and '${overlay.name}' both deploy to namespace '${overlay.namespace}' of cluster '${overlay.cluster}'; they would overwrite each other's objects. Give one of them another cluster or namespace.`,
      );
    }
    byPlace.set(place, overlay.name);
  }
  validateFleet(overlays, where);
}

/** An external Alertmanager needs every replica's address; there is never a default one. */
function validateOverlayAlertmanager(at: string, overlay: OverlayDefinition): void {
  if (overlay.alertmanager === undefined) return;
  checkFields(at, 'alertmanager', overlay.alertmanager, ['external']);
  const external = overlay.alertmanager.external;
  checkFields(at, 'alertmanager.external', external, ['urls']);
  const example = "alertmanager: { external: { urls: ['http://alertmanager-0.alertmanager.ops.svc:9093'] } }";
  if (!external || !Array.isArray(external.urls) || external.urls.length === 0) {
    throw new UserError(
      `${at}: 'alertmanager.external.urls' is required: the URL of every replica of your Alertmanager, e.g. ${example}; or remove 'alertmanager' to run the stack's own.`,
    );
  }
  for (const url of external.urls) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(String(url));
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || !parsed.hostname || !parsed.port) {
      throw new UserError(
        `${at}: 'alertmanager.external.urls' entry '${String(url)}' is not an http(s) URL with host and port, e.g. ${example}.`,
      );
    }
  }
}

/** The default secrets mode: plain only where the issue allows it (dev with minio or filesystem). */
export function defaultSecretsMode(provider: ProviderName, profile: ProfileName): OverlayDefinition['secrets'] {
  return allowedSecretsModes(provider, profile)[0];
}

/**
 * The object store is reached over TLS, in the provider's own terms, everywhere but dev (where the
 * in-cluster MinIO speaks HTTP); an S3 endpoint with a scheme never connects, so it is refused everywhere.
 */
function checkEndpoint(at: string, overlay: OverlayDefinition): void {
  const spec = PROVIDER_SPECS[overlay.provider];
  if (overlay.settings?.internal !== undefined && typeof overlay.settings.internal !== 'boolean')
    throw new UserError(`${at}: 'settings.internal' must be true or false`);
  if (overlay.settings?.internal && !spec.internalEndpoint) {
    throw new UserError(
      `${at}: 'settings.internal' is for oss only. ${overlay.provider === 's3' ? 'For S3, a gateway VPC endpoint needs no setting; for an interface endpoint set settings.endpoint to its DNS name.' : 'Set settings.endpoint to the internal endpoint your provider gives you.'}`,
    );
  }
  if (overlay.settings?.internal && overlay.settings.endpoint)
    throw new UserError(`${at}: set either 'settings.internal' or 'settings.endpoint', not both`);
  if (overlay.settings?.insecure !== undefined && (typeof overlay.settings.insecure !== 'boolean' || overlay.provider !== 's3')) {
    throw new UserError(`${at}: 'settings.insecure' is true or false, for s3 only (other providers take the scheme of settings.endpoint)`);
  }
  const { type, config } = objstoreConfig(overlay, () => 'credential');
  for (const problem of endpointProblems(type, config)) {
    const schemeInS3 = type === 'S3' && problem.key === 'endpoint';
    if (overlay.profile === 'dev' && !schemeInS3) continue;
    throw new UserError(`${at}: settings.endpoint: ${problem.message}${schemeInS3 ? '' : ` (only the dev profile may use plain HTTP)`}.`);
  }
}

/** An http(s) URL that can prefix a path: alert links append /graph?g0.expr=... to it. */
function isLinkUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.hostname !== '' && url.search === '' && url.hash === '' && !value.endsWith('/');
  } catch {
    return false;
  }
}
