import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEFAULT_STACK, mergeStack } from '../../generator/model/stack.js';
import { buildStack } from '../../generator/build-stack.js';
import { alertmanager, prometheusConfigTemplate, ruler } from '../../generator/components/index.js';
import { prometheusAlerting } from '../../generator/monitoring/alerting.js';
import {
  RECEIVERS,
  WATCHDOG_TIMING,
  alertmanagerConfigText,
  exampleAlertmanagerConfig,
  nullAlertmanagerConfig,
} from '../../generator/monitoring/alertmanager-config.js';
import { parseDuration } from '../../core/units/duration.js';
import { shippedAlerts } from '../../generator/monitoring/rules/index.js';
import { planOverlay } from '../../generator/overlay/plan.js';
import { overlayStack } from '../../generator/model/overlay-stack.js';
import { UserError } from '../../core/errors.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';
import { amtool, promtool } from '../helpers/tools.js';
import { forDebianPromtool } from '../helpers/static-sd.js';
import { cli } from '../check/helpers.js';
import { render, scratchRoot, writeOverlay, type Obj } from '../overlays/helpers.js';
import { prometheusMonitoring, rulerMonitoring } from '../../generator/monitoring/component-inputs.js';

const dir = mkdtempSync(join(tmpdir(), 'alertmanager-'));
const flag = (args: readonly string[], name: string) => args.filter((a) => a.startsWith(`${name}=`)).map((a) => a.slice(name.length + 1));

const devOverlay: OverlayDefinition = {
  name: 'dev-minio',
  cluster: 'dev',
  profile: 'dev',
  provider: 'minio',
  namespace: 'mon-dev',
  secrets: 'plain',
  bucket: 'thanos',
};
const prodOverlay: OverlayDefinition = {
  name: 'prod-s3',
  cluster: 'prod',
  profile: 'prod',
  provider: 's3',
  namespace: 'mon-prod',
  secrets: 'external-secrets',
  bucket: 'metrics-prod',
};
const externalUrls = ['http://alertmanager-0.alertmanager.ops.svc:9093', 'http://alertmanager-1.alertmanager.ops.svc:9093'];
const externalOverlay: OverlayDefinition = {
  ...prodOverlay,
  name: 'ext-s3',
  profile: 'staging',
  alertmanager: { external: { urls: externalUrls } },
};

