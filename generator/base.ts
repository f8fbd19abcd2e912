import type { StackConfig } from './config.js';
import { alertmanager, compact, kubeStateMetrics, nodeExporter, prometheus, query, queryFrontend, receive, ruler, store } from './components/index.js';
import { networkPolicies } from './components/network-policies.js';
import { dashboardConfigMaps } from './monitoring/dashboards/index.js';
import { checkThanosFlags, flagNames, isThanosSubcommand } from './lib/thanos-flags.js';
import { UserError } from './lib/errors.js';
import { dropUndefined } from './lib/yaml.js';
import { validateAgainstSchema } from './schema.js';
import { validateStack } from './validate-config.js';
import type { KubeObject } from './lib/kube-object.js';

export type { KubeObject };

/** One component's objects, in the folder base/<folder>/. */
export interface ComponentBundle {
  readonly folder: string;
  readonly objects: readonly KubeObject[];
}

function toPlain(objects: Record<string, unknown>): KubeObject[] {
  return Object.values(objects)
    .filter((object) => object !== undefined)
    .map((object) => dropUndefined(object) as KubeObject);
}

/**
 * Every component of the stack, validated: the config against its rules, every object
 * against its schema, every Thanos flag against the pinned version. Throws before anything is written.
 */
export function buildStack(stack: StackConfig): ComponentBundle[] {
  validateStack(stack);
  const bundles: ComponentBundle[] = [
    { folder: 'prometheus', objects: toPlain({ ...prometheus(stack) }) },
  ];
  if (stack.query.enabled) bundles.push({ folder: 'query', objects: toPlain({ ...query(stack) }) });
  if (stack.store.enabled) bundles.push({ folder: 'store', objects: toPlain({ ...store(stack) }) });
  if (stack.compact.enabled) bundles.push({ folder: 'compact', objects: toPlain({ ...compact(stack) }) });
  if (stack.queryFrontend.enabled) bundles.push({ folder: 'query-frontend', objects: toPlain({ ...queryFrontend(stack) }) });
  if (stack.receive.enabled) bundles.push({ folder: 'receive', objects: toPlain({ ...receive(stack) }) });
  if (stack.ruler.enabled) bundles.push({ folder: 'ruler', objects: toPlain({ ...ruler(stack) }) });
  if (stack.nodeExporter.enabled) bundles.push({ folder: 'node-exporter', objects: toPlain({ ...nodeExporter(stack) }) });
  if (stack.kubeStateMetrics.enabled) bundles.push({ folder: 'kube-state-metrics', objects: toPlain({ ...kubeStateMetrics(stack) }) });
  if (stack.alertmanager.enabled) bundles.push({ folder: 'alertmanager', objects: toPlain({ ...alertmanager(stack) }) });
  bundles.push({ folder: 'dashboards', objects: toPlain({ ...dashboardConfigMaps(stack) }) });
  if (stack.networkPolicies.enabled) {
    // Each component's policy travels with the component, so an overlay that leaves one out leaves its policy out too.
    const selectors = new Map<string, Record<string, string>>();
    for (const object of bundles.flatMap((bundle) => bundle.objects)) {
      const matchLabels = (object.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector?.matchLabels;
      if ((object.kind === 'StatefulSet' || object.kind === 'Deployment' || object.kind === 'DaemonSet') && matchLabels) selectors.set(object.metadata.name, matchLabels);
    }
    const policies = networkPolicies(stack, selectors);
    for (const bundle of bundles) {
      const own = policies.byComponent[bundle.folder];
      if (own) (bundle.objects as KubeObject[]).push(...toPlain({ own }));
    }
    bundles.push({ folder: 'network-policies', objects: toPlain({ ...policies.namespaceWide }) });
  }
  for (const bundle of bundles) for (const object of bundle.objects) assertValidObject(object, `base/${bundle.folder}`);
  return bundles;
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
    const errors = checkThanosFlags(subcommand, flagNames(args)).filter((problem) => problem.level === 'error');
    if (errors.length > 0) {
      throw new UserError(`${where}: ${object.kind} ${object.metadata.name} container ${container.name}: ${errors.map((e) => e.message).join('; ')}`);
    }
  }
}

interface ContainerLike {
  name: string;
  image?: string;
  args?: string[];
}

function podContainers(object: KubeObject): ContainerLike[] {
  const spec = (object.spec as { template?: { spec?: { containers?: ContainerLike[]; initContainers?: ContainerLike[] } } } | undefined)?.template?.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}
