import { describe } from 'vitest';
import { goodContainer, POD_ENV, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { receiveHashring } from './receive-hashring.js';

const hashring = (endpoints: unknown[], ns = 'monitoring', ring: Record<string, unknown> = {}, more: unknown[] = []) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'hashring', namespace: ns },
  data: { 'hashrings.json': JSON.stringify([{ hashring: 'default', endpoints, ...ring }, ...more], null, 2) },
});
const headless = (name: string, ns = 'monitoring') => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { clusterIP: 'None', selector: { app: name }, ports: [{ name: 'grpc', port: 10901 }] },
});
const receive = (name: string, replicas: number, args: string[], ns = 'monitoring', tag = 'v0.42.4') =>
  workload({
    kind: 'StatefulSet',
    name,
    namespace: ns,
    replicas,
    serviceName: name,
    containers: [
      goodContainer({
        image: `quay.io/thanos/thanos:${tag}`,
        args: ['receive', '--receive.hashrings-file=/etc/hashring/hashrings.json', ...args],
        env: POD_ENV,
        volumeMounts: [{ name: 'hr', mountPath: '/etc/hashring' }],
      }),
    ],
    volumes: [{ name: 'hr', configMap: { name: 'hashring' } }],
  });
const local = '--receive.local-endpoint=$(POD_NAME).thanos-receive.$(NAMESPACE).svc.cluster.local:10901';
const three = [0, 1, 2].map((i) => `thanos-receive-${i}.thanos-receive.monitoring.svc.cluster.local:10901`);

