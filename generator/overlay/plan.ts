import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { assertValidObject, buildComponents, buildStack, type KubeObject } from '../build-stack.js';
import { DEFAULT_STACK, type StackConfig } from '../model/stack.js';
import { COMPACT_NAME, PROMETHEUS_NAME, RECEIVE_NAME, RULER_NAME, STORE_NAME } from '../../core/names.js';
import { HASHRING_CONFIGMAP, hashringConfigMap } from '../components/receive.js';
import {
  BUCKET_ANNOTATION,
  CLUSTER_NAME_LABEL,
  FLEET_LABEL,
  FLEET_ROLE_LABEL,
  OVERLAY_LABEL,
  PROFILE_LABEL,
  imageTag,
} from '../../core/labels.js';
import { dropUndefined, stringify } from '../../core/yaml.js';
import { kustomization, namespaceFor } from '../base-layout.js';
import { generatedFile, objectFileNames, yamlFile, type GeneratedFile } from '../write/writer.js';
import { strategicPatch } from './strategic-merge-patch.js';
import { minioObjects } from './minio.js';
import { grafanaDatasource } from '../gitops/grafana.js';
import { FILESYSTEM_ROOT, PROVIDER_SPECS } from '../model/providers.js';
import { applyRollout, rolloutFor, rolloutSteps, type Rollout } from './rotation.js';
import { secretsFor, type SecretsOutput } from './secrets.js';
import { alertmanagerSecretsFor } from './alertmanager-secret.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';
import { applyCustomizations, storageClassFor } from './customize.js';
import { fleetOf, roleOf } from '../model/fleet.js';
import { registryModel, type OverlayModel, type RegistryModel } from '../model/registry.js';
import { fleetObjects } from '../components/fleet.js';

export const OVERLAYS_DIR = 'overlays';
// Set by kustomize on every object of an overlay; policies split --file input into sets by it.
export { OVERLAY_LABEL } from '../../core/labels.js';
/** Generated Component with the patches that turn the base into this overlay's stack. */
export const STACK_COMPONENT = 'stack';
/** User-owned Component: applied last, so its patches win; created once, never rewritten. */
export const USER_COMPONENT = 'user';
const SOURCE = 'settings/overlays.ts';

/** Pod Security admission: every overlay namespace enforces "restricted". */
export const POD_SECURITY_LABELS = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
} as const;

/**
 * Deleting the namespace deletes every volume in it (Prometheus' TSDB, Receive's WAL): neither
 * Argo CD nor Flux may prune it when an overlay is removed or renamed; a person deletes it.
 */
export const NAMESPACE_PRUNE_PROTECTION = {
  'argocd.argoproj.io/sync-options': 'Prune=false',
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
} as const;

/** Components whose pods read the bucket: their ServiceAccounts carry the workload identity. */
export const OBJSTORE_CLIENTS = [PROMETHEUS_NAME, STORE_NAME, COMPACT_NAME, RECEIVE_NAME, RULER_NAME] as const;

export function overlayDir(name: string): string {
  return `${OVERLAYS_DIR}/${name}`;
}

/**
 * Cluster-scoped names must differ per overlay, or two overlays on one cluster fight over one
 * ClusterRole: the base's `<instance>-` prefix becomes `<overlay>-`.
 */
export function clusterScopedName(overlay: OverlayDefinition, baseName = `${DEFAULT_STACK.instance}-${PROMETHEUS_NAME}-discovery`): string {
  return `${overlay.name}-${baseName.replace(new RegExp(`^${DEFAULT_STACK.instance}-`), '')}`;
}

export interface OverlayPlan {
  readonly overlay: OverlayDefinition;
  readonly stack: StackConfig;
  /** Generated files (marker header), rewritten on every run. */
  readonly files: readonly GeneratedFile[];
  /** User-owned files that do not exist yet below the root: created once. */
  readonly userFiles: readonly GeneratedFile[];
  /** Every object the overlay should render to, before kustomize sets namespace and labels. */
  readonly objects: readonly KubeObject[];
  readonly nextSteps: readonly string[];
}

let baseCache: Map<string, KubeObject[]> | undefined;
function baseBundles(): Map<string, KubeObject[]> {
  baseCache ??= new Map(buildStack(DEFAULT_STACK).map((bundle) => [bundle.folder, [...bundle.objects]]));
  return baseCache;
}

const keyOf = (object: KubeObject) => `${object.kind}/${object.metadata.name}`;

