/**
 * Small builders for policy test fixtures, so a table case shows only what it is about.
 * They return YAML text, the form the check reads.
 */
import { stringify } from 'yaml';

export interface ContainerSpec {
  name?: string;
  image?: string;
  args?: string[];
  command?: string[];
  env?: unknown[];
  volumeMounts?: unknown[];
  ports?: unknown[];
  [key: string]: unknown;
}

export const goodContainer = (over: ContainerSpec = {}): ContainerSpec => ({
  name: 'app',
  image: 'quay.io/thanos/thanos:v0.42.4',
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  livenessProbe: { httpGet: { path: '/-/healthy', port: 'http' } },
  readinessProbe: { httpGet: { path: '/-/ready', port: 'http' } },
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, readOnlyRootFilesystem: true },
  ports: [
    { name: 'http', containerPort: 10902 },
    { name: 'grpc', containerPort: 10901 },
  ],
  ...over,
});

export const POD_ENV = [
  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
];

export interface WorkloadSpec {
  kind?: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Pod' | 'Job';
  name: string;
  namespace?: string | null;
  replicas?: number;
  labels?: Record<string, string>;
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  volumes?: unknown[];
  podSpec?: Record<string, unknown>;
  spec?: Record<string, unknown>;
  annotations?: Record<string, string>;
  claims?: string[];
  serviceName?: string;
}

export function workload(w: WorkloadSpec): Record<string, unknown> {
  const labels = w.labels ?? { app: w.name };
  const podSpec = {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: w.containers,
    ...(w.initContainers ? { initContainers: w.initContainers } : {}),
    ...(w.volumes ? { volumes: w.volumes } : {}),
    ...w.podSpec,
  };
  const kind = w.kind ?? 'Deployment';
  const metadata = {
    name: w.name,
    ...(w.namespace === null ? {} : { namespace: w.namespace ?? 'monitoring' }),
    ...(w.annotations ? { annotations: w.annotations } : {}),
  };
  if (kind === 'Pod') return { apiVersion: 'v1', kind, metadata: { ...metadata, labels }, spec: podSpec };
  const spec: Record<string, unknown> = {
    ...(kind === 'DaemonSet' || kind === 'Job' ? {} : { replicas: w.replicas ?? 1 }),
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: podSpec },
    ...(kind === 'StatefulSet' ? { serviceName: w.serviceName ?? w.name } : {}),
    ...(w.claims
      ? {
          volumeClaimTemplates: w.claims.map((name) => ({
            metadata: { name },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
          })),
        }
      : {}),
    ...w.spec,
  };
  if (kind === 'Job') delete (spec as Record<string, unknown>).selector;
  return { apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1', kind, metadata, spec };
}

export function yamlOf(...objects: unknown[]): string {
  return objects.map((o) => (typeof o === 'string' ? o : stringify(o, { lineWidth: 0 }))).join('---\n');
}

/**
 * A Prometheus StatefulSet reading `config` from a ConfigMap mounted at /etc/prometheus
 * (`--config.file=/etc/prometheus/prometheus.yaml`), and that ConfigMap.
 */
export function prometheusWithConfig(
  name: string,
  config: string,
  opts: { image?: string; args?: string[]; env?: ContainerSpec['env'] } = {},
): Record<string, unknown>[] {
  return [
    workload({
      kind: 'StatefulSet',
      name,
      volumes: [{ name: 'config', configMap: { name: `${name}-config` } }],
      containers: [
        goodContainer({
          name: 'prometheus',
          image: opts.image ?? 'quay.io/prometheus/prometheus:v3.13.2',
          ...(opts.env ? { env: opts.env } : {}),
          args: ['--config.file=/etc/prometheus/prometheus.yaml', ...(opts.args ?? [])],
          volumeMounts: [{ name: 'config', mountPath: '/etc/prometheus' }],
        }),
      ],
    }),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-config`, namespace: 'monitoring' },
      data: { 'prometheus.yaml': config },
    },
  ];
}