describe('the Alertmanager component', () => {
  const objects = alertmanager(DEFAULT_STACK);
  const pod = objects.statefulSet.spec!.template.spec!;
  const am = pod.containers.find((c) => c.name === 'alertmanager')!;

  it('is a gossip cluster of 3 through the headless Service, one peer flag per pod', () => {
    expect(objects.statefulSet.spec!.replicas).toBe(3);
    expect(objects.statefulSet.spec!.serviceName).toBe(objects.service.metadata!.name);
    expect(flag(am.args!, '--cluster.peer')).toEqual(
      [0, 1, 2].map((i) => `alertmanager-${i}.alertmanager.$(NAMESPACE).svc.cluster.local:9094`),
    );
    expect(objects.service.spec!.clusterIP).toBe('None');
    expect(objects.service.spec!.publishNotReadyAddresses).toBe(true);
    const mesh = objects.service.spec!.ports!.filter((p) => p.port === 9094).map((p) => p.protocol);
    expect(mesh.sort()).toEqual(['TCP', 'UDP']);
    expect(
      am
        .ports!.filter((p) => p.containerPort === 9094)
        .map((p) => p.protocol)
        .sort(),
    ).toEqual(['TCP', 'UDP']);
  });

  it('spreads replicas over nodes, keeps one down at most, stores silences on a volume', () => {
    expect(pod.affinity!.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution![0].topologyKey).toBe('kubernetes.io/hostname');
    expect(objects.podDisruptionBudget!.spec!.maxUnavailable).toBe(1);
    const data = flag(am.args!, '--storage.path')[0];
    expect(am.volumeMounts).toContainEqual({ name: 'data', mountPath: data });
    expect(objects.statefulSet.spec!.volumeClaimTemplates![0].metadata!.name).toBe('data');
  });

  it('reloads its configuration when the Secret changes', () => {
    const reloader = pod.containers.find((c) => c.name === 'config-reloader')!;
    const configDir = am.volumeMounts!.find((m) => m.name === 'config')!.mountPath;
    expect(flag(am.args!, '--config.file')[0].startsWith(`${configDir}/`)).toBe(true);
    expect(flag(reloader.args!, '--watched-dir')).toEqual([configDir]);
    expect(flag(reloader.args!, '--reload-url')).toEqual(['http://127.0.0.1:9093/-/reload']);
    expect(pod.volumes).toContainEqual({ name: 'config', secret: { secretName: 'alertmanager-config' } });
  });

  it('lets gossip through over TCP and UDP between peers only, and alerts in from Prometheus and the Ruler', () => {
    const policy = buildStack(DEFAULT_STACK)
      .flatMap((b) => b.objects)
      .find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'alertmanager') as Obj;
    const gossip = policy.spec.ingress.find((rule: Obj) => rule.ports.some((p: Obj) => p.port === 9094));
    expect(gossip.ports).toEqual([
      { protocol: 'TCP', port: 9094 },
      { protocol: 'UDP', port: 9094 },
    ]);
    expect(gossip.from.map((peer: Obj) => peer.podSelector.matchLabels['app.kubernetes.io/name'])).toEqual(['alertmanager']);
    const senders = policy.spec.ingress.find(
      (rule: Obj) => rule.from.every((peer: Obj) => !peer.namespaceSelector) && rule.ports[0].port === 9093,
    );
    expect(senders.from.map((peer: Obj) => peer.podSelector.matchLabels['app.kubernetes.io/name'])).toEqual(['prometheus', 'thanos-rule']);
  });
});