/** Applies what depends on the overlay rather than on the stack config; returns new objects. */
function adjust(overlay: OverlayDefinition, stack: StackConfig, objects: KubeObject[], rollout: Rollout): KubeObject[] {
  const wi = overlay.secrets === 'workload-identity' ? PROVIDER_SPECS[overlay.provider].workloadIdentity : undefined;
  return objects.map((original) => {
    // biome-ignore lint/suspicious/noExplicitAny: walks untyped manifest YAML
    const object = structuredClone(original) as KubeObject & Record<string, any>;
    const name = object.metadata.name;
    // A file is not env-expanded: the hashring must carry this overlay's namespace literally.
    if (object.kind === 'ConfigMap' && name === HASHRING_CONFIGMAP) {
      return dropUndefined(hashringConfigMap(stack, overlay.namespace)) as KubeObject;
    }
    if (object.kind === 'ClusterRole') object.metadata.name = clusterScopedName(overlay, name);
    if (object.kind === 'ClusterRoleBinding') {
      object.metadata.name = clusterScopedName(overlay, name);
      object.roleRef.name = clusterScopedName(overlay, object.roleRef.name);
      // No transformer rewrites a subject's namespace: it is the overlay's, literally (as in the hashring).
      object.subjects = object.subjects.map((subject: Record<string, unknown>) => ({ ...subject, namespace: overlay.namespace }));
    }
    // Shards run under their component's ServiceAccount (thanos-store-0 as thanos-store).
    const client =
      (OBJSTORE_CLIENTS as readonly string[]).includes(name) ||
      (OBJSTORE_CLIENTS as readonly string[]).includes(object.spec?.template?.spec?.serviceAccountName);
    if (wi && client && object.kind === 'ServiceAccount') {
      object.metadata.annotations = { ...object.metadata.annotations, [wi.annotation]: overlay.identity ?? wi.placeholder };
    }
    const podSpec = object.spec?.template?.spec;
    if (wi?.podLabel && client && podSpec)
      object.spec.template.metadata.labels = { ...object.spec.template.metadata.labels, ...wi.podLabel };
    if (overlay.provider === 'filesystem' && podSpec) mountSharedBucket(podSpec);
    applyRollout(object, rollout, stack.objstoreSecret.name);
    return object;
  });
}

export const FILESYSTEM_CLAIM = 'thanos-bucket';

// biome-ignore lint/suspicious/noExplicitAny: walks untyped manifest YAML
function mountSharedBucket(podSpec: { containers: any[]; volumes?: any[] }): void {
  let mounted = false;
  for (const container of podSpec.containers) {
    if (!container.volumeMounts?.some((m: { name: string }) => m.name === 'objstore-config')) continue;
    container.volumeMounts = [...container.volumeMounts, { name: 'bucket', mountPath: FILESYSTEM_ROOT }];
    mounted = true;
  }
  if (mounted) podSpec.volumes = [...(podSpec.volumes ?? []), { name: 'bucket', persistentVolumeClaim: { claimName: FILESYSTEM_CLAIM } }];
}

function patchTarget(object: KubeObject): Record<string, string> {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  return { ...(group ? { group } : {}), version, kind: object.kind, name: object.metadata.name };
}

function imageName(image: string): string {
  const tag = imageTag(image);
  return image.slice(0, image.length - tag.length - 1);
}

/** Header of the user-owned files: says whose they are, instead of the generated marker. */
export const USER_HEADER = '# Yours: `npm run generate` created this file once and never rewrites it.\n';

/**
 * Everything overlays/<name>/ holds, in memory. The stack part is a diff: the component functions
 * run with the overlay's config, and what differs from the base becomes JSON patches; objects the
 * overlay does not have (a PodDisruptionBudget at one replica) are deleted, new ones added.
 * For one entry on its own (or within `registry`): checked here; a run checks its registry once
 * (registryModel) and plans each overlay with planModelOverlay.
 */
export function planOverlay(entry: OverlayDefinition, root: string, registry: readonly OverlayDefinition[] = [entry]): OverlayPlan {
  const entries = registry.some((o) => o.name === entry.name) ? registry : [...registry, entry];
  return planModelOverlay(registryModel(entries, root).overlay(entry.name), root);
}

