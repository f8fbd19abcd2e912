import { asArray, asRecord, asString } from '../lib/model.js';
import type { InputObject, KObject } from '../lib/types.js';

/**
 * prometheus-operator resources as what the operator makes of them: a `Prometheus` becomes the
 * StatefulSet `prometheus-<name>` (Prometheus plus, with `spec.thanos`, a Thanos sidecar) and the
 * headless Service `prometheus-operated`; a `ThanosRuler` becomes `thanos-ruler-<name>` and
 * `thanos-ruler-operated`; an `Alertmanager` becomes `alertmanager-<name>` and `alertmanager-operated`
 * (what a ruler's Alertmanager address names). The Thanos rules then read them like any other producer, so no rule
 * special-cases the operator. Findings on these objects are reported on the resource itself.
 *
 * Modelled on prometheus-operator v0.7x-v0.8x (pkg/prometheus/statefulset.go, pkg/thanos): the
 * default external labels `prometheus: <ns>/<name>` and `prometheus_replica: <pod>`, the ruler's
 * `--label=thanos_ruler_replica="$(POD_NAME)"` with its `--alert.label-drop`, block durations of 2h
 * when the sidecar uploads, the TSDB on spec.storage's claim (else an emptyDir). A resource without
 * a version runs the operator's default image, unknown here: its flags are checked against the pin.
 */

const POD_NAME_ENV = { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } };
const CONFIG_DIR = '/etc/prometheus/config_out';

function derived(from: InputObject, object: KObject, position: number): InputObject {
  return { object, read: from.read, origin: from.origin, overlay: from.overlay, position, derivedFrom: from };
}

function meta(name: string, namespace: string | undefined): KObject['metadata'] {
  return namespace === undefined ? { name } : { name, namespace };
}

function secretEnv(name: string, ref: unknown): Record<string, unknown>[] {
  const r = asRecord(ref);
  const secret = asString(r?.name);
  const key = asString(r?.key);
  return secret && key ? [{ name, valueFrom: { secretKeyRef: { name: secret, key } } }] : [];
}

/** The Thanos image a resource runs: its version or tag, else untagged (the operator's default, unknown here). */
function thanosImage(spec: Record<string, unknown> | undefined): string {
  const image = asString(spec?.image);
  if (image) return image;
  const v = asString(spec?.version) ?? asString(spec?.tag);
  return v ? `quay.io/thanos/thanos:${v.startsWith('v') ? v : `v${v}`}` : 'quay.io/thanos/thanos';
}

function quoted(value: string): string {
  return JSON.stringify(value);
}

function headless(
  name: string,
  namespace: string | undefined,
  selector: Record<string, string>,
  ports: { name: string; port: number }[],
): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name, namespace),
    spec: { clusterIP: 'None', selector, ports: ports.map((p) => ({ ...p, targetPort: p.name })) },
  };
}

/**
 * The operator's StatefulSet: selected by its own labels; the pods also carry `spec.podMetadata.labels`
 * of the resource (what a user's own Service selects, as kube-prometheus' prometheus-k8s does).
 */
function statefulSet(
  name: string,
  namespace: string | undefined,
  replicas: number,
  labels: Record<string, string>,
  service: string,
  podSpec: Record<string, unknown>,
  resource?: Record<string, unknown>,
): KObject {
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(asRecord(resource?.podMetadata)?.labels) ?? {})) extra[k] = String(v);
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta(name, namespace),
    spec: {
      replicas,
      serviceName: service,
      selector: { matchLabels: labels },
      template: { metadata: { labels: { ...extra, ...labels } }, spec: podSpec },
    },
  };
}

/** The config-reloader sidecar the operator adds to Prometheus and Alertmanager pods (port reloader-web). */
const CONFIG_RELOADER = {
  name: 'config-reloader',
  image: 'quay.io/prometheus-operator/prometheus-config-reloader',
  ports: [{ name: 'reloader-web', containerPort: 8080 }],
};