policyTable(receiveHashring, [
  {
    // az needs ketama: T@v0.42.4:pkg/receive/hashring.go:95-99 (hashmod refuses it)
    name: 'passes: hashring = pods, local endpoint in it, replication 2 of 3; object endpoints with az on ketama; --flag value form',
    yaml: yamlOf(
      hashring([three[0], { address: three[1], az: 'a' }, three[2]], 'monitoring', { algorithm: 'ketama' }),
      headless('thanos-receive'),
      receive('thanos-receive', 3, [local, '--receive.replication-factor', '2']),
    ),
    expect: {},
  },
  {
    name: 'passes: short pod.service:port entries (namespace from the search path)',
    yaml: yamlOf(
      hashring(['r-0.r:10901', 'r-1.r:10901']),
      headless('r'),
      receive('r', 2, ['--receive.local-endpoint', '$(POD_NAME).r:10901']),
    ),
    expect: {},
  },
  {
    name: 'fails: hashring in the wrong namespace, one pod missing, replication above endpoints, wrong port',
    yaml: yamlOf(
      hashring([
        'thanos-receive-0.thanos-receive.default.svc.cluster.local:10901',
        'thanos-receive-1.thanos-receive.monitoring.svc.cluster.local:19291',
        'thanos-receive-7.thanos-receive.monitoring.svc.cluster.local:10901',
      ]),
      headless('thanos-receive'),
      receive('thanos-receive', 3, [local, '--receive.replication-factor=4']),
    ),
    expect: {
      'StatefulSet/thanos-receive': [
        /replication-factor=4 exceeds the 3 endpoints/,
        /entry thanos-receive-0.thanos-receive.default.svc.cluster.local:10901 does not match a Receive pod: pod thanos-receive-0 is in namespace monitoring, not default/,
        /entry thanos-receive-1\.\S+:19291 does not match a Receive pod: pod thanos-receive-1 serves gRPC on port 10901/,
        /entry thanos-receive-7\S+ does not match a Receive pod: StatefulSet thanos-receive has 3 replicas/,
        /pod thanos-receive-0's --receive.local-endpoint thanos-receive-0.thanos-receive.monitoring.svc.cluster.local:10901 is not an entry/,
        /pod thanos-receive-1's --receive.local-endpoint/,
        /pod thanos-receive-2's --receive.local-endpoint/,
        /pod thanos-receive-0 \(\S+\) is not in the hashring/,
        /pod thanos-receive-1 \(\S+\) is not in the hashring/,
        /pod thanos-receive-2 \(\S+\) is not in the hashring/,
      ],
    },
  },
  {
    name: 'fails: hashring ConfigMap not in the input is reported, not a crash',
    yaml: yamlOf(headless('thanos-receive'), receive('thanos-receive', 1, [local])),
    expect: {
      'StatefulSet/thanos-receive': [
        /warning: container app: cannot check the hashring: ConfigMap hashring \(mounted for \/etc\/hashring\/hashrings.json\) is not in the input/,
      ],
    },
  },
  {
    name: 'passes: a router (hashring, no local endpoint) in front of ingesting receivers',
    yaml: yamlOf(
      hashring(three),
      headless('thanos-receive'),
      receive('thanos-receive', 3, [local]),
      receive('thanos-receive-router', 2, []),
    ),
    expect: {},
  },
  {
    // A router's own pods in its hashring are receive-topology's finding (receive-topology.test.ts), not repeated here.
    name: 'fails: a hashrings file key missing from its ConfigMap; passes over a router listing its own pods',
    yaml: yamlOf(
      hashring(['router-0.router.monitoring.svc.cluster.local:10901']),
      headless('router'),
      receive('router', 1, []),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other', namespace: 'monitoring' }, data: { 'wrong.json': '[]' } },
      workload({
        kind: 'StatefulSet',
        name: 'r2',
        containers: [
          goodContainer({
            args: ['receive', '--receive.hashrings-file=/etc/h/hashrings.json'],
            volumeMounts: [{ name: 'h', mountPath: '/etc/h' }],
          }),
        ],
        volumes: [{ name: 'h', configMap: { name: 'other' } }],
      }),
    ),
    expect: {
      'StatefulSet/r2': [/ConfigMap other has no key hashrings.json .*receive cannot start/],
    },
  },
  {
    // T@v0.42.4:pkg/receive/hashring.go:95-99 newSimpleHashring refuses az; cmd/thanos/receive.go:662-665 returns the error (exit)
    name: 'fails: az on the default hashmod algorithm and on an explicit hashmod ring; warns: an algorithm receive does not know',
    yaml: yamlOf(
      hashring([three[0], { address: three[1], az: 'a' }, three[2]], 'monitoring', {}, [
        { hashring: 'b', tenants: ['t'], algorithm: 'hashmod', endpoints: [{ address: three[0], az: 'a' }] },
        { hashring: 'c', tenants: ['u'], algorithm: 'ketam', endpoints: [three[1]] },
      ]),
      headless('thanos-receive'),
      receive('thanos-receive', 3, [local]),
    ),
    expect: {
      'StatefulSet/thanos-receive': [
        /error: .*thanos receive v0\.42 exits at start: hashring default gives endpoints an az, and it is hashed with --receive\.hashrings-algorithm=hashmod \(the default\)/,
        /error: .*hashring b gives endpoints an az, and it is hashed with algorithm hashmod/,
        /warning: .*hashring c has algorithm ketam, which thanos receive does not know/,
      ],
    },
  },
  {
    name: 'passes: az with --receive.hashrings-algorithm=ketama for every ring',
    yaml: yamlOf(
      hashring([three[0], { address: three[1], az: 'a' }, { address: three[2], az: 'b' }]),
      headless('thanos-receive'),
      receive('thanos-receive', 3, [local, '--receive.hashrings-algorithm=ketama']),
    ),
    expect: {},
  },
  {
    // Endpoints were []string up to v0.31 (T@v0.31.0:pkg/receive/config.go:45); the file is validated at start (cmd/thanos/receive.go:456-460)
    name: 'fails: object endpoints on a v0.31 receive',
    yaml: yamlOf(
      hashring([three[0], { address: three[1] }, three[2]]),
      headless('thanos-receive'),
      receive('thanos-receive', 3, [local], 'monitoring', 'v0.31.0'),
    ),
    expect: {
      'StatefulSet/thanos-receive': [/error: .*thanos receive v0\.31 exits at start: hashring default lists endpoints as objects/],
    },
  },
  {
    // T@v0.42.4:pkg/receive/hashring.go:318-345: a ring without tenants matches every tenant; otherwise "no matching hashring to handle tenant"
    name: 'warns: every ring lists tenants and none is the default tenant; passes: a glob that matches it, or a catch-all ring',
    yaml: yamlOf(
      hashring(three, 'monitoring', { tenants: ['team-a'] }, [{ hashring: 'b', tenants: ['team-b'], endpoints: [] }]),
      headless('thanos-receive'),
      receive('thanos-receive', 3, [local]),
    ),
    expect: {
      'StatefulSet/thanos-receive': [
        /warning: .*every hashring lists tenants and none matches the default tenant default-tenant: thanos receive refuses every write without a tenant header/,
        /hashring b has no endpoints/,
      ],
    },
  },
  {
    name: 'passes: tenants with a glob matching the default tenant',
    yaml: yamlOf(
      hashring(three, 'monitoring', { tenants: ['default-*'], tenant_matcher_type: 'glob' }),
      headless('thanos-receive'),
      receive('thanos-receive', 3, [local]),
    ),
    expect: {},
  },
  {
    name: 'warns: a custom --receive.default-tenant-id no ring lists',
    yaml: yamlOf(
      hashring(three, 'monitoring', { tenants: ['default-tenant'] }),
      headless('thanos-receive'),
      receive('thanos-receive', 3, [local, '--receive.default-tenant-id=anonymous']),
    ),
    expect: { 'StatefulSet/thanos-receive': [/none matches the default tenant anonymous/] },
  },
]);

