import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_STACK, mergeStack, type StackOverrides } from '../generator/model/stack.js';
import {
  compact,
  hashringEndpoints,
  prometheus,
  prometheusConfigTemplate,
  query,
  queryFrontend,
  receive,
  ruler,
  store,
} from '../generator/components/index.js';
import { buildStack } from '../generator/build-stack.js';
import { ConfigError } from '../core/errors.js';
import { parseDuration } from '../core/units/duration.js';
import { THANOS_IMAGE } from '../settings/versions.js';
import { prometheusMonitoring, rulerMonitoring } from '../generator/monitoring/component-inputs.js';

const stack = DEFAULT_STACK;
const args = (
  workload: { spec?: { template?: { spec?: { containers?: Array<{ name: string; args?: string[] }> } } } },
  container: string,
) => workload.spec!.template!.spec!.containers!.find((c) => c.name === container)!.args!;
const flag = (list: string[], name: string) => list.filter((a) => a.startsWith(`${name}=`)).map((a) => a.slice(name.length + 1));

describe('prometheus', () => {
  const objects = prometheus(stack, prometheusMonitoring(stack));
  const prom = args(objects.statefulSet, 'prometheus');
  it('runs 2 equal replicas started in parallel and spread over nodes', () => {
    expect(objects.statefulSet.spec!.replicas).toBe(2);
    expect(objects.statefulSet.spec!.podManagementPolicy).toBe('Parallel');
    const required = objects.statefulSet.spec!.template.spec!.affinity!.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution!;
    expect(required[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(required[0].labelSelector!.matchLabels).toEqual(objects.statefulSet.spec!.selector.matchLabels);
    expect(objects.statefulSet.spec!.volumeClaimTemplates![0].spec!.resources!.requests!.storage).toBe('50Gi');
  });
  it('turns local compaction off (min = max = 2h) and keeps at least 3 blocks', () => {
    expect(flag(prom, '--storage.tsdb.min-block-duration')).toEqual(['2h']);
    expect(flag(prom, '--storage.tsdb.max-block-duration')).toEqual(['2h']);
    // The pinned v3.13 reads retention from the config file (test/prometheus-retention.test.ts).
    const config = prometheusConfigTemplate(stack, prometheusMonitoring(stack)) as { storage: { tsdb: { retention: { time: string } } } };
    const retention = parseDuration(config.storage.tsdb.retention.time)!;
    expect(retention).toBeGreaterThanOrEqual(6 * 3_600_000);
  });
  it('sets the cluster and per-pod replica external labels', () => {
    const config = prometheusConfigTemplate(stack, prometheusMonitoring(stack)) as { global: { external_labels: Record<string, string> } };
    expect(config.global.external_labels).toEqual({ cluster: 'main', prometheus_replica: '$(POD_NAME)' });
    const fromConfigMap = parse(objects.configMap.data!['prometheus.yaml.tmpl']);
    expect(fromConfigMap.global.external_labels.prometheus_replica).toBe('$(POD_NAME)');
  });
  it('has the sidecar substitute the pod name and upload from the same TSDB', () => {
    const sidecar = args(objects.statefulSet, 'thanos-sidecar');
    expect(sidecar[0]).toBe('sidecar');
    expect(flag(sidecar, '--reloader.config-envsubst-file')).toEqual(['/etc/prometheus/config_out/prometheus.yaml']);
    expect(flag(sidecar, '--tsdb.path')).toEqual(flag(prom, '--storage.tsdb.path'));
    expect(flag(sidecar, '--objstore.config-file')).toEqual(['/etc/thanos/objstore/objstore.yml']);
  });
  it('has a headless Service with web and grpc ports and read-only discovery RBAC', () => {
    expect(objects.service.spec!.clusterIP).toBe('None');
    expect(objects.service.spec!.ports!.map((p) => p.name)).toEqual(expect.arrayContaining(['web', 'grpc']));
    expect(objects.clusterRole.apiVersion).toBe('rbac.authorization.k8s.io/v1');
    const verbs = objects.clusterRole.rules!.flatMap((r) => r.verbs);
    expect(new Set(verbs)).toEqual(new Set(['get', 'list', 'watch']));
    expect(objects.clusterRole.rules!.flatMap((r) => r.resources ?? [])).not.toContain('secrets');
  });
});

describe('query', () => {
  const objects = query(stack);
  const q = args(objects.deployment, 'thanos-query');
  it('deduplicates on every replica label the producers set', () => {
    expect(flag(q, '--query.replica-label')).toEqual(['prometheus_replica', 'rule_replica', 'receive_replica']);
  });
  it('discovers every StoreAPI through dnssrv+ on headless Services, without the removed --store', () => {
    const config = parse(flag(q, '--endpoint.sd-config')[0]);
    expect(config.endpoints.map((e: { address: string }) => e.address)).toEqual([
      'dnssrv+_grpc._tcp.prometheus.$(NAMESPACE).svc.cluster.local',
      'dnssrv+_grpc._tcp.thanos-store.$(NAMESPACE).svc.cluster.local',
      'dnssrv+_grpc._tcp.thanos-rule.$(NAMESPACE).svc.cluster.local',
      'dnssrv+_grpc._tcp.thanos-receive.$(NAMESPACE).svc.cluster.local',
    ]);
    expect(q.some((a) => a.startsWith('--store=') || a.startsWith('--endpoint='))).toBe(false);
  });
  it('runs at least 2 replicas with preferred anti-affinity and an HTTP Service', () => {
    expect(objects.deployment.spec!.replicas).toBeGreaterThanOrEqual(2);
    expect(objects.deployment.spec!.template.spec!.affinity!.podAntiAffinity!.preferredDuringSchedulingIgnoredDuringExecution).toHaveLength(
      1,
    );
    expect(objects.service.spec!.ports!.find((p) => p.name === 'http')!.port).toBe(9090);
    expect(objects.podDisruptionBudget).toBeDefined();
  });
  it('drops discovery and replica labels of components that are turned off', () => {
    const lean = query(mergeStack(stack, { receive: { enabled: false }, ruler: { enabled: false } }));
    const leanArgs = args(lean.deployment, 'thanos-query');
    expect(flag(leanArgs, '--query.replica-label')).toEqual(['prometheus_replica']);
    expect(flag(leanArgs, '--endpoint.sd-config')[0]).not.toContain('thanos-receive');
  });
});

describe('query frontend', () => {
  const f = args(queryFrontend(stack).deployment, 'thanos-query-frontend');
  it('splits ranges and caches responses in memory in front of Query', () => {
    expect(flag(f, '--query-frontend.downstream-url')).toEqual(['http://thanos-query.$(NAMESPACE).svc.cluster.local:9090']);
    expect(flag(f, '--query-range.split-interval')).toEqual(['24h']);
    expect(parse(flag(f, '--query-range.response-cache-config')[0]).type).toBe('IN-MEMORY');
  });
  it('keeps up to 100 idle connections to Query, the one downstream host (Thanos docs/components/query-frontend.md:170 at v0.42.4)', () => {
    const tripper = parse(flag(f, '--query-frontend.downstream-tripper-config')[0]);
    expect(tripper.max_idle_conns_per_host).toBeGreaterThanOrEqual(100);
  });
});

describe('store and compact', () => {
  const s = store(stack);
  const c = compact(stack);
  const compactArgs = args(c.statefulSets[0], 'thanos-compact');
  it('store has a persistent volume and a headless Service with a grpc port', () => {
    expect(s.statefulSets).toHaveLength(1);
    expect(s.statefulSets[0].spec!.volumeClaimTemplates).toHaveLength(1);
    expect(s.service.spec!.clusterIP).toBe('None');
    expect(s.service.spec!.ports!.map((p) => p.name)).toContain('grpc');
  });
  it('compact is a single replica with --wait, downsampling on and ordered retention', () => {
    expect(c.statefulSets).toHaveLength(1);
    expect(c.statefulSets[0].spec!.replicas).toBe(1);
    expect(compactArgs).toContain('--wait');
    expect(compactArgs).not.toContain('--downsampling.disable');
    expect(flag(compactArgs, '--retention.resolution-raw')).toEqual(['30d']);
    expect(flag(compactArgs, '--retention.resolution-5m')).toEqual(['90d']);
    expect(flag(compactArgs, '--retention.resolution-1h')).toEqual(['1y']);
    expect(c.statefulSets[0].spec!.volumeClaimTemplates).toHaveLength(1);
  });
  it('store ignores deletion marks for about half of compact --delete-delay', () => {
    const ignore = parseDuration(flag(args(s.statefulSets[0], 'thanos-store'), '--ignore-deletion-marks-delay')[0])!;
    const deleteDelay = parseDuration(flag(compactArgs, '--delete-delay')[0])!;
    expect(ignore).toBe(deleteDelay / 2);
  });
});

describe('receive', () => {
  const r = receive(stack);
  const a = args(r.statefulSets[0], 'thanos-receive');
  it('runs 3 replicas with replication factor 2 and a per-pod replica label', () => {
    expect(r.statefulSets[0].spec!.replicas).toBe(3);
    expect(flag(a, '--receive.replication-factor')).toEqual(['2']);
    // The cluster label beside the replica label, from the one value Prometheus carries.
    expect(flag(a, '--label')).toEqual(['cluster="main"', 'receive_replica="$(POD_NAME)"']);
  });
  it('derives hashring entries from the StatefulSet name, Service and namespace', () => {
    const hashring = JSON.parse(r.hashring.data!['hashrings.json']);
    const expected = [0, 1, 2].map(
      (i) => `${r.statefulSets[0].metadata!.name}-${i}.${r.statefulSets[0].spec!.serviceName}.monitoring.svc.cluster.local:10901`,
    );
    expect(hashring[0].endpoints).toEqual(expected);
    expect(hashringEndpoints(stack, 'obs-prod')[0]).toBe('thanos-receive-0.thanos-receive.obs-prod.svc.cluster.local:10901');
    // The local endpoint is the same form, filled in per pod.
    const local = flag(a, '--receive.local-endpoint')[0];
    expect(local.replace('$(POD_NAME)', 'thanos-receive-0').replace('$(NAMESPACE)', 'monitoring')).toBe(expected[0]);
  });
  it('has a headless Service with grpc, http and remote-write ports', () => {
    expect(r.service.spec!.clusterIP).toBe('None');
    expect(r.service.spec!.ports!.map((p) => p.name)).toEqual(['grpc', 'http', 'remote-write']);
  });
});

describe('ruler', () => {
  const r = ruler(stack, rulerMonitoring(stack));
  const a = args(r.statefulSet, 'thanos-rule');
  it('labels each replica and drops the label from alerts', () => {
    expect(r.statefulSet.spec!.replicas).toBe(2);
    expect(flag(a, '--label')).toEqual(['cluster="main"', 'rule_replica="$(POD_NAME)"']);
    expect(flag(a, '--alert.label-drop')).toEqual(['rule_replica']);
  });
  it('queries through Query and alerts through Alertmanager', () => {
    expect(flag(a, '--query')).toEqual(['dnssrv+_http._tcp.thanos-query.$(NAMESPACE).svc.cluster.local']);
    // Every ready Alertmanager replica through the SRV record of the ready-only headless Service, API v2
    // (the --alertmanagers.url flag implies v1).
    expect(flag(a, '--alertmanagers.url')).toEqual([]);
    expect(flag(a, '--alertmanagers.config').map((v) => JSON.parse(v))).toEqual([
      {
        alertmanagers: [
          { api_version: 'v2', scheme: 'http', static_configs: ['dnssrv+_web._tcp.alertmanager-ready.$(NAMESPACE).svc.cluster.local'] },
        ],
      },
    ]);
    expect(r.service.spec!.clusterIP).toBe('None');
  });
});

describe('every workload', () => {
  const objects = buildStack(stack).flatMap((bundle) => bundle.objects);
  const workloads = objects.filter((o) => o.kind === 'StatefulSet' || o.kind === 'Deployment') as Array<Record<string, any>>;
  it.each(workloads.map((w) => [w.metadata.name, w]))('%s is restricted, sized, probed, pinned and labelled', (_name, w) => {
    const pod = w.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(c.resources.requests.cpu).toBeTruthy();
      expect(c.resources.requests.memory).toBeTruthy();
      expect(c.resources.limits.memory).toBeTruthy();
      expect(c.image).toMatch(/:v\d+\.\d+\.\d+$/);
      if (c.image.includes('thanos')) expect(c.image).toBe(THANOS_IMAGE);
    }
    for (const c of pod.containers) {
      // The config reloader serves only /healthz; kube-state-metrics /livez and /readyz; every Prometheus and Thanos program /-/healthy and /-/ready.
      const paths: Record<string, [string, string]> = {
        'config-reloader': ['/healthz', '/healthz'],
        'kube-state-metrics': ['/livez', '/readyz'],
      };
      const [live, ready] = paths[c.name] ?? ['/-/healthy', '/-/ready'];
      expect(c.livenessProbe.httpGet.path).toBe(live);
      expect(c.readinessProbe.httpGet.path).toBe(ready);
    }
    expect(Object.keys(w.metadata.labels).sort()).toEqual([
      'app.kubernetes.io/component',
      'app.kubernetes.io/instance',
      'app.kubernetes.io/name',
      'app.kubernetes.io/part-of',
      'app.kubernetes.io/version',
    ]);
    expect(w.spec.selector.matchLabels['app.kubernetes.io/version']).toBeUndefined();
    const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === w.metadata.name);
    expect(Boolean(pdb)).toBe(w.spec.replicas > 1);
  });
  it('every object storage client mounts the one shared Secret and key; Alertmanager its config Secret', () => {
    const secretNames = new Set<string>();
    for (const w of workloads) {
      for (const v of w.spec.template.spec.volumes ?? []) if (v.secret) secretNames.add(`${v.secret.secretName}`);
    }
    // Neither Secret is in the base: each overlay's secrets mode supplies both.
    expect([...secretNames].sort()).toEqual(['alertmanager-config', 'thanos-objstore']);
    const objectsWithSecrets = objects.filter((o) => o.kind === 'Secret');
    expect(objectsWithSecrets).toEqual([]);
  });
});

