import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { discover, podsOf, servicesOf, withLoopbackTargets } from './harness/loopback-sd.js';
import { scaled, scaleExpr, scaleRoute, scaleRuleFile, TIME_SCALE } from './harness/time-scale.js';

// The e2e suite's helpers (npm run e2e runs the suite itself); cheap, so they run with npm test.

describe('time scale (one factor for every window)', () => {
  it('divides durations by TIME_SCALE and writes what model.ParseDuration reads (no fractions)', () => {
    expect(TIME_SCALE).toBe(20);
    expect(scaled('5m')).toBe('15s');
    expect(scaled('30s')).toBe('1500ms');
    expect(scaled('2h')).toBe('6m');
    expect(scaled('1h30m')).toBe('270s');
    expect(() => scaled('five minutes')).toThrow(/not a Prometheus duration/);
  });

  it('scales range, subquery and offset durations in PromQL, and leaves numbers and regexes alone', () => {
    expect(scaleExpr('rate(x{pod=~"data-[0-9]+"}[5m]) > 600')).toBe('rate(x{pod=~"data-[0-9]+"}[15s]) > 600');
    expect(scaleExpr('max_over_time(up[1h:5m] offset 10m) == 0')).toBe('max_over_time(up[3m:15s] offset 30s) == 0');
    expect(scaleExpr('vector(1)')).toBe('vector(1)');
    expect(() => scaleExpr('rate(x[5m]')).toThrow(/cannot parse PromQL/);
  });

  it('scales a rules file: for, keep_firing_for, group interval and expressions', () => {
    const text =
      'groups:\n  - name: g\n    interval: 1m\n    rules:\n      - alert: A\n        expr: increase(x[3h]) == 0\n        for: 15m\n        keep_firing_for: 10m\n';
    expect(parse(scaleRuleFile(text))).toEqual({
      groups: [{ name: 'g', interval: '3s', rules: [{ alert: 'A', expr: 'increase(x[9m]) == 0', for: '45s', keep_firing_for: '30s' }] }],
    });
  });

  it("writes Alertmanager's root defaults out scaled, and scales child routes only where they set a timing", () => {
    expect(
      scaleRoute({ receiver: 'r', routes: [{ receiver: 'w', group_interval: '2m', repeat_interval: '1m' }, { receiver: 'p' }] }),
    ).toEqual({
      receiver: 'r',
      group_wait: '1500ms',
      group_interval: '15s',
      repeat_interval: '12m',
      routes: [{ receiver: 'w', group_interval: '6s', repeat_interval: '3s' }, { receiver: 'p' }],
    });
  });
});

describe('Kubernetes discovery played onto loopback', () => {
  const labels = { 'app.kubernetes.io/name': 'alertmanager' };
  const objects = [
    {
      kind: 'StatefulSet',
      metadata: { name: 'alertmanager', namespace: 'ns' },
      spec: {
        replicas: 2,
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'alertmanager',
                ports: [
                  { name: 'web', containerPort: 9093 },
                  { name: 'mesh-udp', containerPort: 9094, protocol: 'UDP' },
                ],
              },
              { name: 'config-reloader', ports: [{ name: 'reloader-web', containerPort: 8080 }] },
            ],
          },
        },
      },
    },
    {
      kind: 'Deployment',
      metadata: { name: 'other', namespace: 'elsewhere' },
      spec: { template: { spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 80 }] }] } } },
    },
    {
      kind: 'DaemonSet',
      metadata: { name: 'node-exporter', namespace: 'ns' },
      spec: { template: { spec: { containers: [{ name: 'n' }] } } },
    },
    {
      kind: 'Service',
      metadata: { name: 'alertmanager', namespace: 'ns', labels },
      spec: { selector: labels, ports: [{ name: 'web', port: 9093, targetPort: 'web' }] },
    },
  ];
  const pods = podsOf(objects);
  let next = 20000;
  const addresses = new Map<string, string>();
  const inventory = {
    pods,
    services: servicesOf(objects),
    ownNamespace: 'ns',
    addressOf: (pod: { name: string }, container: string, port: { name?: string }) => {
      const key = `${pod.name}/${container}/${port.name}`;
      if (!addresses.has(key)) addresses.set(key, `127.0.0.1:${next++}`);
      return addresses.get(key)!;
    },
  };

  it('runs StatefulSet pods by ordinal and Deployment pods with a hash; DaemonSets none (no nodes)', () => {
    expect(pods.map((p) => p.name)).toEqual(['alertmanager-0', 'alertmanager-1', 'other-6d4cf56db6-ax2kq']);
  });

  it('role pod: every container port of every pod in the watched namespaces, with the meta labels relabelling reads', () => {
    const groups = discover({ role: 'pod', namespaces: { own_namespace: true } }, inventory);
    expect(groups).toHaveLength(6);
    expect(groups[0].labels).toMatchObject({
      __meta_kubernetes_namespace: 'ns',
      __meta_kubernetes_pod_name: 'alertmanager-0',
      __meta_kubernetes_pod_label_app_kubernetes_io_name: 'alertmanager',
      __meta_kubernetes_pod_container_name: 'alertmanager',
      __meta_kubernetes_pod_container_port_name: 'web',
      __meta_kubernetes_pod_phase: 'Running',
    });
    expect(discover({ role: 'pod' }, inventory)).toHaveLength(7);
    expect(discover({ role: 'pod', namespaces: { names: ['elsewhere'] } }, inventory)).toHaveLength(1);
  });

  it('role endpointslice: one ready endpoint per Service port and selected pod', () => {
    const groups = discover({ role: 'endpointslice', namespaces: { own_namespace: true } }, inventory);
    expect(groups.map((g) => [g.targets[0], g.labels.__meta_kubernetes_endpointslice_address_target_name])).toEqual([
      [inventory.addressOf({ name: 'alertmanager-0' }, 'alertmanager', { name: 'web' }), 'alertmanager-0'],
      [inventory.addressOf({ name: 'alertmanager-1' }, 'alertmanager', { name: 'web' }), 'alertmanager-1'],
    ]);
    expect(groups[0].labels).toMatchObject({
      __meta_kubernetes_service_name: 'alertmanager',
      __meta_kubernetes_endpointslice_port_name: 'web',
      __meta_kubernetes_endpointslice_endpoint_conditions_ready: 'true',
    });
  });

  it('role node finds nothing; a role it does not play is an error, not an empty job', () => {
    expect(discover({ role: 'node' }, inventory)).toEqual([]);
    expect(() => discover({ role: 'ingress' }, inventory)).toThrow(/role "ingress" is not played/);
  });

  it('replaces discovery in scrape jobs and in Alertmanager discovery, keeping the relabelling', () => {
    const config = {
      scrape_configs: [{ job_name: 'j', kubernetes_sd_configs: [{ role: 'node' }], relabel_configs: [{ action: 'keep' }] }],
      alerting: { alertmanagers: [{ kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { own_namespace: true } }] }] },
    };
    const out = withLoopbackTargets(config, inventory);
    expect(out.scrape_configs[0]).toEqual({ job_name: 'j', static_configs: [], relabel_configs: [{ action: 'keep' }] });
    expect(out.alerting.alertmanagers[0].static_configs).toHaveLength(2);
    expect(config.scrape_configs[0].kubernetes_sd_configs).toBeDefined();
  });
});
