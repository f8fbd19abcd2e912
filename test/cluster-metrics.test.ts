import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEFAULT_STACK, mergeStack } from '../generator/model/stack.js';
import { KSM_RESOURCES, kubeStateMetrics, nodeExporter } from '../generator/components/index.js';
import type { RelabelConfig, ScrapeConfig } from '../generator/lib/prometheus-config.js';
import { annotatedPodsScrapeConfig, scrapeConfigs } from '../generator/monitoring/scrape.js';
import { overlayStack } from '../generator/model/overlay-stack.js';
import { planOverlay, planOverlays } from '../generator/overlay/plan.js';
import { POD_NAME_PLACEHOLDER } from '../generator/components/index.js';
import { promtool } from './helpers/tools.js';
import { forDebianPromtool, withStaticTargets } from './helpers/static-sd.js';

type Labels = Record<string, string>;

/**
 * Prometheus' relabelling for the actions these jobs use (keep, drop, replace), with its semantics:
 * source labels joined by ';', the regex anchored, a replace that does not match leaves the target.
 */
function relabel(target: Labels, rules: readonly RelabelConfig[]): Labels | undefined {
  const out = { ...target };
  for (const rule of rules) {
    const value = (rule.source_labels ?? []).map((l) => out[l] ?? '').join(rule.separator ?? ';');
    const match = new RegExp(`^(?:${rule.regex ?? '(.*)'})$`).exec(value);
    const action = rule.action ?? 'replace';
    if (action === 'keep' && !match) return undefined;
    if (action === 'drop' && match) return undefined;
    if (action === 'replace' && match)
      out[rule.target_label!] = (rule.replacement ?? '$1').replace(/\$(\d+)/g, (_, i) => match[Number(i)] ?? '');
    if (!['keep', 'drop', 'replace'].includes(action)) throw new Error(`action ${action} not simulated`);
  }
  return out;
}

/** What Prometheus scrapes: relabelled targets with meta labels removed, identical ones once. */
function scraped(targets: Labels[], job: ScrapeConfig): string[] {
  const kept = targets.map((t) => relabel(t, job.relabel_configs ?? [])).filter((t): t is Labels => !!t);
  return [...new Set(kept.map((t) => `${t.__scheme__ ?? 'http'}://${t.__address__}${t.__metrics_path__ ?? '/metrics'} ${t.pod}`))].sort();
}

/** Targets role: pod discovers for one pod: one per declared container port. */
function podTargets(annotations: Labels, ports: Array<[string, number]>): Labels[] {
  const meta: Labels = {
    __meta_kubernetes_namespace: 'apps',
    __meta_kubernetes_pod_name: 'api-0',
    __meta_kubernetes_pod_ip: '10.0.0.7',
    __meta_kubernetes_pod_phase: 'Running',
  };
  for (const [key, value] of Object.entries(annotations)) meta[`__meta_kubernetes_pod_annotation_prometheus_io_${key}`] = value;
  return ports.map(([name, port]) => ({
    ...meta,
    __address__: `10.0.0.7:${port}`,
    __meta_kubernetes_pod_container_port_name: name,
    __meta_kubernetes_pod_container_port_number: String(port),
  }));
}

describe('kubernetes-pods honours prometheus.io/port and prometheus.io/path', () => {
  const job = annotatedPodsScrapeConfig();
  const ports: Array<[string, number]> = [
    ['grpc', 10901],
    ['http', 10902],
    ['metrics', 8080],
  ];

  it('with a port annotation: one target per pod, on that port and path, whatever ports it declares', () => {
    expect(scraped(podTargets({ scrape: 'true', port: '8080', path: '/stats' }, ports), job)).toEqual(['http://10.0.0.7:8080/stats api-0']);
  });
  it('without one: every declared port but gRPC ones', () => {
    expect(scraped(podTargets({ scrape: 'true' }, [...ports, ['store-grpc', 10905]]), job)).toEqual([
      'http://10.0.0.7:10902/metrics api-0',
      'http://10.0.0.7:8080/metrics api-0',
    ]);
  });
  it('not annotated, or finished: nothing', () => {
    expect(scraped(podTargets({}, ports), job)).toEqual([]);
    expect(
      scraped(
        podTargets({ scrape: 'true', port: '8080' }, ports).map((t) => ({ ...t, __meta_kubernetes_pod_phase: 'Succeeded' })),
        job,
      ),
    ).toEqual([]);
  });
});