describe('Prometheus and the Ruler find every Alertmanager pod', () => {
  it('Prometheus: endpoint slices of the headless Service, web port, and the replica label dropped', () => {
    const alerting = prometheusAlerting(DEFAULT_STACK);
    expect(alerting.alertmanagers).toHaveLength(1);
    const [am] = alerting.alertmanagers;
    expect(am.kubernetes_sd_configs).toEqual([{ role: 'endpointslice', namespaces: { own_namespace: true } }]);
    expect(am.relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_service_name'], regex: 'alertmanager', action: 'keep' });
    expect(am.relabel_configs).toContainEqual({
      source_labels: ['__meta_kubernetes_endpointslice_port_name'],
      regex: 'web',
      action: 'keep',
    });
    expect(alerting.alert_relabel_configs).toEqual([{ action: 'labeldrop', regex: 'prometheus_replica' }]);
  });

  // GIVEN the gossip Service publishes pods that are not ready (peers must find each other first)
  // WHEN the Ruler resolves its Alertmanagers by DNS THEN it asks a Service that lists ready pods only.
  it("the Ruler: the SRV record of a ready-only headless Service's web port, selecting the Alertmanager pods", () => {
    const objects = alertmanager(DEFAULT_STACK);
    const config = rulerMonitoring(DEFAULT_STACK).alertmanagersConfig as { alertmanagers: Array<{ static_configs: string[] }> };
    const [srv] = config.alertmanagers[0].static_configs;
    const ready = objects.readyService;
    expect(srv).toBe(`dnssrv+_web._tcp.${ready.metadata!.name}.$(NAMESPACE).svc.cluster.local`);
    expect(ready.spec!.clusterIP).toBe('None');
    expect(ready.spec!.publishNotReadyAddresses).toBeFalsy();
    expect(ready.spec!.ports!.map((p) => [p.name, p.port])).toEqual([['web', 9093]]);
    expect(ready.spec!.selector).toEqual(objects.service.spec!.selector);
    expect(ready.metadata!.name).not.toBe(objects.service.metadata!.name);
  });

  it('an external Alertmanager: both senders use exactly the listed replicas, no Alertmanager is deployed', () => {
    const stack = overlayStack(externalOverlay);
    expect(stack.alertmanager).toMatchObject({ enabled: false, externalUrls });
    const alerting = prometheusAlerting(stack);
    expect(alerting.alertmanagers).toEqual([
      { api_version: 'v2', scheme: 'http', static_configs: [{ targets: externalUrls.map((u) => new URL(u).host) }] },
    ]);
    const rule = ruler(stack, rulerMonitoring(stack)).statefulSet.spec!.template.spec!.containers[0];
    expect(JSON.parse(flag(rule.args!, '--alertmanagers.config')[0])).toEqual({
      alertmanagers: [{ api_version: 'v2', scheme: 'http', static_configs: externalUrls.map((u) => new URL(u).host) }],
    });
    expect(buildStack(stack).map((b) => b.folder)).not.toContain('alertmanager');
  });

  it('promtool accepts the external variant too (path prefix, https)', () => {
    const stack = mergeStack(DEFAULT_STACK, { alertmanager: { enabled: false, externalUrls: ['https://am.example:443/alertmanager'] } });
    const text = stringify(forDebianPromtool(prometheusConfigTemplate(stack, prometheusMonitoring(stack))).config).replaceAll(
      '$(POD_NAME)',
      'prometheus-0',
    );
    const path = join(dir, 'external.yaml');
    writeFileSync(path, text);
    const result = promtool(['check', 'config', '--syntax-only', path]);
    expect(result.output).toContain('SUCCESS');
    expect(parse(text).alerting.alertmanagers[0]).toMatchObject({ scheme: 'https', path_prefix: '/alertmanager' });
  });
});

describe('an overlay choosing an external Alertmanager', () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ['no urls', { external: {} }, /'alertmanager\.external\.urls' is required/],
    ['empty urls', { external: { urls: [] } }, /'alertmanager\.external\.urls' is required/],
    ['no external', {}, /'alertmanager\.external\.urls' is required/],
    [
      'a url without a port',
      { external: { urls: ['http://am.ops.svc'] } },
      /'http:\/\/am\.ops\.svc' is not an http\(s\) URL with host and port/,
    ],
    ['a misspelt field', { externel: { urls: externalUrls } }, /unknown field 'alertmanager\.externel'/],
  ];
  it.each(bad)('is refused with %s, naming the overlay and the field', (_name, value, message) => {
    const overlay = { ...externalOverlay, alertmanager: value } as OverlayDefinition;
    expect(() => planOverlay(overlay, dir)).toThrow(UserError);
    expect(() => planOverlay(overlay, dir)).toThrow(message);
    expect(() => planOverlay(overlay, dir)).toThrow(/overlay 'ext-s3'/);
  });
});

