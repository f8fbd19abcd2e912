/**
 * Changes between two versions of one object that the API server refuses to apply (or, for a
 * headless Service, silently keeps the old value of), each with the manual migration that carries it
 * out. Pure: `diff` and the immutable-field rule of `check --changed-since` both call it with the
 * object at the base ref and the object now.
 */

import { parseQuantity } from '../../core/units/quantity.js';

// biome-ignore lint/suspicious/noExplicitAny: walks untyped manifest YAML
type Obj = Record<string, any>;

export interface ImmutableChange {
  /** The field, e.g. "spec.volumeClaimTemplates[data].storage". */
  readonly field: string;
  readonly before: string;
  readonly after: string;
  /** What the API server does with the change. */
  readonly refusal: string;
  /** The manual migration, one command or action per step. */
  readonly steps: readonly string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const show = (value: unknown) => (value === undefined ? '(unset)' : typeof value === 'string' ? value : JSON.stringify(value));

/** StatefulSet spec fields the API server lets an update change (apps/v1 ValidateStatefulSetUpdate). */
const STATEFULSET_MUTABLE = new Set([
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
]);

const STATEFULSET_REFUSAL =
  "the API server refuses the update (spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden), so every sync fails until the StatefulSet is recreated";

/** What a new, empty volume costs each component of the stack, by the StatefulSet's name. */
function whatIsLost(statefulSet: string): string {
  if (/^prometheus/.test(statefulSet))
    return 'Prometheus: the blocks the sidecar has not uploaded yet (up to the last 2h block and the WAL) and the local retention; the other replica still has them, so replace one replica at a time and wait until it is Ready and its sidecar uploads';
  if (/receive/.test(statefulSet))
    return 'Receive: the WAL and head not uploaded yet; with a replication factor above 1 the peers hold copies, so replace one replica at a time and wait until it is Ready';
  if (/store/.test(statefulSet))
    return 'Store Gateway: nothing but its cache (index headers); it rebuilds them from the bucket at start, which takes a while for a large bucket';
  if (/compact/.test(statefulSet)) return 'Compact: scratch space only; it downloads what it works on again';
  if (/rule/.test(statefulSet))
    return 'Ruler: rule results not uploaded yet (its last block); the other replica evaluates the same rules, so replace one at a time';
  if (/alertmanager/.test(statefulSet))
    return 'Alertmanager: silences and the notification log, which the peers gossip back to a new replica; replace one at a time';
  return 'the data on the volume';
}

interface ClaimTemplate {
  readonly name: string;
  readonly storage?: unknown;
  readonly storageClassName?: unknown;
  readonly accessModes?: unknown;
  readonly rest: Obj;
}

const claimTemplates = (sts: Obj): Map<string, ClaimTemplate> =>
  new Map(
    ((sts.spec?.volumeClaimTemplates ?? []) as Obj[]).map((t) => {
      const { resources, storageClassName, accessModes, ...restSpec } = (t.spec ?? {}) as Obj;
      const { requests, ...restResources } = (resources ?? {}) as Obj;
      const { storage, ...restRequests } = (requests ?? {}) as Obj;
      return [
        String(t.metadata?.name),
        {
          name: String(t.metadata?.name),
          storage,
          storageClassName,
          accessModes,
          rest: { metadata: t.metadata, spec: restSpec, resources: restResources, requests: restRequests },
        },
      ];
    }),
  );

function statefulSetChanges(before: Obj, after: Obj): ImmutableChange[] {
  const name = String(after.metadata?.name);
  const ns = after.metadata?.namespace ? ` -n ${after.metadata.namespace}` : '';
  const replicas = Number(after.spec?.replicas ?? 1);
  const ordinals = Array.from({ length: Math.max(1, replicas) }, (_, i) => i);
  const orphan = `kubectl${ns} delete statefulset ${name} --cascade=orphan   # the pods and their claims stay; only the controller object goes`;
  const sync =
    'Sync (Argo CD) or reconcile (Flux) the overlay: the StatefulSet is created again with the new spec and adopts the running pods';
  const recreate = [orphan, sync];
  const changes: ImmutableChange[] = [];
  const [tb, ta] = [claimTemplates(before), claimTemplates(after)];
  for (const template of [...new Set([...tb.keys(), ...ta.keys()])].sort()) {
    const [b, a] = [tb.get(template), ta.get(template)];
    const field = `spec.volumeClaimTemplates[${template}]`;
    const claims = ordinals.map((i) => `${template}-${name}-${i}`);
    if (!b || !a) {
      changes.push({
        field,
        before: b ? 'present' : '(none)',
        after: a ? 'present' : '(none)',
        refusal: STATEFULSET_REFUSAL,
        steps: [
          ...recreate,
          `Pods created from now on get the new claims; replace each running pod (kubectl${ns} delete pod ${name}-<n>, one at a time) to move it`,
        ],
      });
      continue;
    }
    const newClaims = (why: string): string[] => [
      orphan,
      sync,
      ...ordinals.map(
        (i) =>
          `kubectl${ns} delete pvc ${template}-${name}-${i} --wait=false && kubectl${ns} delete pod ${name}-${i}   # ${name}-${i} starts on a new claim; wait until it is Ready before the next`,
      ),
      `${why} What a new, empty volume costs: ${whatIsLost(name)}. The old volumes go with their claims unless their StorageClass' reclaimPolicy is Retain.`,
    ];
    const [sb, sa] = [parseQuantity(b.storage), parseQuantity(a.storage)];
    if (!same(b.storage, a.storage)) {
      const grows = sb !== undefined && sa !== undefined && sa > sb;
      changes.push({
        field: `${field}.storage`,
        before: show(b.storage),
        after: show(a.storage),
        refusal: STATEFULSET_REFUSAL,
        steps: grows
          ? [
              `Check that the claims' StorageClass allows expansion: kubectl get storageclass ${a.storageClassName ?? '<the default class>'} -o jsonpath='{.allowVolumeExpansion}' prints true (if not, follow the steps for a new class instead)`,
              ...claims.map(
                (claim) => `kubectl${ns} patch pvc ${claim} -p '{"spec":{"resources":{"requests":{"storage":"${String(a.storage)}"}}}}'`,
              ),
              `Wait until each claim shows the new size (kubectl${ns} get pvc ${claims.join(' ')}); most CSI drivers grow the filesystem online`,
              ...recreate,
            ]
          : newClaims('A claim never shrinks (the API server refuses a smaller request), so each replica needs a new claim.'),
      });
    }
    if (!same(b.storageClassName, a.storageClassName)) {
      changes.push({
        field: `${field}.storageClassName`,
        before: show(b.storageClassName),
        after: show(a.storageClassName),
        refusal: STATEFULSET_REFUSAL,
        steps: newClaims("A bound claim's class never changes, so each replica needs a new claim."),
      });
    }
    if (!same(b.accessModes, a.accessModes)) {
      changes.push({
        field: `${field}.accessModes`,
        before: show(b.accessModes),
        after: show(a.accessModes),
        refusal: STATEFULSET_REFUSAL,
        steps: newClaims("A bound claim's access modes never change, so each replica needs a new claim."),
      });
    }
    if (!same(b.rest, a.rest)) {
      changes.push({
        field,
        before: 'the template as it was',
        after: 'a changed template (labels, selector or other fields)',
        refusal: STATEFULSET_REFUSAL,
        steps: [...recreate, 'Existing claims keep their old fields; only claims created from now on follow the template'],
      });
    }
  }
  for (const key of [...new Set([...Object.keys(before.spec ?? {}), ...Object.keys(after.spec ?? {})])].sort()) {
    if (key === 'volumeClaimTemplates' || STATEFULSET_MUTABLE.has(key) || same(before.spec?.[key], after.spec?.[key])) continue;
    const steps =
      key === 'selector'
        ? [
            ...recreate,
            'The new selector must match the running pods for the new StatefulSet to adopt them; where it does not, the pods stay orphaned: delete them one at a time (kubectl delete pod <name>) so the new StatefulSet creates its own',
          ]
        : key === 'serviceName'
          ? [...recreate, 'Pods keep their old DNS names until they restart: replace them one at a time']
          : recreate;
    changes.push({
      field: `spec.${key}`,
      before: show(before.spec?.[key]),
      after: show(after.spec?.[key]),
      refusal: STATEFULSET_REFUSAL,
      steps,
    });
  }
  return changes;
}

function selectorChange(before: Obj, after: Obj, kind: string): ImmutableChange[] {
  if (same(before.spec?.selector, after.spec?.selector)) return [];
  const name = String(after.metadata?.name);
  const ns = after.metadata?.namespace ? ` -n ${after.metadata.namespace}` : '';
  return [
    {
      field: 'spec.selector',
      before: show(before.spec?.selector),
      after: show(after.spec?.selector),
      refusal: `the API server refuses the update (spec.selector: field is immutable for apps/v1 ${kind}s), so every sync fails`,
      steps: [
        `kubectl${ns} delete ${kind.toLowerCase()} ${name}   # its pods go with it; a ${kind} is stateless`,
        'Sync or reconcile the overlay: it is created again with the new selector',
      ],
    },
  ];
}

function serviceChanges(before: Obj, after: Obj): ImmutableChange[] {
  const name = String(after.metadata?.name);
  const ns = after.metadata?.namespace ? ` -n ${after.metadata.namespace}` : '';
  const [ipb, ipa] = [before.spec?.clusterIP, after.spec?.clusterIP];
  const [typeb, typea] = [before.spec?.type ?? 'ClusterIP', after.spec?.type ?? 'ClusterIP'];
  const recreate = [
    `kubectl${ns} delete service ${name}   # clients lose the address until it is back`,
    'Sync or reconcile the overlay: the Service is created again as written',
  ];
  if (typeb === 'ExternalName' || typea === 'ExternalName') return [];
  if (ipb === 'None' && ipa !== 'None' && (typea === 'NodePort' || typea === 'LoadBalancer')) {
    return [
      {
        field: 'spec.type',
        before: `${typeb} (headless, clusterIP None)`,
        after: typea,
        refusal: `the API server refuses the update: a headless Service keeps clusterIP None, which a ${typea} Service may not have`,
        steps: recreate,
      },
    ];
  }
  if (ipb === 'None' && ipa === undefined) {
    return [
      {
        field: 'spec.clusterIP',
        before: 'None',
        after: '(unset)',
        refusal:
          'the API server keeps clusterIP None on update (an unset clusterIP means "keep"), so the Service stays headless although the manifest no longer says so',
        steps: recreate,
      },
    ];
  }
  if (ipb !== undefined && ipb !== '' && ipa !== undefined && ipa !== '' && ipb !== ipa) {
    return [
      {
        field: 'spec.clusterIP',
        before: show(ipb),
        after: show(ipa),
        refusal: 'the API server refuses the update (spec.clusterIPs[0]: may not change once set)',
        steps: recreate,
      },
    ];
  }
  return [];
}

function jobChanges(before: Obj, after: Obj): ImmutableChange[] {
  if (same(before.spec?.template, after.spec?.template) && same(before.spec?.selector, after.spec?.selector)) return [];
  const name = String(after.metadata?.name);
  const ns = after.metadata?.namespace ? ` -n ${after.metadata.namespace}` : '';
  return [
    {
      field: same(before.spec?.template, after.spec?.template) ? 'spec.selector' : 'spec.template',
      before: 'the pod template as it was',
      after: 'a changed pod template',
      refusal: 'the API server refuses the update (spec.template: field is immutable for a Job), so every sync fails',
      steps: [
        `kubectl${ns} delete job ${name}   # a finished Job has nothing left to lose; a running one stops`,
        'Sync or reconcile the overlay: the Job is created again and runs with the new template (or annotate it with argocd.argoproj.io/sync-options: Replace=true, or Flux kustomize.toolkit.fluxcd.io/force: enabled, to have it replaced on each change)',
      ],
    },
  ];
}

function claimChanges(before: Obj, after: Obj): ImmutableChange[] {
  const name = String(after.metadata?.name);
  const ns = after.metadata?.namespace ? ` -n ${after.metadata.namespace}` : '';
  const [b, a] = [before.spec?.resources?.requests?.storage, after.spec?.resources?.requests?.storage];
  const [sb, sa] = [parseQuantity(b), parseQuantity(a)];
  const changes: ImmutableChange[] = [];
  const newClaim = [
    `Stop what mounts it, copy the data out if it is needed, then kubectl${ns} delete pvc ${name}`,
    'Sync or reconcile the overlay: the claim is created again as written, empty',
  ];
  if (sb !== undefined && sa !== undefined && sa < sb)
    changes.push({
      field: 'spec.resources.requests.storage',
      before: show(b),
      after: show(a),
      refusal: 'the API server refuses the update (a claim may not request less storage than before)',
      steps: newClaim,
    });
  for (const field of ['storageClassName', 'accessModes', 'volumeMode']) {
    if (before.spec?.[field] !== undefined && !same(before.spec?.[field], after.spec?.[field]))
      changes.push({
        field: `spec.${field}`,
        before: show(before.spec?.[field]),
        after: show(after.spec?.[field]),
        refusal: "the API server refuses the update (a bound claim's spec is immutable but for its storage request)",
        steps: newClaim,
      });
  }
  return changes;
}

/** The changes from `before` to `after` (two versions of one object) that the cluster will not apply as written. */
export function immutableChanges(before: Obj | undefined, after: Obj | undefined): ImmutableChange[] {
  if (!before || !after || before.kind !== after.kind) return [];
  switch (after.kind) {
    case 'StatefulSet':
      return statefulSetChanges(before, after);
    case 'Deployment':
    case 'DaemonSet':
    case 'ReplicaSet':
      return selectorChange(before, after, after.kind);
    case 'Service':
      return serviceChanges(before, after);
    case 'Job':
      return jobChanges(before, after);
    case 'PersistentVolumeClaim':
      return claimChanges(before, after);
    default:
      return [];
  }
}

/** The kinds immutableChanges looks at. */
export const IMMUTABLE_KINDS = ['StatefulSet', 'Deployment', 'DaemonSet', 'ReplicaSet', 'Service', 'Job', 'PersistentVolumeClaim'] as const;

/** "Kind namespace/name", the key diff and check use for one object. */
export function objectKeyOf(o: Obj): string {
  return `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;
}

/** One change as a paragraph: the field, what the API server does, and the numbered steps. */
export function describeImmutableChange(change: ImmutableChange): string {
  return [
    `${change.field}: ${change.before} -> ${change.after}: ${change.refusal}.`,
    ...change.steps.map((step, i) => `  ${i + 1}. ${step}`),
  ].join('\n');
}