/** One overlay of a registry model (checked, its fleet wiring derived), planned below `root`. */
export function planModelOverlay(model: OverlayModel, root: string): OverlayPlan {
  const { overlay, stack, ruleFiles } = model;
  const dir = overlayDir(overlay.name);
  // The objects are built with the base's images so that `images:` in the kustomization is the only
  // place an image changes (the overlay's own are checked with its stack).
  const patchStack: StackConfig = { ...stack, thanosImage: DEFAULT_STACK.thanosImage, prometheusImage: DEFAULT_STACK.prometheusImage };
  // node-exporter binds its port on every node: another overlay of the cluster may run it for both
  // (this one still scrapes it, through its namespace).
  const exporterHost = model.nodeExporterHost;
  const bundles = buildComponents(patchStack).filter((bundle) => bundle.folder !== NODE_EXPORTER_FOLDER || exporterHost === overlay.name);
  const base = baseBundles();
  // An agent writes no blocks: it needs no object-store credentials.
  const objstoreSecrets = roleOf(overlay) === 'agent' ? NO_SECRETS : secretsFor(overlay, stack);
  const rollout = rolloutFor(overlay, objstoreSecrets, stack.objstoreSecret.name, root, dir);
  const secrets = combineSecrets(objstoreSecrets, alertmanagerSecretsFor(overlay, stack));

  const files: GeneratedFile[] = [];
  const resources: string[] = ['namespace.yaml'];
  const stackResources: string[] = [];
  const stackPatches: Record<string, unknown>[] = [];
  const desiredAll: KubeObject[] = [];
  for (const bundle of bundles) {
    // A component the base does not run (memcached) comes whole from the overlay's stack component.
    const baseObjects = base.get(bundle.folder) ?? [];
    if (base.has(bundle.folder)) resources.push(`../../base/${bundle.folder}`);
    const desired = applyCustomizations(overlay, ruleFiles, adjust(overlay, patchStack, [...bundle.objects], rollout));
    for (const object of desired) assertValidObject(object, `${dir} (${bundle.folder})`);
    desiredAll.push(...desired);
    const byKey = new Map(baseObjects.map((object) => [keyOf(object), object]));
    for (const object of desired) {
      const from = byKey.get(keyOf(object));
      const file = `${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
      if (!from) {
        files.push(yamlFile(`${dir}/${STACK_COMPONENT}/${file}`, [object], SOURCE));
        stackResources.push(file);
        continue;
      }
      // Renames (cluster-scoped names) are patched by the original name.
      // A strategic-merge patch that names what it changes (containers by name, whole flag lists),
      // so a reviewer reads flags and a user's patch never depends on a position in a list.
      const patch = strategicPatch(from, object);
      if (!patch) continue;
      files.push(yamlFile(`${dir}/${STACK_COMPONENT}/${file}`, [patch], SOURCE));
      stackPatches.push({ path: file, target: patchTarget(from) });
    }
    const wanted = new Set(desired.map((object) => keyOf(object)));
    for (const object of baseObjects) {
      if (wanted.has(keyOf(object))) continue;
      const file = `delete-${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
      files.push(
        yamlFile(
          `${dir}/${STACK_COMPONENT}/${file}`,
          [{ apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.metadata.name }, $patch: 'delete' }],
          SOURCE,
        ),
      );
      stackPatches.push({ path: file });
    }
  }

  const overlayObjects: Array<{ path: string; objects: KubeObject[] }> = [];
  const fleet = fleetOf(overlay);
  const namespace: KubeObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    // The cluster label tells `check` which rendered overlays share a cluster (cluster-collision).
    // The fleet labels tie a fleet's overlays together the same way (check --changed-since selects
    // them all) and tell the rules across a fleet which overlay is what.
    metadata: {
      name: overlay.namespace,
      labels: {
        ...POD_SECURITY_LABELS,
        [PROFILE_LABEL]: overlay.profile,
        [CLUSTER_NAME_LABEL]: overlay.cluster,
        ...(fleet ? { [FLEET_LABEL]: fleet, [FLEET_ROLE_LABEL]: roleOf(overlay) } : {}),
      },
      // An agent writes no blocks, so it is on no bucket.
      annotations: {
        ...NAMESPACE_PRUNE_PROTECTION,
        ...(roleOf(overlay) === 'agent' ? {} : { [BUCKET_ANNOTATION]: `${overlay.provider}:${overlay.bucket}` }),
      },
    },
  };
  overlayObjects.push({ path: 'namespace.yaml', objects: [namespace] });
  if (stack.query.enabled) {
    overlayObjects.push({ path: 'grafana-datasource.yaml', objects: [grafanaDatasource(overlay.name, overlay.namespace, stack)] });
    resources.push('grafana-datasource.yaml');
  }
  const fleetMade = fleetObjects(stack);
  const fleetFiles = objectFileNames(fleetMade);
  for (const [index, object] of fleetMade.entries()) {
    const path = `fleet/${fleetFiles[index]}`;
    overlayObjects.push({ path, objects: [object] });
    resources.push(path);
  }
  if (overlay.provider === 'minio') {
    const objects = minioObjects(stack, overlay.bucket);
    const names = objectFileNames(objects);
    for (const [index, object] of objects.entries()) {
      const path = `minio/${names[index]}`;
      overlayObjects.push({ path, objects: [object] });
      resources.push(path);
    }
  }
  if (overlay.provider === 'filesystem') {
    const claim: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: FILESYSTEM_CLAIM,
        labels: { 'app.kubernetes.io/part-of': 'thanos-ha', 'app.kubernetes.io/instance': stack.instance },
      },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '10Gi' } },
        ...(storageClassFor(overlay, 'filesystem') ? { storageClassName: storageClassFor(overlay, 'filesystem') } : {}),
      },
    };
    overlayObjects.push({ path: 'filesystem/persistentvolumeclaim.yaml', objects: [claim] });
    resources.push('filesystem/persistentvolumeclaim.yaml');
  }
  for (const { path, objects } of secrets.resources) {
    overlayObjects.push({ path, objects: [...objects] });
    resources.push(path);
  }
  for (const { path, objects } of overlayObjects) {
    for (const object of objects) assertValidObject(object, `${dir}/${path}`);
    files.push(yamlFile(`${dir}/${path}`, objects, SOURCE));
    desiredAll.push(...objects);
  }
  for (const file of secrets.files) files.push(generatedFile(`${dir}/${file.path}`, file.content, SOURCE));

  files.push(
    yamlFile(
      `${dir}/${STACK_COMPONENT}/kustomization.yaml`,
      [
        {
          apiVersion: 'kustomize.config.k8s.io/v1alpha1',
          kind: 'Component',
          ...(stackResources.length > 0 ? { resources: stackResources.sort() } : {}),
          ...(stackPatches.length > 0 ? { patches: stackPatches } : {}),
        },
      ],
      SOURCE,
    ),
  );
  files.push(
    yamlFile(
      `${dir}/kustomization.yaml`,
      [
        kustomization({
          ...namespaceFor(overlay.namespace),
          resources,
          // Generated first, the user's last: a user patch always wins over a generated one.
          components: [STACK_COMPONENT, USER_COMPONENT],
          labels: [{ pairs: { [OVERLAY_LABEL]: overlay.name }, includeSelectors: false }],
          images: [stack.thanosImage, stack.prometheusImage].map((image) => ({ name: imageName(image), newTag: imageTag(image) })),
          // kustomize's namespace does not rewrite a ClusterRoleBinding subject; take it from the ServiceAccount it moved.
        }),
      ],
      SOURCE,
    ),
  );

  const userFiles: GeneratedFile[] = [];
  const userKustomization = `${dir}/${USER_COMPONENT}/kustomization.yaml`;
  const userResources = secrets.userResources.map((file) => file.path.replace(`${USER_COMPONENT}/`, ''));
  if (!existsSync(join(root, userKustomization))) {
    userFiles.push({
      path: userKustomization,
      content:
        USER_HEADER +
        '# Your changes to this overlay: add patch files beside this one and list them under `patches`,\n' +
        '# extra objects under `resources`. Applied after the generated patches, so yours win.\n' +
        stringify({ apiVersion: 'kustomize.config.k8s.io/v1alpha1', kind: 'Component', resources: userResources, patches: [] }),
    });
  }
  for (const file of secrets.userResources) {
    if (!existsSync(join(root, dir, file.path))) userFiles.push({ path: `${dir}/${file.path}`, content: file.content });
  }
  return {
    overlay,
    stack,
    files,
    userFiles,
    objects: desiredAll,
    nextSteps: [
      ...PROVIDER_SPECS[overlay.provider].nextSteps,
      ...secrets.nextSteps,
      ...rolloutSteps(rollout, overlay),
      ...(exporterHost && exporterHost !== overlay.name
        ? [
            `node-exporter on cluster '${overlay.cluster}' comes from overlay '${exporterHost}' (one per cluster); this overlay's Prometheus scrapes it.`,
          ]
        : []),
    ],
  };
}

const NO_SECRETS: SecretsOutput = { resources: [], files: [], userResources: [], nextSteps: [] };

/** The object-store and the Alertmanager Secrets travel the same way; their outputs add up. */
function combineSecrets(...outputs: SecretsOutput[]): SecretsOutput {
  return {
    resources: outputs.flatMap((o) => o.resources),
    files: outputs.flatMap((o) => o.files),
    userResources: outputs.flatMap((o) => o.userResources),
    nextSteps: outputs.flatMap((o) => o.nextSteps),
  };
}

const NODE_EXPORTER_FOLDER = 'node-exporter';

/** Every overlay of the registry: generated files, plus user files still to create. */
export function planOverlays(
  registry: readonly OverlayDefinition[] | RegistryModel,
  root: string,
): { files: GeneratedFile[]; plans: OverlayPlan[] } {
  const model = 'overlay' in registry ? registry : registryModel(registry, root);
  const plans = model.entries.map((entry) => planModelOverlay(model.overlay(entry.name), root));
  return { plans, files: plans.flatMap((plan) => [...plan.files, ...plan.userFiles]) };
}