describe('cluster scrape jobs', () => {
  const jobs = (stack = DEFAULT_STACK) => new Map(scrapeConfigs(stack).map((job) => [job.job_name, job]));

  it('kubelet and cAdvisor: the node HTTPS port with the ServiceAccount token, verified against the cluster CA', () => {
    for (const [name, path] of [
      ['kubelet', '/metrics'],
      ['cadvisor', '/metrics/cadvisor'],
    ] as const) {
      const job = jobs().get(name)!;
      expect(job).toMatchObject({
        scheme: 'https',
        metrics_path: path,
        authorization: { credentials_file: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
        tls_config: { ca_file: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt' },
        kubernetes_sd_configs: [{ role: 'node' }],
      });
      expect(job.tls_config?.insecure_skip_verify).toBeUndefined();
    }
    const skipping = jobs(mergeStack(DEFAULT_STACK, { prometheus: { kubeletInsecureSkipVerify: true } })).get('kubelet')!;
    expect(skipping.tls_config?.insecure_skip_verify).toBe(true);
  });

  it('node-exporter and kube-state-metrics through EndpointSlices; no job uses the deprecated endpoints role', () => {
    expect(jobs().get('node-exporter')!.kubernetes_sd_configs).toEqual([
      { role: 'endpointslice', namespaces: { names: ['node-exporter'] } },
    ]);
    expect(jobs().get('kube-state-metrics')).toMatchObject({
      honor_labels: true,
      kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { own_namespace: true } }],
    });
    for (const job of scrapeConfigs(DEFAULT_STACK))
      for (const sd of job.kubernetes_sd_configs ?? []) expect(sd.role, job.job_name).not.toBe('endpoints');
  });

  it('jobs follow the components: none for node-exporter or kube-state-metrics where they do not run', () => {
    const off = jobs(mergeStack(DEFAULT_STACK, { nodeExporter: { enabled: false }, kubeStateMetrics: { enabled: false } }));
    expect(off.has('node-exporter') || off.has('kube-state-metrics')).toBe(false);
    expect(off.has('kubelet') && off.has('cadvisor')).toBe(true);
  });

  it.each(['dev', 'staging', 'prod'] as const)(
    'promtool accepts the Prometheus config a %s overlay renders, after the Kubernetes discovery swap',
    (profile) => {
      const overlay = {
        name: `${profile}-gcs`,
        cluster: 'c1',
        profile,
        provider: 'gcs',
        namespace: 'm',
        secrets: 'external-secrets',
        bucket: 'b1',
      } as const;
      const configMap = planOverlay(overlay, '/nonexistent').objects.find(
        (o) => o.kind === 'ConfigMap' && o.metadata.name === 'prometheus-config',
      ) as unknown as { data: Record<string, string> };
      const config = parse(Object.values(configMap.data)[0].replaceAll(POD_NAME_PLACEHOLDER, 'prometheus-0'));
      const jobs = (config.scrape_configs as ScrapeConfig[]).map((j) => j.job_name);
      expect(jobs).toEqual(
        expect.arrayContaining([
          'kubelet',
          'cadvisor',
          'kubernetes-pods',
          ...(profile === 'dev' ? [] : ['node-exporter', 'kube-state-metrics']),
        ]),
      );
      const path = join(mkdtempSync(join(tmpdir(), 'cluster-scrape-')), 'prometheus.yaml');
      writeFileSync(path, stringify(forDebianPromtool(config).config));
      const result = promtool(['check', 'config', '--syntax-only', path]);
      expect(result.output).toContain('SUCCESS');
      expect(result.code).toBe(0);
    },
  );

  it('promtool accepts the config with the kubelet verification off, after the Kubernetes discovery swap', () => {
    const stack = mergeStack(DEFAULT_STACK, { prometheus: { kubeletInsecureSkipVerify: true } });
    const { config, swapped } = withStaticTargets({ global: { scrape_interval: '30s' }, scrape_configs: scrapeConfigs(stack) });
    expect(swapped).toBe(scrapeConfigs(stack).length);
    const path = join(mkdtempSync(join(tmpdir(), 'cluster-scrape-')), 'prometheus.yaml');
    writeFileSync(path, stringify(config));
    const result = promtool(['check', 'config', '--syntax-only', path]);
    expect(result.output).toContain('SUCCESS');
  });
});