describe('receive-hashring (mutation)', () => {
  /** A Receive reading its hashring from --receive.hashrings (inline JSON): no ConfigMap. */
  const inline = (name: string, replicas: number, json: string | undefined, args: string[] = [], tag = 'v0.42.4') =>
    workload({
      kind: 'StatefulSet',
      name,
      replicas,
      serviceName: name,
      containers: [
        goodContainer({
          image: `quay.io/thanos/thanos:${tag}`,
          args: ['receive', ...(json === undefined ? [] : [`--receive.hashrings=${json}`]), ...args],
          env: POD_ENV,
        }),
      ],
    });
  const pods = (name: string, n: number, ns = 'monitoring') =>
    Array.from({ length: n }, (_, i) => `${name}-${i}.${name}.${ns}.svc.cluster.local:10901`);
  const localOf = (name: string) => `--receive.local-endpoint=$(POD_NAME).${name}.$(NAMESPACE).svc.cluster.local:10901`;
  policyTable(receiveHashring, [
    {
      // Endpoints as strings parse on every release (T@v0.31.0:pkg/receive/config.go:45, T@v0.42.4:pkg/receive/config.go:99-101);
      // an empty algorithm is the flag's (T@v0.42.4:pkg/receive/hashring.go:704-707); a ring without tenants is the catch-all (hashring.go:322-324).
      name: 'passes: an inline --receive.hashrings of strings on v0.31, an unnamed ring with an empty algorithm, replication equal to the ring size',
      yaml: yamlOf(
        headless('r'),
        inline(
          'r',
          2,
          JSON.stringify([{ endpoints: pods('r', 2), algorithm: '' }]),
          [localOf('r'), '--receive.replication-factor=2'],
          'v0.31.0',
        ),
      ),
      expect: {},
    },
    {
      // T@v0.42.4:pkg/receive/config.go:387-389 ParseConfig unmarshals a JSON list of hashring configs.
      name: 'fails: an inline hashring that is not JSON, and one that is a single ring object instead of a list',
      yaml: yamlOf(
        headless('a'),
        inline('a', 1, `[{"endpoints": ["${pods('a', 1)[0]}"]}`),
        headless('b'),
        inline('b', 1, JSON.stringify({ hashring: 'default', endpoints: pods('b', 1) })),
      ),
      expect: {
        'StatefulSet/a': [/^error: container app: hashring --receive\.hashrings is not valid JSON: /],
        'StatefulSet/b': [/^error: container app: hashring --receive\.hashrings is not a JSON list of hashrings$/],
      },
    },
    {
      name: 'warns: a --receive.local-endpoint on a Receive without any hashring',
      yaml: yamlOf(headless('solo'), inline('solo', 1, undefined, [localOf('solo')])),
      expect: {
        'StatefulSet/solo': [/^warning: container app: --receive\.local-endpoint is set but no hashring is configured$/],
      },
    },
    {
      name: 'fails: an unnamed ring listing the Service instead of pods, a pod under another Service, a pod of no Receive',
      yaml: yamlOf(
        headless('thanos-receive'),
        inline(
          'thanos-receive',
          3,
          JSON.stringify([
            {
              endpoints: [
                ...three,
                'thanos-receive:10901',
                'thanos-receive-0.receive-headless.monitoring.svc.cluster.local:10901',
                'ingestor-0.ingestor.monitoring.svc.cluster.local:10901',
              ],
            },
          ]),
          [local],
        ),
      ),
      expect: {
        'StatefulSet/thanos-receive': [
          /^error: container app: hashring #0 entry thanos-receive:10901 is not a StatefulSet pod address \(<pod>\.<service>\.<namespace>\.svc\.cluster\.local:<port>\)$/,
          /^error: container app: hashring #0 entry thanos-receive-0\.receive-headless\.monitoring\.svc\.cluster\.local:10901 does not match a Receive pod: pod thanos-receive-0's governing Service is thanos-receive, not receive-headless$/,
          /^error: container app: hashring #0 entry ingestor-0\.ingestor\.monitoring\.svc\.cluster\.local:10901 does not match a Receive pod: no Receive StatefulSet in the input has that pod$/,
        ],
      },
    },
    {
      name: 'fails: a governing Service that is not headless; warns: one missing from the input',
      yaml: yamlOf(
        { ...headless('with-ip'), spec: { ...headless('with-ip').spec, clusterIP: '10.0.0.7' } },
        inline('with-ip', 1, JSON.stringify([{ endpoints: pods('with-ip', 1) }]), [localOf('with-ip')]),
        inline('no-svc', 1, JSON.stringify([{ endpoints: pods('no-svc', 1) }]), [localOf('no-svc')]),
      ),
      expect: {
        'StatefulSet/with-ip': [
          /^error: governing Service with-ip is not headless \(clusterIP: None\), so pod DNS names in the hashring do not resolve$/,
        ],
        'StatefulSet/no-svc': [/^warning: governing Service no-svc is not in the input; the pod DNS names in the hashring need it$/],
      },
    },
    {
      // T@v0.42.4:pkg/receive/hashring.go:254-275: tenants match exactly unless tenant_matcher_type is glob (filepath.Match).
      name: 'warns: a glob pattern as an exact tenant does not catch the default tenant; passes: a ? glob that does',
      yaml: yamlOf(
        hashring(three, 'monitoring', { tenants: ['default-*'] }),
        headless('thanos-receive'),
        receive('thanos-receive', 3, [local]),
        hashring(pods('g', 1, 'glob'), 'glob', { tenants: ['default-tenan?'], tenant_matcher_type: 'glob' }),
        headless('g', 'glob'),
        receive('g', 1, [localOf('g')], 'glob'),
      ),
      expect: {
        'StatefulSet/thanos-receive': [
          /^warning: container app: every hashring lists tenants and none matches the default tenant default-tenant/,
        ],
      },
    },
    {
      // An unknown algorithm falls back to hashmod (T@v0.42.4:pkg/receive/hashring.go:753-761), which refuses az (hashring.go:95-99);
      // the flag is an enum of hashmod and ketama (cmd/thanos/receive.go:1025-1027).
      name: 'fails: az on an explicit --receive.hashrings-algorithm=hashmod, and on a ring whose unknown algorithm falls back to hashmod',
      yaml: yamlOf(
        hashring([three[0], { address: three[1], az: 'a' }, three[2]], 'monitoring', {}, [
          { hashring: 'typo', tenants: ['t'], algorithm: 'ketam', endpoints: [{ address: three[2], az: 'b' }] },
        ]),
        headless('thanos-receive'),
        receive('thanos-receive', 3, [local, '--receive.hashrings-algorithm=hashmod']),
      ),
      expect: {
        'StatefulSet/thanos-receive': [
          /^error: container app: thanos receive v0\.42 exits at start: hashring default gives endpoints an az, and it is hashed with --receive\.hashrings-algorithm=hashmod, which refuses zones/,
          /^warning: container app: hashring typo has algorithm ketam, which thanos receive does not know/,
          /^error: container app: thanos receive v0\.42 exits at start: hashring typo gives endpoints an az, and it is hashed with algorithm ketam, which refuses zones/,
        ],
      },
    },
  ]);
});