function fromPrometheus(input: InputObject, next: () => number): InputObject[] {
  const o = input.object;
  const spec = asRecord(o.spec) ?? {};
  const ns = o.metadata.namespace;
  const name = o.metadata.name;
  const thanos = asRecord(spec.thanos);
  const labels = {
    'app.kubernetes.io/name': 'prometheus',
    'app.kubernetes.io/instance': name,
    'operator.prometheus.io/name': name,
    prometheus: name,
  };
  const externalLabels: Record<string, string> = {};
  const prometheusLabel = spec.prometheusExternalLabelName === undefined ? 'prometheus' : asString(spec.prometheusExternalLabelName);
  const replicaLabel = spec.replicaExternalLabelName === undefined ? 'prometheus_replica' : asString(spec.replicaExternalLabelName);
  if (prometheusLabel) externalLabels[prometheusLabel] = `${ns ?? 'default'}/${name}`;
  if (replicaLabel) externalLabels[replicaLabel] = '$(POD_NAME)';
  for (const [k, v] of Object.entries(asRecord(spec.externalLabels) ?? {})) externalLabels[k] = String(v);
  const configName = `prometheus-${name}-operated-config`;
  const uploads = !!thanos && (thanos.objectStorageConfig !== undefined || thanos.objectStorageConfigFile !== undefined);
  const promVersion = asString(spec.version) ?? 'v3.0.0';
  const prometheus = {
    name: 'prometheus',
    image: asString(spec.image) ?? `quay.io/prometheus/prometheus:${promVersion.startsWith('v') ? promVersion : `v${promVersion}`}`,
    args: [
      `--config.file=${CONFIG_DIR}/prometheus.env.yaml`,
      '--storage.tsdb.path=/prometheus',
      '--web.listen-address=:9090',
      `--storage.tsdb.retention.time=${asString(spec.retention) ?? '24h'}`,
      ...(uploads ? ['--storage.tsdb.max-block-duration=2h', '--storage.tsdb.min-block-duration=2h'] : []),
    ],
    env: [POD_NAME_ENV],
    ports: [{ name: 'web', containerPort: 9090 }],
    volumeMounts: [{ name: 'config-out', mountPath: CONFIG_DIR }],
  };
  const containers: Record<string, unknown>[] = [prometheus];
  if (thanos) {
    const objstoreFile = asString(thanos.objectStorageConfigFile);
    containers.push({
      name: 'thanos-sidecar',
      image: thanosImage(thanos),
      args: [
        'sidecar',
        '--prometheus.url=http://localhost:9090/',
        `--grpc-address=${thanos.grpcListenLocal === true ? '127.0.0.1' : ''}:10901`,
        '--http-address=:10902',
        '--tsdb.path=/prometheus',
        ...(thanos.objectStorageConfig !== undefined ? ['--objstore.config=$(OBJSTORE_CONFIG)'] : []),
        ...(objstoreFile ? [`--objstore.config-file=${objstoreFile}`] : []),
        ...asArray(thanos.additionalArgs).map((a) => {
          const arg = asRecord(a);
          return `--${asString(arg?.name) ?? ''}${arg?.value !== undefined ? `=${String(arg.value)}` : ''}`;
        }),
      ],
      env: [POD_NAME_ENV, ...secretEnv('OBJSTORE_CONFIG', thanos.objectStorageConfig)],
      ports: [
        { name: 'grpc', containerPort: 10901 },
        { name: 'http', containerPort: 10902 },
      ],
    });
  }
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const config: KObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(configName, ns),
    data: {
      'prometheus.env.yaml': `global:\n  external_labels:\n${
        Object.entries(externalLabels)
          .map(([k, v]) => `    ${quoted(k)}: ${quoted(v)}`)
          .join('\n') || '    {}'
      }\n`,
    },
  };
  const storage = asRecord(spec.storage);
  const db = `prometheus-${name}-db`;
  const claim = asRecord(storage?.volumeClaimTemplate);
  for (const c of containers) {
    c.volumeMounts ??= [];
    (c.volumeMounts as unknown[]).push({ name: db, mountPath: '/prometheus' });
  }
  containers.push({ ...CONFIG_RELOADER });
  const podSpec = {
    containers,
    volumes: [
      { name: 'config-out', configMap: { name: configName } },
      ...(claim ? [] : [{ name: db, emptyDir: asRecord(storage?.emptyDir) ?? {} }]),
    ],
  };
  const set = statefulSet(`prometheus-${name}`, ns, replicas, labels, 'prometheus-operated', podSpec, spec);
  if (claim) (set.spec as Record<string, unknown>).volumeClaimTemplates = [{ ...claim, metadata: { name: db } }];
  return [derived(input, set, next()), derived(input, config, next())];
}

function fromThanosRuler(input: InputObject, next: () => number): InputObject[] {
  const o = input.object;
  const spec = asRecord(o.spec) ?? {};
  const ns = o.metadata.namespace;
  const name = o.metadata.name;
  const labels = { 'app.kubernetes.io/name': 'thanos-ruler', 'app.kubernetes.io/instance': name, 'thanos-ruler': name };
  const args = [
    'rule',
    '--data-dir=/thanos/data',
    '--grpc-address=:10901',
    '--http-address=:10902',
    '--label=thanos_ruler_replica="$(POD_NAME)"',
    '--alert.label-drop=thanos_ruler_replica',
    ...Object.entries(asRecord(spec.labels) ?? {}).map(([k, v]) => `--label=${k}=${quoted(String(v))}`),
    ...asArray(spec.alertDropLabels).map((l) => `--alert.label-drop=${String(l)}`),
    ...asArray(spec.queryEndpoints).map((q) => `--query=${String(q)}`),
    ...asArray(spec.alertmanagersUrl).map((u) => `--alertmanagers.url=${String(u)}`),
    ...(spec.objectStorageConfig !== undefined ? ['--objstore.config=$(OBJSTORE_CONFIG)'] : []),
    ...(asString(spec.retention) ? [`--tsdb.retention=${asString(spec.retention)}`] : []),
    ...(asString(spec.evaluationInterval) ? [`--eval-interval=${asString(spec.evaluationInterval)}`] : []),
  ];
  const container = {
    name: 'thanos-ruler',
    image: thanosImage(spec),
    args,
    env: [POD_NAME_ENV, ...secretEnv('OBJSTORE_CONFIG', spec.objectStorageConfig)],
    ports: [
      { name: 'grpc', containerPort: 10901 },
      { name: 'web', containerPort: 10902 },
    ],
  };
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  return [
    derived(
      input,
      statefulSet(`thanos-ruler-${name}`, ns, replicas, labels, 'thanos-ruler-operated', { containers: [container] }, spec),
      next(),
    ),
  ];
}