describe('overlays render the Alertmanager cluster and its configuration Secret', () => {
  let scratch: ReturnType<typeof scratchRoot>;
  const rendered: Record<string, Obj[]> = {};
  beforeAll(async () => {
    scratch = scratchRoot();
    for (const overlay of [devOverlay, prodOverlay, externalOverlay]) {
      writeOverlay(scratch.root, overlay);
      rendered[overlay.name] = (await render(join(scratch.root, 'overlays', overlay.name))).objects;
    }
  });
  afterAll(() => scratch.cleanup());
  const of = (name: string, kind: string, objectName: string) =>
    rendered[name].find((o) => o.kind === kind && o.metadata.name === objectName);

  it('dev: one replica (a small cluster may have one node), no PDB, the null receiver in a Secret that says so', () => {
    const sts = of('dev-minio', 'StatefulSet', 'alertmanager')!;
    expect(sts.spec.replicas).toBe(1);
    expect(flag(sts.spec.template.spec.containers[0].args, '--cluster.peer')).toEqual([
      'alertmanager-0.alertmanager.$(NAMESPACE).svc.cluster.local:9094',
    ]);
    expect(of('dev-minio', 'PodDisruptionBudget', 'alertmanager')).toBeUndefined();
    const secret = of('dev-minio', 'Secret', 'alertmanager-config')!;
    expect(secret.stringData['alertmanager.yaml']).toMatch(/notifies nobody, on purpose/);
    expect(parse(secret.stringData['alertmanager.yaml']).route.receiver).toBe('null');
  });

  it('prod: three replicas with a PDB; the configuration comes from the secret store, never from Git', () => {
    expect(of('prod-s3', 'StatefulSet', 'alertmanager')!.spec.replicas).toBe(3);
    expect(of('prod-s3', 'PodDisruptionBudget', 'alertmanager')).toBeDefined();
    expect(of('prod-s3', 'Secret', 'alertmanager-config')).toBeUndefined();
    const external = of('prod-s3', 'ExternalSecret', 'alertmanager-config')!;
    expect(external.spec.target.name).toBe('alertmanager-config');
    expect(external.spec.data).toEqual([
      { secretKey: 'alertmanager.yaml', remoteRef: { key: 'thanos/prod-s3/alertmanager', property: 'alertmanager.yaml' } },
    ]);
  });

  it('external: no Alertmanager objects, the Ruler may reach the external port', () => {
    expect(rendered['ext-s3'].filter((o) => o.metadata.name.startsWith('alertmanager'))).toEqual([]);
    const policy = of('ext-s3', 'NetworkPolicy', 'thanos-rule')!;
    expect(policy.spec.egress).toContainEqual({ ports: [{ protocol: 'TCP', port: 9093 }] });
  });

  it.each([devOverlay.name, prodOverlay.name, externalOverlay.name])('%s passes check', async (name) => {
    const path = join(dir, `${name}.rendered.yaml`);
    writeFileSync(path, rendered[name].map((o) => stringify(o)).join('---\n'));
    const run = await cli(['check', '--file', path]);
    expect(run.stdout + run.stderr).toMatch(/ 0 errors/);
    expect(run.code).toBe(0);
  });
});

describe('every secrets mode delivers the Alertmanager configuration', () => {
  const modes: Array<[OverlayDefinition['secrets'], RegExp]> = [
    ['sops', /alertmanager\.secret\.sops\.yaml/],
    ['sealed-secrets', /kubeseal/],
    ['workload-identity', /kubectl create secret generic alertmanager-config/],
  ];
  it.each(modes)('%s', (secrets, step) => {
    const plan = planOverlay({ ...prodOverlay, name: 'prod-gcs', provider: 'gcs', secrets }, dir);
    expect(plan.nextSteps.join('\n')).toMatch(step);
    const files = [...plan.files, ...plan.userFiles].map((f) => f.path);
    expect(files.some((f) => /alertmanager\.(yaml\.template|secret\.sops\.yaml\.template)$/.test(f))).toBe(true);
    if (secrets === 'sops') {
      const rules = parse(plan.files.find((f) => f.path.endsWith('.sops.yaml'))!.content).creation_rules;
      expect(new RegExp(rules[0].path_regex).test('user/alertmanager.secret.sops.yaml')).toBe(true);
    }
  });
});

