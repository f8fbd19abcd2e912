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