describe('config rules', () => {
  const cases: Array<[string, StackOverrides, string | undefined]> = [
    ['defaults', {}, undefined],
    ['retention below 3 blocks', { prometheus: { retention: '4h' } }, 'prometheus.retention'],
    ['bad duration', { compact: { deleteDelay: 'two days' } }, 'compact.deleteDelay'],
    ['5m retention below raw', { compact: { retentionRaw: '90d', retention5m: '30d' } }, 'compact.retention5m'],
    ['raw forever is fine only if all are forever', { compact: { retentionRaw: '0', retention5m: '0', retention1h: '0' } }, undefined],
    ['store ignores marks longer than compact waits', { store: { ignoreDeletionMarksDelay: '72h' } }, 'store.ignoreDeletionMarksDelay'],
    ['replication factor above replicas', { receive: { replicationFactor: 4 } }, 'receive.replicationFactor'],
    ['zero Prometheus replicas', { prometheus: { replicas: 0 } }, 'prometheus.replicas'],
    ['namespace not a DNS label', { namespace: 'Monitoring_NS' }, 'namespace'],
    ['unpinned thanos image', { thanosImage: 'quay.io/thanos/thanos' }, 'thanosImage'],
    ['thanos image of another line', { thanosImage: 'quay.io/thanos/thanos:v0.11.0' }, 'thanosImage'],
    ['no Alertmanager at all', { alertmanager: { enabled: false } }, 'alertmanager.externalUrls'],
    [
      'external Alertmanager without a port',
      { alertmanager: { enabled: false, externalUrls: ['http://am.ops.svc'] } },
      'alertmanager.externalUrls',
    ],
    [
      'external Alertmanager beside the own one',
      { alertmanager: { externalUrls: ['http://am.ops.svc:9093'] } },
      'alertmanager.externalUrls',
    ],
    [
      'external Alertmanager',
      { alertmanager: { enabled: false, externalUrls: ['https://am-0.ops.example:9093/am', 'https://am-1.ops.example:9093/am'] } },
      undefined,
    ],
    ['zero Alertmanager replicas', { alertmanager: { replicas: 0 } }, 'alertmanager.replicas'],
    [
      'sidecar limits the memory limit cannot hold',
      { prometheus: { sidecarLimits: { requestSeries: 250_000, requestSamples: 50_000_000 } } },
      'prometheus.sidecarResources.memoryLimit',
    ],
    [
      'sidecar limits with a memory limit derived from them',
      {
        prometheus: { sidecarLimits: { requestSeries: 250_000, requestSamples: 50_000_000 }, sidecarResources: { memoryLimit: '1536Mi' } },
      },
      undefined,
    ],
    ['a negative sidecar limit', { prometheus: { sidecarLimits: { requestSeries: -1 } } }, 'prometheus.sidecarLimits.requestSeries'],
  ];
  it.each(cases)('%s', (_name, overrides, field) => {
    const build = () => buildStack(mergeStack(DEFAULT_STACK, overrides));
    if (field === undefined) expect(build).not.toThrow();
    else {
      expect(build).toThrow(ConfigError);
      expect(build).toThrow(new RegExp(`config field '${field.replaceAll('.', '\\.')}'`));
    }
  });
});