describe('amtool accepts the Alertmanager configurations and routes as documented', () => {
  const files = { example: exampleAlertmanagerConfig(), null: nullAlertmanagerConfig() };
  for (const [name, config] of Object.entries(files)) writeFileSync(join(dir, `${name}.yaml`), alertmanagerConfigText(config, '# test\n'));

  it.each(Object.keys(files))('%s passes amtool check-config', (name) => {
    const result = amtool(['check-config', join(dir, `${name}.yaml`)]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  /** The receiver amtool routes these labels to (its first output line; a notice about flags follows). */
  const routeOf = (file: string, labels: string[]) =>
    amtool(['config', 'routes', 'test', `--config.file=${join(dir, `${file}.yaml`)}`, ...labels])
      .output.split('\n')[0]
      .trim();

  // GIVEN the example routes WHEN an alert with these labels arrives THEN it reaches this receiver.
  const routes: Array<[string, string[], string]> = [
    ["the Watchdog goes to the dead-man's switch, even at a severity", ['alertname=Watchdog', 'severity=none'], RECEIVERS.deadMansSwitch],
    ['a critical alert pages', ['alertname=ThanosCompactHalted', 'severity=critical'], RECEIVERS.pager],
    ['a warning goes to the default receiver', ['alertname=TargetDown', 'severity=warning'], RECEIVERS.default],
  ];
  it.each(routes)('%s', (_name, labels, receiver) => {
    expect(routeOf('example', labels)).toBe(receiver);
  });

  it('every inhibition mutes a shipped warning while a shipped critical alert of the same place fires (none inhibits nothing)', () => {
    const alerts = shippedAlerts(DEFAULT_STACK);
    /** The shipped alerts all of these `name = "value"` matchers select. */
    const selected = (matchers: readonly string[]) =>
      alerts.filter((a) =>
        matchers.every((m) => {
          const [, name, value] = /^(\w+) = "(.*)"$/.exec(m)!;
          return (name === 'alertname' ? a.alert : name === 'severity' ? a.severity : a.labels?.[name]) === value;
        }),
      );
    const rules = exampleAlertmanagerConfig().inhibit_rules ?? [];
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      // One alert each: a generic `severity = "critical"` source names no alert and mutes nothing real.
      const sources = selected(rule.source_matchers);
      const targets = selected(rule.target_matchers);
      expect([sources.length, targets.length], rule.source_matchers.join()).toEqual([1, 1]);
      const [source, target] = [sources[0], targets[0]];
      expect([source?.severity, target?.severity], rule.source_matchers.join()).toEqual(['critical', 'warning']);
      expect(target.alert).not.toBe(source.alert);
      // The target's labels include every label the source is grouped by, so `equal` can match them.
      for (const label of rule.equal.filter((l) => l !== 'cluster')) {
        expect(source.expr, label).toMatch(new RegExp(`by \\([^)]*\\b${label}\\b`));
        expect(target.expr, label).toMatch(new RegExp(`by \\([^)]*\\b${label}\\b`));
      }
      // Both reach a receiver of their own: the page and the chat.
      expect(routeOf('example', [`alertname=${source.alert}`, 'severity=critical'])).toBe(RECEIVERS.pager);
      expect(routeOf('example', [`alertname=${target.alert}`, 'severity=warning'])).toBe(RECEIVERS.default);
    }
  });

  it('the Watchdog route delivers on every flush with one to three peers, and the documented grace period covers a lost one', () => {
    const seconds = (d: string | undefined) => parseDuration(d!)! / 1000;
    const route = exampleAlertmanagerConfig().route.routes!.find((r) => r.receiver === RECEIVERS.deadMansSwitch)!;
    const [group, repeat] = [seconds(route.group_interval), seconds(route.repeat_interval)];
    const peerTimeout = 15; // --cluster.peer-timeout default, alertmanager v0.32.3 cmd/alertmanager/main.go:166
    for (const peers of [1, 2, 3]) {
      const wait = (peers - 1) * peerTimeout;
      // Above the longest wait: no peer repeats what an earlier one sent; below group - wait: a late peer is due at its next flush.
      expect(repeat, `${peers} peers`).toBeGreaterThan(wait);
      expect(repeat, `${peers} peers`).toBeLessThan(group - wait);
    }
    expect(seconds(WATCHDOG_TIMING.deliveryEvery)).toBe(group);
    expect(seconds(WATCHDOG_TIMING.receiverTimeout)).toBeGreaterThanOrEqual(2 * group + 2 * peerTimeout);
  });

  it('the dev config sends everything to null', () => {
    expect(routeOf('null', ['alertname=Watchdog'])).toBe(RECEIVERS.null);
  });

  it('rejects a broken config (the check can fail)', () => {
    writeFileSync(join(dir, 'broken.yaml'), 'route:\n  receiver: nobody\nreceivers: []\n');
    expect(amtool(['check-config', join(dir, 'broken.yaml')]).code).not.toBe(0);
  });
});