describe('node-exporter and kube-state-metrics', () => {
  it('node-exporter: its own namespace at the privileged level, host access read-only, otherwise restricted', () => {
    const { namespace, daemonSet, serviceAccount } = nodeExporter(DEFAULT_STACK);
    expect(namespace.metadata!.labels!['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(daemonSet.metadata!.namespace).toBe(namespace.metadata!.name);
    const pod = daemonSet.spec!.template.spec!;
    expect(pod).toMatchObject({
      hostNetwork: true,
      hostPID: true,
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    });
    expect(pod.hostIPC).toBeUndefined();
    const container = pod.containers[0];
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    });
    expect(container.volumeMounts!.every((m) => m.readOnly)).toBe(true);
    expect(container.resources!.limits!.memory).toBeDefined();
    expect(serviceAccount.automountServiceAccountToken).toBe(false);
  });

  it('kube-state-metrics: no secrets collector, and its role cannot read Secrets or write anything', () => {
    const { deployment, clusterRole } = kubeStateMetrics(DEFAULT_STACK);
    const resources = deployment
      .spec!.template.spec!.containers[0].args!.find((a) => a.startsWith('--resources='))!
      .split('=')[1]
      .split(',');
    expect(resources).not.toContain('secrets');
    expect(resources).toEqual(Object.values(KSM_RESOURCES).flat().sort());
    for (const rule of clusterRole.rules!) {
      expect(rule.resources).not.toContain('secrets');
      expect(rule.verbs).toEqual(['list', 'watch']);
    }
  });

  it('on in staging and prod, off in dev, and an overlay can switch either', () => {
    const overlay = (profile: 'dev' | 'staging' | 'prod') =>
      ({
        name: `${profile}-gcs`,
        cluster: 'c1',
        profile,
        provider: 'gcs',
        namespace: 'm',
        secrets: 'external-secrets',
        bucket: 'b1',
      }) as const;
    for (const profile of ['staging', 'prod'] as const) {
      const stack = overlayStack(overlay(profile));
      expect(stack.nodeExporter.enabled && stack.kubeStateMetrics.enabled, profile).toBe(true);
    }
    const dev = overlayStack(overlay('dev'));
    expect(dev.nodeExporter.enabled || dev.kubeStateMetrics.enabled).toBe(false);
    expect(overlayStack({ ...overlay('prod'), components: { nodeExporter: false } }).nodeExporter.enabled).toBe(false);
  });
});

describe('node-exporter runs once per cluster', () => {
  const entry = (name: string, profile: 'dev' | 'staging' | 'prod', cluster: string) =>
    ({ name, cluster, profile, provider: 'gcs', namespace: `ns-${name}`, secrets: 'external-secrets', bucket: 'b1' }) as const;
  const registry = [
    entry('dev-gcs', 'dev', 'c1'),
    entry('staging-gcs', 'staging', 'c1'),
    entry('prod-gcs', 'prod', 'c1'),
    entry('qa-gcs', 'staging', 'c2'),
  ];
  const { plans } = planOverlays(registry, '/nonexistent');
  const plan = (name: string) => plans.find((p) => p.overlay.name === name)!;
  const runs = (name: string) => plan(name).objects.some((o) => o.kind === 'DaemonSet' && o.metadata.name === 'node-exporter');
  const scrapes = (name: string) => {
    const configMap = plan(name).objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'prometheus-config') as unknown as {
      data: Record<string, string>;
    };
    return (parse(Object.values(configMap.data)[0]).scrape_configs as ScrapeConfig[]).some((j) => j.job_name === 'node-exporter');
  };

  it('the first overlay of a cluster that turns it on runs it; the others on that cluster scrape it', () => {
    expect([runs('dev-gcs'), runs('staging-gcs'), runs('prod-gcs'), runs('qa-gcs')]).toEqual([false, true, false, true]);
    expect([scrapes('dev-gcs'), scrapes('staging-gcs'), scrapes('prod-gcs'), scrapes('qa-gcs')]).toEqual([false, true, true, true]);
    expect(plan('prod-gcs').nextSteps).toContain(
      "node-exporter on cluster 'c1' comes from overlay 'staging-gcs' (one per cluster); this overlay's Prometheus scrapes it.",
    );
  });

  it('removing the overlay that runs it hands it to the next one on the cluster', () => {
    const without = planOverlays(
      registry.filter((o) => o.name !== 'staging-gcs'),
      '/nonexistent',
    ).plans;
    expect(without.find((p) => p.overlay.name === 'prod-gcs')!.objects.some((o) => o.kind === 'DaemonSet')).toBe(true);
  });
});