describe('network policies', () => {
  const bundles = buildStack(stack);
  const policies = bundles.flatMap((b) => b.objects).filter((o) => o.kind === 'NetworkPolicy') as Array<Record<string, any>>;
  const byName = (name: string) => policies.find((p) => p.metadata.name === name)!;
  const peers = (rules: Array<{ from?: any[]; to?: any[] }>, key: 'from' | 'to') =>
    rules.flatMap((r) => r[key] ?? []).map((peer: any) => peer.podSelector.matchLabels['app.kubernetes.io/name']);

  it('deny everything in the namespace by default, then allow DNS', () => {
    expect(byName('default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(byName('allow-dns').spec.egress[0].ports.map((p: any) => p.port)).toEqual([53, 53]);
  });
  it('let Query reach the gRPC port of every StoreAPI, and only those', () => {
    const egress = byName('thanos-query').spec.egress;
    expect(peers(egress, 'to').sort()).toEqual(['prometheus', 'thanos-receive', 'thanos-rule', 'thanos-store']);
    expect(egress[0].ports).toEqual([{ protocol: 'TCP', port: 10901 }]);
    for (const target of ['prometheus', 'thanos-store', 'thanos-rule', 'thanos-receive']) {
      expect(peers(byName(target).spec.ingress, 'from'), target).toContain('thanos-query');
    }
  });
  it('let the frontend reach Query, the Ruler reach Query and Alertmanager, Prometheus remote-write to Receive', () => {
    expect(peers(byName('thanos-query-frontend').spec.egress, 'to')).toEqual(['thanos-query']);
    expect(peers(byName('thanos-query').spec.ingress, 'from')).toEqual(expect.arrayContaining(['thanos-query-frontend', 'thanos-rule']));
    expect(byName('thanos-rule').spec.egress.flatMap((r: any) => r.ports.map((p: any) => p.port))).toContain(9093);
    expect(byName('thanos-receive').spec.ingress.find((r: any) => r.ports[0].port === 19291).from).toBeUndefined();
    expect(byName('prometheus').spec.egress).toEqual([{}]);
  });
  it('travel with their component folder', () => {
    // Dashboards are ConfigMaps for Grafana: no pods, no policy.
    for (const bundle of bundles.filter((b) => b.folder !== 'network-policies' && b.folder !== 'dashboards')) {
      expect(
        bundle.objects.filter((o) => o.kind === 'NetworkPolicy'),
        bundle.folder,
      ).toHaveLength(1);
    }
  });
});
