import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fleetConfig, validateFleet } from '../../generator/model/fleet.js';
import { planOverlay } from '../../generator/overlay/plan.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';
import { validateRegistry } from '../../generator/model/validate-overlay.js';
import { validateAgainstSchema } from '../../core/kube/validate-objects.js';
import { checkObjects } from '../../policies/engine/run.js';
import { parseStream } from '../../policies/engine/parse.js';
import { unknownFieldsPolicy } from '../../policies/rules/unknown-fields.js';
import { yamlOf } from '../../policies/testing/fixtures.js';
import { FLEET_REGISTRY } from '../fixtures/registry/fleet.js';
import { fixtureRoot } from '../helpers/repo-copy.js';

/** In memory, on the tests' fleet: what each role's plan holds, and every registry mistake refused with what to do. */
const entry = (name: string) => FLEET_REGISTRY.find((o) => o.name === name)!;
const plan = (name: string, registry: readonly OverlayDefinition[] = FLEET_REGISTRY) =>
  planOverlay(registry.find((o) => o.name === name)!, fixtureRoot(), registry);
const objectsOf = (name: string) => plan(name).objects;
const args = (
  objects: readonly { kind: string; metadata: { name: string }; spec?: any }[],
  kind: string,
  name: string,
  container = 0,
): string[] => objects.find((o) => o.kind === kind && o.metadata.name === name)!.spec.template.spec.containers[container].args;