/** An `Alertmanager` becomes `alertmanager-<name>` behind the headless `alertmanager-operated` (web 9093, mesh 9094). */
function fromAlertmanager(input: InputObject, next: () => number): InputObject[] {
  const o = input.object;
  const spec = asRecord(o.spec) ?? {};
  const name = o.metadata.name;
  const labels = { 'app.kubernetes.io/name': 'alertmanager', 'app.kubernetes.io/instance': name, alertmanager: name };
  const version = asString(spec.version);
  const container = {
    name: 'alertmanager',
    image:
      asString(spec.image) ?? `quay.io/prometheus/alertmanager${version ? `:${version.startsWith('v') ? version : `v${version}`}` : ''}`,
    ports: [
      { name: 'web', containerPort: 9093 },
      { name: 'mesh-tcp', containerPort: 9094 },
    ],
  };
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  return [
    derived(
      input,
      statefulSet(
        `alertmanager-${name}`,
        o.metadata.namespace,
        replicas,
        labels,
        'alertmanager-operated',
        { containers: [container, { ...CONFIG_RELOADER }] },
        spec,
      ),
      next(),
    ),
  ];
}

/**
 * The objects the operator would create for the `Prometheus` and `ThanosRuler` resources of one
 * set, plus one `prometheus-operated` / `thanos-ruler-operated` Service per namespace (unless the
 * input already has one).
 */
export function expandOperatorResources(inputs: readonly InputObject[]): InputObject[] {
  let position = inputs.reduce((n, i) => Math.max(n, i.position), 0) + 1;
  const next = () => position++;
  const out: InputObject[] = [];
  const services = new Map<string, InputObject>();
  // The operated Services the input already has (one pass, not one scan per resource).
  const given = new Set(
    inputs
      .filter((i) => i.object.kind === 'Service' && i.object.metadata.name.endsWith('-operated'))
      .map((i) => `${i.object.metadata.name}|${i.object.metadata.namespace ?? ''}`),
  );
  const has = (name: string, ns: string | undefined) => given.has(`${name}|${ns ?? ''}`);
  for (const input of inputs) {
    if (!input.object.apiVersion.startsWith('monitoring.coreos.com/')) continue;
    const ns = input.object.metadata.namespace;
    if (input.object.kind === 'Prometheus') {
      out.push(...fromPrometheus(input, next));
      const thanos = asRecord(asRecord(input.object.spec)?.thanos);
      const key = `prometheus-operated|${ns ?? ''}`;
      if (!services.has(key) && !has('prometheus-operated', ns)) {
        const ports = [{ name: 'web', port: 9090 }, ...(thanos ? [{ name: 'grpc', port: 10901 }] : [])];
        services.set(key, derived(input, headless('prometheus-operated', ns, { 'app.kubernetes.io/name': 'prometheus' }, ports), next()));
      }
    } else if (input.object.kind === 'Alertmanager') {
      out.push(...fromAlertmanager(input, next));
      const key = `alertmanager-operated|${ns ?? ''}`;
      if (!services.has(key) && !has('alertmanager-operated', ns)) {
        services.set(
          key,
          derived(
            input,
            headless('alertmanager-operated', ns, { 'app.kubernetes.io/name': 'alertmanager' }, [
              { name: 'web', port: 9093 },
              { name: 'mesh-tcp', port: 9094 },
            ]),
            next(),
          ),
        );
      }
    } else if (input.object.kind === 'ThanosRuler') {
      out.push(...fromThanosRuler(input, next));
      const key = `thanos-ruler-operated|${ns ?? ''}`;
      if (!services.has(key) && !has('thanos-ruler-operated', ns)) {
        services.set(
          key,
          derived(
            input,
            headless('thanos-ruler-operated', ns, { 'app.kubernetes.io/name': 'thanos-ruler' }, [
              { name: 'web', port: 10902 },
              { name: 'grpc', port: 10901 },
            ]),
            next(),
          ),
        );
      }
    }
  }
  return [...out, ...services.values()];
}
