import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { formatEntry, REGISTRY_PATH } from '../../generator/model/registry-file.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';
import { FLEET_REGISTRY } from '../fixtures/registry/fleet.js';
import { runCliProcess } from '../helpers/cli.js';
import { commitAll, gitIn, writeIn } from '../helpers/git-repo.js';
import { copyRepo } from '../helpers/repo-copy.js';
import { forDebianPromtool } from '../helpers/static-sd.js';
import { promtool } from '../helpers/tools.js';

/**
 * The tests' fleet (test/fixtures/registry/fleet.ts: observer hub-s3, leaves north-s3 and south-s3,
 * agent edge-s3, and solo-s3 outside it) generated in a copy, rendered with the real kustomize,
 * checked; then the held-out mistakes are made by hand, as a user would, and `check` must name them.
 */
type Finding = { rule: string; overlay: string; severity: string; message: string; kind: string; name: string };

const registryText = (entries: readonly OverlayDefinition[]) =>
  `import type { OverlayDefinition } from './schema/overlay-entry.js';\n\nexport const overlays: OverlayDefinition[] = [\n${entries.map((e) => `  ${formatEntry(e)},`).join('\n')}\n];\n`;

describe('a fleet of an observer, two leaves and an agent', () => {
  const copy = copyRepo();
  const run = (...args: string[]) => runCliProcess(args, { root: copy.root });
  const findings = (stdout: string) => JSON.parse(stdout).findings as Finding[];
  const rendered = new Map<string, Record<string, any>[]>();
  const render = (name: string) => {
    const docs = parseAllDocuments(
      execFileSync('kubectl', ['kustomize', join(copy.root, 'overlays', name)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
    ).map((d) => d.toJS());
    rendered.set(name, docs);
    return docs;
  };
  const find = (name: string, kind: string, object: string) =>
    rendered.get(name)!.find((o) => o.kind === kind && o.metadata.name === object)!;

  beforeAll(() => {
    writeFileSync(join(copy.root, REGISTRY_PATH), registryText(FLEET_REGISTRY));
    const generated = run('generate');
    if (generated.code !== 0) throw new Error(generated.stderr);
    for (const o of FLEET_REGISTRY) render(o.name);
    gitIn(copy.root, 'init', '-q', '-b', 'main');
    commitAll(copy.root, 'fleet fixture');
  });
  afterAll(() => copy.cleanup());

  it('renders each role from the registry alone: endpoints, TLS, exposure and remote write derived, never typed twice', () => {
    const sd = parse(
      find('hub-s3', 'Deployment', 'thanos-query')
        .spec.template.spec.containers[0].args.find((a: string) => a.startsWith('--endpoint.sd-config='))
        .slice('--endpoint.sd-config='.length),
    );
    expect(sd.endpoints.filter((e: any) => e.client_config)).toEqual([
      {
        address: 'grpc.north-1.example.com:443',
        client_config: {
          server_name: 'grpc.north-1.example.com',
          tls_config: {
            ca_file: '/etc/thanos/tls/grpc-client/ca.crt',
            cert_file: '/etc/thanos/tls/grpc-client/tls.crt',
            key_file: '/etc/thanos/tls/grpc-client/tls.key',
          },
        },
      },
      {
        address: 'grpc.south-1.example.com:8443',
        client_config: {
          server_name: 'grpc.south-1.example.com',
          tls_config: {
            ca_file: '/etc/thanos/tls/grpc-client/ca.crt',
            cert_file: '/etc/thanos/tls/grpc-client/tls.crt',
            key_file: '/etc/thanos/tls/grpc-client/tls.key',
          },
        },
      },
    ]);
    // Not strict, so a dead leaf leaves the connection metric, labelled by address for the fleet alerts.
    expect(find('hub-s3', 'Deployment', 'thanos-query').spec.template.spec.containers[0].args).toContain(
      '--query.conn-metric.label=ip_port',
    );
    // The observer's Ruler alerts per member, each named from the registry, with partial responses.
    const fleetRules = parse(find('hub-s3', 'ConfigMap', 'thanos-rule-rules').data['thanos-fleet.yaml']);
    expect(fleetRules.groups[0].partial_response_strategy).toBe('warn');
    const notReporting = fleetRules.groups[0].rules.find((r: any) => r.alert === 'FleetClusterNotReporting').expr;
    const unreachable = fleetRules.groups[0].rules.find((r: any) => r.alert === 'FleetLeafUnreachable').expr;
    for (const member of FLEET_REGISTRY.filter((o) => o.observer === 'hub-s3')) {
      expect(notReporting, member.name).toContain(`"overlay", "${member.name}"`);
      expect(unreachable.includes(`"overlay", "${member.name}"`), member.name).toBe(member.role === 'leaf');
    }
    // The observer's Receive and Ruler serve every cluster: no cluster label; its Receive takes remote write over mTLS.
    const receiveArgs: string[] = find('hub-s3', 'StatefulSet', 'thanos-receive').spec.template.spec.containers[0].args;
    expect(receiveArgs.filter((a) => a.startsWith('--label='))).toEqual(['--label=receive_replica="$(POD_NAME)"']);
    expect(receiveArgs).toEqual(expect.arrayContaining(['--remote-write.server-tls-client-ca=/etc/thanos/tls/remote-write-server/ca.crt']));
    expect(
      find('hub-s3', 'StatefulSet', 'thanos-rule').spec.template.spec.containers[0].args.filter((a: string) =>
        a.startsWith('--label=cluster'),
      ),
    ).toEqual([]);
    expect(find('hub-s3', 'Certificate', 'thanos-receive-remote-write-server').spec).toMatchObject({
      dnsNames: ['receive.hub-1.example.com'],
      issuerRef: { name: 'fleet-ca', kind: 'ClusterIssuer' },
    });
    // A leaf: Query terminates mTLS itself, no Store or Compact, uploads to the observer's bucket.
    const north = rendered.get('north-s3')!;
    expect(north.filter((o) => ['thanos-compact', 'thanos-store'].includes(o.metadata.name))).toEqual([]);
    expect(find('north-s3', 'Deployment', 'thanos-query').spec.template.spec.containers[0].args).toEqual(
      expect.arrayContaining([
        '--grpc-server-tls-cert=/etc/thanos/tls/grpc-server/tls.crt',
        '--grpc-server-tls-client-ca=/etc/thanos/tls/grpc-server/ca.crt',
      ]),
    );
    expect(find('north-s3', 'Service', 'thanos-query-external').spec.type).toBe('LoadBalancer');
    expect(find('north-s3', 'ExternalSecret', 'thanos-objstore').spec.target.template.data['objstore.yml']).toContain(
      'bucket: fleet-metrics',
    );
    // The other leaf through a Gateway API v1 TLSRoute.
    expect(find('south-s3', 'TLSRoute', 'thanos-query-external')).toMatchObject({
      apiVersion: 'gateway.networking.k8s.io/v1',
      spec: {
        hostnames: ['grpc.south-1.example.com'],
        parentRefs: [{ name: 'edge-gateway', namespace: 'gateways', sectionName: 'thanos' }],
      },
    });
    // An agent: Prometheus in agent mode, nothing else of Thanos, no object-store Secret.
    const agent = find('edge-s3', 'StatefulSet', 'prometheus').spec.template.spec.containers;
    expect(agent.map((c: any) => c.name)).toEqual(['prometheus', 'config-reloader']);
    expect(agent[0].args).toEqual(expect.arrayContaining(['--agent', '--storage.agent.path=/prometheus']));
    expect(agent[0].args.filter((a: string) => a.startsWith('--storage.tsdb.'))).toEqual([]);
    expect(rendered.get('edge-s3')!.filter((o) => /thanos|objstore/.test(o.metadata.name) && o.kind !== 'ConfigMap')).toEqual([]);
  });

  it("promtool accepts the leaf's configuration (check config) and the agent's (check config --agent), which is an agent's", () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-promtool-'));
    const configOf = (name: string) => {
      const text = find(name, 'ConfigMap', 'prometheus-config').data['prometheus.yaml.tmpl'].replaceAll('$(POD_NAME)', 'prometheus-0');
      const path = join(dir, `${name}.yaml`);
      writeFileSync(path, stringify(forDebianPromtool(parse(text)).config));
      return { path, config: parse(text) };
    };
    const leaf = configOf('north-s3');
    const leafResult = promtool(['check', 'config', '--syntax-only', leaf.path]);
    expect(leafResult.output).toContain('SUCCESS');
    const agent = configOf('edge-s3');
    expect(agent.config.remote_write).toEqual([
      {
        name: 'hub-s3',
        url: 'https://receive.hub-1.example.com/api/v1/receive',
        tls_config: {
          ca_file: '/etc/prometheus/tls/remote-write-client/ca.crt',
          cert_file: '/etc/prometheus/tls/remote-write-client/tls.crt',
          key_file: '/etc/prometheus/tls/remote-write-client/tls.key',
          server_name: 'receive.hub-1.example.com',
        },
      },
    ]);
    expect(promtool(['check', 'config', '--syntax-only', '--agent', agent.path]).output).toContain('SUCCESS');
    // The check can fail: a leaf's configuration (alerting, rule_files) is no agent's.
    expect(promtool(['check', 'config', '--syntax-only', '--agent', leaf.path]).code).not.toBe(0);
  });

  it('passes check: every role renders with kustomize, validates against its schemas (Certificate, TLSRoute) and breaks no rule', () => {
    const result = run('check', '--format', 'json');
    expect(result.stderr).not.toMatch(/error:/);
    const errors = findings(result.stdout).filter((f) => f.severity === 'error');
    expect(errors).toEqual([]);
    expect(result.code).toBe(0);
    // Every object of the five overlays was read (the Certificates and the TLSRoute among them).
    const objects = [...rendered.values()].reduce((n, docs) => n + docs.length, 0);
    expect(JSON.parse(result.stdout).summary.objects).toBe(objects);
  });

  it('check --changed-since selects the whole fleet when one member changes, and nothing outside it', () => {
    writeIn(
      copy.root,
      'overlays/edge-s3/user/kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: []\npatches: []\n# touched\n',
    );
    const result = run('check', '--changed-since', 'HEAD', '--format', 'json');
    const selected = [...result.stderr.matchAll(/^check: overlay (\S+): (.*)$/gm)].map((m) => `${m[1]}: ${m[2]}`);
    expect(selected.map((line) => line.split(':')[0]).sort()).toEqual(['edge-s3', 'hub-s3', 'north-s3', 'south-s3']);
    expect(selected.find((line) => line.startsWith('north-s3'))).toMatch(/shares fleet 'hub-s3' with edge-s3/);
    gitIn(copy.root, 'checkout', '--', 'overlays/edge-s3/user/kustomization.yaml');
  });

  /** Errors of the fleet's overlays through `check --overlay`, and through `check --file` on their renders (the same copy). */
  const errorsBothWays = () => {
    const fleet = FLEET_REGISTRY.filter((o) => o.role !== undefined).map((o) => o.name);
    const seen = (f: Finding) => `${f.overlay} ${f.rule} ${f.kind}/${f.name}: ${f.message}`;
    const overlays = run('check', ...fleet.flatMap((name) => ['--overlay', name]), '--format', 'json');
    const folder = mkdtempSync(join(tmpdir(), 'thanos-ha-fleet-files-'));
    for (const name of fleet)
      writeFileSync(
        join(folder, `${name}.yaml`),
        execFileSync('kubectl', ['kustomize', join(copy.root, 'overlays', name)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
      );
    const files = run('check', '--file', folder, '--format', 'json');
    const errors = (stdout: string) =>
      findings(stdout)
        .filter((f) => f.severity === 'error')
        .map(seen)
        .sort();
    return {
      overlays: { code: overlays.code, errors: errors(overlays.stdout) },
      files: { code: files.code, errors: errors(files.stdout) },
    };
  };
  /** Hand patches in overlays' user components, as a user would write them (whole values, matched by name). */
  const patchOverlays = (patches: Record<string, Record<string, unknown>[]>) => {
    gitIn(copy.root, 'checkout', '--', 'overlays');
    for (const [name, objects] of Object.entries(patches)) {
      for (const [i, o] of objects.entries()) writeIn(copy.root, `overlays/${name}/user/patch-${i}.yaml`, stringify(o));
      writeIn(
        copy.root,
        `overlays/${name}/user/kustomization.yaml`,
        `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: []\npatches:\n${objects.map((_, i) => `  - path: patch-${i}.yaml\n`).join('')}`,
      );
    }
  };
  const agentConfig = (edit: (text: string) => string) => {
    const text = find('edge-s3', 'ConfigMap', 'prometheus-config').data['prometheus.yaml.tmpl'] as string;
    const edited = edit(text);
    expect(edited).not.toBe(text);
    return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'prometheus-config' }, data: { 'prometheus.yaml.tmpl': edited } };
  };

  // Each fleet mistake of issue 24 fails from files exactly as from the overlays: same errors, same overlays named.
  it.each([
    {
      mistake:
        "a leaf's Query serving a TLS Secret no Certificate produces; a leaf uploading to another bucket; an agent writing to the wrong path",
      patches: () => {
        const bucket = find('south-s3', 'ExternalSecret', 'thanos-objstore');
        const objstore = bucket.spec.target.template.data['objstore.yml'] as string;
        expect(objstore).toContain('fleet-metrics');
        return {
          'north-s3': [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              metadata: { name: 'thanos-query' },
              spec: { template: { spec: { volumes: [{ name: 'grpc-server-tls', secret: { secretName: 'hand-made-tls' } }] } } },
            },
          ],
          'south-s3': [
            {
              apiVersion: bucket.apiVersion,
              kind: 'ExternalSecret',
              metadata: { name: 'thanos-objstore' },
              spec: { target: { template: { data: { 'objstore.yml': objstore.replace('fleet-metrics', 'south-metrics') } } } },
            },
          ],
          'edge-s3': [agentConfig((t) => t.replace('/api/v1/receive', '/api/v1/write'))],
        };
      },
      expected: [
        /^north-s3 fleet-wiring \S+: .*comes from Secret hand-made-tls, which no Certificate \(or secret mode\) in north-s3 produces/,
        /^south-s3 fleet-wiring \S+: leaf south-s3's .* uploads to S3 south-metrics@\S+, which observer hub-s3's compactor does not compact/,
        /^edge-s3 fleet-wiring \S+: agent edge-s3 writes to https:\/\/receive\.hub-1\.example\.com\S*\/api\/v1\/write, not to observer hub-s3's Receive/,
      ],
    },
    {
      mistake: 'an agent writing over plain http',
      patches: () => ({ 'edge-s3': [agentConfig((t) => t.replaceAll('https://receive.hub-1', 'http://receive.hub-1'))] }),
      expected: [
        /^edge-s3 fleet-wiring \S+: agent edge-s3 writes to http:\/\/receive\.hub-1\.example\.com\S*, not to observer hub-s3's Receive/,
      ],
    },
    {
      mistake: 'an agent without the client certificate the Receive (with a client CA) demands',
      patches: () => ({ 'edge-s3': [agentConfig((t) => t.replace(/^ *(cert_file|key_file): .*\n/gm, ''))] }),
      expected: [/^edge-s3 fleet-wiring \S+: agent edge-s3's remote_write to \S+ \(tls_config\) has no .*client certificate both ways/],
    },
  ])(
    'fails from files as from overlays: $mistake',
    ({ patches, expected }) => {
      patchOverlays(patches());
      try {
        const { overlays, files } = errorsBothWays();
        expect(files).toEqual(overlays);
        expect(overlays.code).toBe(1);
        for (const pattern of expected) expect(files.errors, `no error matches ${pattern}`).toContainEqual(expect.stringMatching(pattern));
      } finally {
        gitIn(copy.root, 'checkout', '--', 'overlays');
        execFileSync('git', ['-C', copy.root, 'clean', '-fdq', 'overlays']);
      }
      // Two checks of the fleet and four renders, on a shared machine.
    },
    240_000,
  );

  it('catches the held-out mistakes with exit 1, naming the overlays involved', () => {
    // The observer's Query loses leaf north and verifies a name south's certificate does not hold (a hand patch).
    const query = find('hub-s3', 'Deployment', 'thanos-query').spec.template.spec.containers[0];
    const args = (query.args as string[]).map((a) => {
      if (!a.startsWith('--endpoint.sd-config=')) return a;
      const sd = parse(a.slice('--endpoint.sd-config='.length));
      sd.endpoints = sd.endpoints.filter((e: any) => !String(e.address).startsWith('grpc.north-1'));
      for (const e of sd.endpoints) if (e.client_config) e.client_config.server_name = 'thanos.south-1.example.com';
      return `--endpoint.sd-config=${stringify(sd)}`;
    });
    const hubPatch = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'thanos-query' },
      spec: { template: { spec: { containers: [{ name: query.name, args }] } } },
    };
    writeIn(copy.root, 'overlays/hub-s3/user/query.yaml', stringify(hubPatch));
    writeIn(
      copy.root,
      'overlays/hub-s3/user/kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: []\npatches:\n  - path: query.yaml\n',
    );
    // The agent writes to another Receive.
    const config = find('edge-s3', 'ConfigMap', 'prometheus-config').data['prometheus.yaml.tmpl'].replace(
      'https://receive.hub-1.example.com/',
      'https://receive.other.example.com/',
    );
    writeIn(
      copy.root,
      'overlays/edge-s3/user/config.yaml',
      stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'prometheus-config' }, data: { 'prometheus.yaml.tmpl': config } }),
    );
    writeIn(
      copy.root,
      'overlays/edge-s3/user/kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: []\npatches:\n  - path: config.yaml\n',
    );
    // Leaf north runs its own compactor, the base's, on the shared bucket.
    writeIn(
      copy.root,
      'overlays/north-s3/user/kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - ../../../base/compact\npatches: []\n',
    );
    // Leaf south takes north's cluster label.
    const registry = FLEET_REGISTRY.map((o) =>
      o.name === 'south-s3' ? { ...o, overrides: { prometheus: { clusterLabel: 'north-1' } } } : o,
    );
    writeFileSync(join(copy.root, REGISTRY_PATH), registryText(registry));
    expect(run('generate').code).toBe(0);

    const result = run('check', '--format', 'json');
    expect(result.code).toBe(1);
    const errors = findings(result.stdout)
      .filter((f) => f.severity === 'error')
      .map((f) => `${f.overlay} ${f.rule}: ${f.message}`);
    const expected = [
      /^north-s3 fleet-wiring: leaf north-s3 \(grpc\.north-1\.example\.com:443\) is missing from observer hub-s3's Query endpoints/,
      /^hub-s3 fleet-wiring: observer hub-s3 verifies server name thanos\.south-1\.example\.com for leaf south-s3 \(grpc\.south-1\.example\.com:8443\), which is not in leaf south-s3's certificate thanos-query-grpc-server \(dnsNames: grpc\.south-1\.example\.com\)/,
      /^edge-s3 fleet-wiring: agent edge-s3 writes to https:\/\/receive\.other\.example\.com\/api\/v1\/receive, not to observer hub-s3's Receive \(https:\/\/receive\.hub-1\.example\.com\/api\/v1\/receive\)/,
      /^north-s3 compact-singleton: leaf north-s3 runs a compactor on S3 fleet-metrics@[^,]*, the bucket its observer hub-s3 compacts/,
      /^south-s3 fleet-wiring: leaf south-s3 and leaf north-s3 of fleet hub-s3 both label their data cluster="north-1"/,
    ];
    for (const pattern of expected) expect(errors, `no error matches ${pattern}`).toContainEqual(expect.stringMatching(pattern));
    // Nothing about the overlay outside the fleet.
    expect(errors.filter((e) => e.startsWith('solo-s3'))).toEqual([]);
    // The same mistakes from the renders as files: the same errors, on the same overlays.
    const { overlays, files } = errorsBothWays();
    expect(files).toEqual(overlays);
    expect(files.errors.length).toBeGreaterThanOrEqual(expected.length);
  }, 300_000);
});