describe('roles from the registry', () => {
  it("full: no fleet objects, no fleet labels, today's stack", () => {
    const objects = objectsOf('solo-s3');
    expect(objects.filter((o) => ['Certificate', 'TLSRoute'].includes(o.kind))).toEqual([]);
    expect(objects.find((o) => o.kind === 'Namespace' && o.metadata.name === 'monitoring')!.metadata.labels).not.toHaveProperty(
      'thanos-ha.dev/fleet',
    );
    expect(plan('solo-s3').stack.fleet.role).toBe('full');
  });

  it('observer: its leaves as endpoints and its agents as Receive writers, derived; a leaf added to the registry appears', () => {
    expect(fleetConfig(entry('hub-s3'), FLEET_REGISTRY).leafEndpoints).toEqual([
      {
        overlay: 'north-s3',
        address: 'grpc.north-1.example.com:443',
        port: 443,
        serverName: 'grpc.north-1.example.com',
        cluster: 'north-1',
      },
      {
        overlay: 'south-s3',
        address: 'grpc.south-1.example.com:8443',
        port: 8443,
        serverName: 'grpc.south-1.example.com',
        cluster: 'south-1',
      },
    ]);
    // Its Ruler's fleet alerts name every member by the cluster label its Prometheus sets.
    expect(fleetConfig(entry('hub-s3'), FLEET_REGISTRY).agents).toEqual([{ overlay: 'edge-s3', cluster: 'edge-1' }]);
    const stack = plan('hub-s3').stack;
    expect(stack.receive).toMatchObject({ enabled: true, ownClusterOnly: false, writers: ['edge-s3 (Prometheus agent, cluster edge-1)'] });
    expect(stack.ruler.ownClusterOnly).toBe(false);
    const more: OverlayDefinition[] = [
      ...FLEET_REGISTRY,
      { ...entry('north-s3'), name: 'west-s3', cluster: 'west-1', expose: { host: 'grpc.west-1.example.com' } },
    ];
    expect(fleetConfig(entry('hub-s3'), more).leafEndpoints.map((e) => e.overlay)).toEqual(['north-s3', 'south-s3', 'west-s3']);
    // Without agents the observer runs no Receive.
    const noAgents = FLEET_REGISTRY.filter((o) => o.name !== 'edge-s3');
    expect(plan('hub-s3', noAgents).stack.receive.enabled).toBe(false);
  });

  it("observer: egress to the leaves' exposed ports only, and its Receive ingress open for remote write", () => {
    const policy = objectsOf('hub-s3').find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'thanos-query') as any;
    expect(policy.spec.egress).toContainEqual({
      ports: [
        { protocol: 'TCP', port: 443 },
        { protocol: 'TCP', port: 8443 },
      ],
    });
  });

  it("leaf: takes its observer's bucket and provider settings; no Store, Compact, Query Frontend, Ruler or Receive", () => {
    const p = plan('north-s3');
    expect(p.overlay.bucket).toBe('fleet-metrics');
    expect(p.overlay.settings).toEqual({ region: 'eu-west-1' });
    expect(p.stack).toMatchObject({
      store: { enabled: false },
      compact: { enabled: false },
      queryFrontend: { enabled: false },
      ruler: { enabled: false },
      receive: { enabled: false },
    });
    expect(p.objects.map((o) => o.metadata.name)).not.toContain('thanos-compact');
    expect(args(p.objects, 'Deployment', 'thanos-query')).toEqual(
      expect.arrayContaining(['--grpc-server-tls-key=/etc/thanos/tls/grpc-server/tls.key']),
    );
    const certificate = p.objects.find((o) => o.kind === 'Certificate') as any;
    expect(certificate.spec).toMatchObject({
      secretName: 'thanos-query-grpc-server-tls',
      dnsNames: ['grpc.north-1.example.com'],
      // ECDSA: no key encipherment (RSA key transport), which an EC key may not carry (RFC 5480 section 3).
      usages: ['digital signature', 'server auth'],
    });
    expect(certificate.spec.privateKey.algorithm).toBe('ECDSA');
    expect(p.objects.find((o) => o.kind === 'Namespace' && o.metadata.name === 'monitoring')!.metadata.labels).toMatchObject({
      'thanos-ha.dev/fleet': 'hub-s3',
      'thanos-ha.dev/fleet-role': 'leaf',
    });
  });

  it('agent: Prometheus in agent mode without server flags, alerting, rule_files or remote_read; no objstore Secret, no Alertmanager', () => {
    const p = plan('edge-s3');
    const prometheusArgs = args(p.objects, 'StatefulSet', 'prometheus');
    expect(prometheusArgs).toEqual([
      '--config.file=/etc/prometheus/config_out/prometheus.yaml',
      '--agent',
      '--storage.agent.path=/prometheus',
      '--web.listen-address=0.0.0.0:9090',
      '--web.enable-lifecycle',
    ]);
    const config = parse(
      (p.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'prometheus-config') as any).data['prometheus.yaml.tmpl'],
    );
    expect(Object.keys(config).sort()).toEqual(['global', 'remote_write', 'scrape_configs']);
    expect(config.global).not.toHaveProperty('evaluation_interval');
    expect(config.scrape_configs.map((j: any) => j.job_name)).not.toContain('thanos-sidecar');
    const names = p.objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names.filter((n) => /thanos-|alertmanager|objstore|prometheus-rules/.test(n) && !n.startsWith('NetworkPolicy/default'))).toEqual(
      [],
    );
  });

  it('every fleet object validates against its schema (cert-manager 4.4, Gateway API v1 loaded under this Node)', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(20);
    const fleetObjects = FLEET_REGISTRY.flatMap((o) => objectsOf(o.name)).filter((o) =>
      ['Certificate', 'TLSRoute', 'Service'].includes(o.kind),
    );
    expect(fleetObjects.map((o) => o.kind)).toEqual(expect.arrayContaining(['Certificate', 'TLSRoute']));
    for (const object of fleetObjects)
      expect(validateAgainstSchema(object as any), `${object.kind} ${object.metadata.name}`).toEqual({ ok: true });
    // The schemas can fail: a port that is no number, a Certificate without an issuer.
    expect(
      validateAgainstSchema({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'TLSRoute',
        metadata: { name: 'r' },
        spec: { parentRefs: [{ name: 'g' }], hostnames: ['a.example.com'], rules: [{ backendRefs: [{ name: 's', port: 'grpc' }] }] },
      }).ok,
    ).toBe(false);
    expect(
      validateAgainstSchema({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c' }, spec: { secretName: 's' } })
        .ok,
    ).toBe(false);
  });

  it('strict fields: a misspelt field of a Certificate or a TLSRoute is an unknown field', () => {
    const yaml = yamlOf(
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: 'c' },
        spec: { secretName: 's', issuerRef: { name: 'ca' }, dnsName: ['a.example.com'] },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'TLSRoute',
        metadata: { name: 'r' },
        spec: { parentRefs: [{ name: 'g' }], hostname: ['a.example.com'], rules: [{ backendRefs: [{ name: 's', port: 1 }] }] },
      },
    );
    const { findings } = checkObjects(parseStream(yaml, { file: 'x.yaml' }).objects, [unknownFieldsPolicy]);
    expect(findings.map((f) => `${f.kind}: ${f.message}`)).toEqual([
      expect.stringMatching(/^Certificate: unknown field spec\.dnsName/),
      expect.stringMatching(/^TLSRoute: unknown field spec\.hostname/),
    ]);
  });
});

