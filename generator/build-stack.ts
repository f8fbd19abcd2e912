import { THANOS_VERSION } from '../settings/versions.js';
import type { StackConfig } from './model/stack.js';
import {
  alertmanager,
  compact,
  kubeStateMetrics,
  nodeExporter,
  prometheus,
  query,
  queryFrontend,
  receive,
  ruler,
  store,
} from './components/index.js';
import { memcached } from './components/memcached.js';
import { SHARD_LABEL } from '../core/names.js';
import { withPlacement } from './components/placement.js';
import { networkPolicies } from './components/network-policies.js';
import { dashboardConfigMaps } from './monitoring/dashboards/index.js';
import { prometheusMonitoring, rulerMonitoring } from './monitoring/component-inputs.js';
import { alertmanagerPorts } from './monitoring/alerting.js';
import { checkThanosFlags, flagNames, isThanosSubcommand, referenceRelease } from '../core/thanos/flags.js';
import { UserError } from '../core/errors.js';
import { dropUndefined } from '../core/yaml.js';
import { validateAgainstSchema } from '../core/kube/validate-objects.js';
import { validateStack } from './model/validate-stack.js';
import type { KubeObject } from '../core/kube/kube-object.js';

export type { KubeObject };

/** One component's objects, in the folder base/<folder>/. */
export interface ComponentBundle {
  readonly folder: string;
  readonly objects: readonly KubeObject[];
}

/** A component's objects (some fields hold a list: one StatefulSet per shard), as plain objects. */
function toPlain(objects: Record<string, unknown>): KubeObject[] {
  return Object.values(objects)
    .flatMap((object) => (Array.isArray(object) ? object : [object]))
    .filter((object) => object !== undefined)
    .map((object) => dropUndefined(object) as KubeObject);
}

/**
 * Every component of the stack, validated: the config against its rules, every object
 * against its schema, every Thanos flag against the pinned version. Throws before anything is written.
 * Here components meet monitoring: what Prometheus scrapes, which rules it and the Ruler evaluate
 * and where they send alerts come from monitoring/ and are passed into the components.
 */
export function buildStack(stack: StackConfig): ComponentBundle[] {
  validateStack(stack);
  return buildComponents(stack);
}

/** buildStack for a stack checked already (an overlay's, checked in its registry model): the objects, each checked against its schema. */
export function buildComponents(stack: StackConfig): ComponentBundle[] {
  const bundles: ComponentBundle[] = [{ folder: 'prometheus', objects: toPlain({ ...prometheus(stack, prometheusMonitoring(stack)) }) }];
  if (stack.query.enabled) bundles.push({ folder: 'query', objects: toPlain({ ...query(stack) }) });
  if (stack.store.enabled) bundles.push({ folder: 'store', objects: toPlain({ ...store(stack) }) });
  if (stack.compact.enabled) bundles.push({ folder: 'compact', objects: toPlain({ ...compact(stack) }) });
  if (stack.queryFrontend.enabled) bundles.push({ folder: 'query-frontend', objects: toPlain({ ...queryFrontend(stack) }) });
  if (stack.receive.enabled) bundles.push({ folder: 'receive', objects: toPlain({ ...receive(stack) }) });
  if (stack.ruler.enabled) bundles.push({ folder: 'ruler', objects: toPlain({ ...ruler(stack, rulerMonitoring(stack)) }) });
  if (stack.nodeExporter.enabled) bundles.push({ folder: 'node-exporter', objects: toPlain({ ...nodeExporter(stack) }) });
  if (stack.kubeStateMetrics.enabled) bundles.push({ folder: 'kube-state-metrics', objects: toPlain({ ...kubeStateMetrics(stack) }) });
  if (stack.alertmanager.enabled) bundles.push({ folder: 'alertmanager', objects: toPlain({ ...alertmanager(stack) }) });
  if (stack.cache.backend === 'memcached') bundles.push({ folder: 'memcached', objects: toPlain({ ...memcached(stack) }) });
  // A stack without Query (a fleet's agent) serves no dashboard: its data is seen in the observer's.
  if (stack.query.enabled) bundles.push({ folder: 'dashboards', objects: toPlain({ ...dashboardConfigMaps(stack) }) });
  if (stack.networkPolicies.enabled) {
    // Each component's policy travels with the component, so an overlay that leaves one out leaves its policy out too.
    const selectors = new Map<string, Record<string, string>>();
    for (const object of bundles.flatMap((bundle) => bundle.objects)) {
      const spec = object.spec as
        | { selector?: { matchLabels?: Record<string, string> }; template?: { spec?: { serviceAccountName?: string } } }
        | undefined;
      const matchLabels = spec?.selector?.matchLabels;
      if (!(object.kind === 'StatefulSet' || object.kind === 'Deployment' || object.kind === 'DaemonSet') || !matchLabels) continue;
      selectors.set(object.metadata.name, matchLabels);
      // Shards (thanos-store-0, ...) run as their component: its name selects all of them.
      const component = spec?.template?.spec?.serviceAccountName;
      if (component && !selectors.has(component))
        selectors.set(component, Object.fromEntries(Object.entries(matchLabels).filter(([key]) => key !== SHARD_LABEL)));
    }
    const policies = networkPolicies(stack, selectors, alertmanagerPorts(stack));
    for (const bundle of bundles) {
      const own = policies.byComponent[bundle.folder];
      if (own) (bundle.objects as KubeObject[]).push(...toPlain({ own }));
    }
    bundles.push({ folder: 'network-policies', objects: toPlain({ ...policies.namespaceWide }) });
  }
  const placed = bundles.map((bundle) => ({
    folder: bundle.folder,
    objects: bundle.objects.map((object) => withPlacement(stack, object)),
  }));
  for (const bundle of placed) for (const object of bundle.objects) assertValidObject(object, `base/${bundle.folder}`);
  return placed;
}

/** Schema and Thanos-flag checks for one generated object; a failure is a generator bug or a bad config. */
export function assertValidObject(object: KubeObject, where: string): void {
  const result = validateAgainstSchema(object);
  if (!result.ok) {
    throw new UserError(`${where}: ${object.kind} ${object.metadata.name} fails its schema: ${result.message}`);
  }
  for (const container of podContainers(object)) {
    const [subcommand, ...args] = container.args ?? [];
    if (!container.image?.includes('thanos') || !subcommand || !isThanosSubcommand(subcommand)) continue;
    const errors = checkThanosFlags(subcommand, flagNames(args), referenceRelease(THANOS_VERSION)).filter(
      (problem) => problem.level === 'error',
    );
    if (errors.length > 0) {
      throw new UserError(
        `${where}: ${object.kind} ${object.metadata.name} container ${container.name}: ${errors.map((e) => e.message).join('; ')}`,
      );
    }
  }
}

interface ContainerLike {
  name: string;
  image?: string;
  args?: string[];
}

function podContainers(object: KubeObject): ContainerLike[] {
  const spec = (object.spec as { template?: { spec?: { containers?: ContainerLike[]; initContainers?: ContainerLike[] } } } | undefined)
    ?.template?.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}
