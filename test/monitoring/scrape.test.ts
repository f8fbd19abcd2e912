import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_STACK, mergeStack } from '../../generator/model/stack.js';
import { buildStack, type KubeObject } from '../../generator/build-stack.js';
import { prometheus } from '../../generator/components/index.js';
import { JOBS, componentTargets, scrapeConfigs } from '../../generator/monitoring/scrape.js';
import { prometheusMonitoring } from '../../generator/monitoring/component-inputs.js';

interface Pod {
  labels: Record<string, string>;
  containers: Array<{ name: string; ports?: Array<{ name?: string }> }>;
}

/** Every pod template the stack builds, as the scrape relabelling sees it. */
function podTemplates(objects: readonly KubeObject[]): Pod[] {
  return objects
    .filter((o) => o.kind === 'StatefulSet' || o.kind === 'Deployment')
    .map((o) => {
      const template = (o.spec as any).template;
      return { labels: template.metadata.labels, containers: template.spec.containers };
    });
}

/** The value a `keep` rule of the job requires for a meta label. */
function kept(job: any, meta: string): string | undefined {
  return job.relabel_configs.find((r: any) => r.action === 'keep' && r.source_labels[0] === meta)?.regex;
}

describe('scrape jobs', () => {
  // Every optional job on: the caches in the stack's own memcached too.
  const stack = mergeStack(DEFAULT_STACK, { cache: { backend: 'memcached' } });
  const pods = podTemplates(buildStack(stack).flatMap((bundle) => bundle.objects));
  const jobs = scrapeConfigs(stack);

  it('has one job per component, named after it, and the job names are unique', () => {
    const names = jobs.map((job) => job.job_name);
    expect(new Set(names).size).toBe(names.length);
    for (const job of Object.values(JOBS)) expect(names).toContain(job);
  });

  // GIVEN the pods the generator builds WHEN each job's keep rules are applied THEN each job selects
  // exactly one container port in exactly the pods of its component: every replica, nothing else.
  it.each(componentTargets(stack).map((t) => [t.job, t] as const))('%s selects one metrics port in its own pods', (_, target) => {
    const job = jobs.find((j) => j.job_name === target.job)!;
    const appName = kept(job, '__meta_kubernetes_pod_label_app_kubernetes_io_name');
    const instance = kept(job, '__meta_kubernetes_pod_label_app_kubernetes_io_instance');
    const container = kept(job, '__meta_kubernetes_pod_container_name');
    const port = kept(job, '__meta_kubernetes_pod_container_port_name');
    const matches = pods.flatMap((pod) =>
      pod.labels['app.kubernetes.io/name'] === appName && pod.labels['app.kubernetes.io/instance'] === instance
        ? pod.containers.filter((c) => c.name === container).flatMap((c) => (c.ports ?? []).filter((p) => p.name === port))
        : [],
    );
    expect(matches).toHaveLength(1);
    expect(job.kubernetes_sd_configs).toEqual([{ role: 'pod', namespaces: { own_namespace: true } }]);
    expect(job.relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' });
  });

  it('scrapes Prometheus through its pod, never localhost, under its own job, apart from the sidecar', () => {
    const config = parse(prometheus(stack, prometheusMonitoring(stack)).configMap.data!['prometheus.yaml.tmpl']);
    expect(JSON.stringify(config.scrape_configs)).not.toMatch(/localhost|127\.0\.0\.1/);
    const prom = config.scrape_configs.find((j: any) => j.job_name === JOBS.prometheus);
    const sidecar = config.scrape_configs.find((j: any) => j.job_name === JOBS.sidecar);
    expect(kept(prom, '__meta_kubernetes_pod_container_name')).toBe('prometheus');
    expect(kept(sidecar, '__meta_kubernetes_pod_container_name')).toBe('thanos-sidecar');
  });

  it('scrapes memcached once, through its exporter, under its own job (not also through the annotated-pods job)', () => {
    const memcached = buildStack(stack)
      .flatMap((bundle) => bundle.objects)
      .find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'memcached')!;
    const template = (memcached.spec as any).template;
    expect(template.metadata.annotations?.['prometheus.io/scrape']).toBeUndefined();
    const job = jobs.find((j) => j.job_name === JOBS.memcached)!;
    expect(kept(job, '__meta_kubernetes_pod_container_name')).toBe('memcached-exporter');
    expect(scrapeConfigs(DEFAULT_STACK).map((j) => j.job_name)).not.toContain(JOBS.memcached);
  });

  it('has no job for a component the stack leaves out', () => {
    const small = mergeStack(DEFAULT_STACK, { receive: { enabled: false }, ruler: { enabled: false }, queryFrontend: { enabled: false } });
    const names = scrapeConfigs(small).map((job) => job.job_name);
    expect(names).not.toContain(JOBS.receive);
    expect(names).not.toContain(JOBS.rule);
    expect(names).not.toContain(JOBS.queryFrontend);
    expect(names).toContain(JOBS.store);
  });

  it('drops the replica label from alerts, so Alertmanager sees the two replicas as one alert', () => {
    const config = parse(prometheus(stack, prometheusMonitoring(stack)).configMap.data!['prometheus.yaml.tmpl']);
    expect(config.alerting.alert_relabel_configs).toContainEqual({ action: 'labeldrop', regex: 'prometheus_replica' });
    expect(Object.keys(config.global.external_labels)).toContain('prometheus_replica');
  });
});