describe('registry mistakes are refused with what to do', () => {
  const refused = (registry: OverlayDefinition[], pattern: RegExp) => expect(() => validateRegistry(registry)).toThrow(pattern);
  const withEntry = (name: string, change: Partial<OverlayDefinition> & Record<string, unknown>) =>
    FLEET_REGISTRY.map((o) => (o.name === name ? ({ ...o, ...change } as OverlayDefinition) : o));

  it('accepts the fixture fleet', () => {
    expect(() => validateRegistry(FLEET_REGISTRY)).not.toThrow();
    expect(() => validateFleet(FLEET_REGISTRY)).not.toThrow();
  });
  it('an unknown role, with a suggestion', () =>
    refused(withEntry('north-s3', { role: 'leef' as never }), /unknown role 'leef'.*Did you mean 'leaf'/i));
  it('a leaf without observer', () => refused(withEntry('north-s3', { observer: undefined }), /a leaf names its observer: add observer:/));
  it('an observer that is not in the registry', () =>
    refused(withEntry('north-s3', { observer: 'hub-s4' }), /observer 'hub-s4' is not in the registry\. Observers: hub-s3/));
  it('an observer that is no observer', () =>
    refused(withEntry('north-s3', { observer: 'solo-s3' }), /observer 'solo-s3' has role 'full'/));
  it('a leaf on another provider than its observer', () =>
    refused(
      [
        ...FLEET_REGISTRY,
        { ...entry('north-s3'), name: 'west-gcs', provider: 'gcs', cluster: 'west-1', expose: { host: 'grpc.west-1.example.com' } },
      ],
      /a leaf's name ends in its observer's provider \('s3'/,
    ));
  it('a bucket on a leaf', () => refused(withEntry('north-s3', { bucket: 'mine' }), /a leaf has no bucket of its own.*remove 'bucket'/));
  it('a leaf without expose', () =>
    refused(withEntry('north-s3', { expose: undefined }), /a leaf exposes its Query to the observer: add expose:/));
  it('a TLSRoute without its Gateway', () =>
    refused(withEntry('north-s3', { expose: { host: 'grpc.north-1.example.com', via: 'TLSRoute' } }), /needs the Gateway it attaches to/));
  it('a host that is no DNS name', () =>
    refused(
      withEntry('north-s3', { expose: { host: 'https://grpc.north' } }),
      /'expose.host' must be a fully qualified lowercase DNS name/,
    ));
  it('two overlays exposing one host', () =>
    refused(
      withEntry('south-s3', { expose: { host: 'grpc.north-1.example.com' } }),
      /expose.host 'grpc.north-1.example.com' is already overlay 'north-s3''s/,
    ));
  it('an agent whose observer does not expose its Receive', () =>
    refused(withEntry('hub-s3', { expose: undefined }), /agent 'edge-s3' writes to this observer's Receive, so the observer exposes it/));
  it('a leaf turning on its own compactor', () =>
    refused(
      withEntry('north-s3', { overrides: { compact: { enabled: true } } }),
      /a leaf runs no compactor: its observer compacts the shared bucket/,
    ));
  it('rule files on an agent', () => refused(withEntry('edge-s3', { ruleFiles: ['user/rules/x.yaml'] }), /an agent evaluates no rules/));
  it('issuer on a leaf', () => refused(withEntry('north-s3', { issuer: { name: 'ca' } }), /'issuer' is set on the observer only/));
  it('a leaf whose observer keeps its blocks in-cluster', () =>
    refused(
      [
        {
          name: 'lab-minio',
          role: 'observer',
          profile: 'dev',
          provider: 'minio',
          cluster: 'lab',
          namespace: 'monitoring',
          secrets: 'plain',
          bucket: 'thanos',
        },
        {
          name: 'pi-minio',
          role: 'leaf',
          observer: 'lab-minio',
          profile: 'dev',
          provider: 'minio',
          cluster: 'pi',
          namespace: 'monitoring',
          secrets: 'plain',
          expose: { host: 'grpc.pi.example.com' },
        },
      ],
      /keeps its blocks in-cluster \(minio\); a leaf's sidecars in another cluster cannot reach that store/,
    ));
});
