import { describe } from 'vitest';
import { externalLabels } from './external-labels.js';
import { policyTable } from '../testing/rule-cases.js';
import { crossSetTable } from '../testing/cross-set-cases.js';
import { POD_ENV, goodContainer, workload, yamlOf } from '../testing/fixtures.js';

/** A hand-written Prometheus with a sidecar: config from a ConfigMap mounted with subPath, env substituted by the sidecar. */
const prometheus = (name: string, config: string, replicas = 2) => `
apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}-config}
data:
  prometheus.yml: |
${config
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  serviceName: ${name}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: prometheus
        image: prom/prometheus:v2.53.0
        args: [--config.file, /etc/prometheus/prometheus.yml]
        volumeMounts: [{name: config, mountPath: /etc/prometheus/prometheus.yml, subPath: prometheus.yml}]
      - name: thanos
        image: thanosio/thanos:v0.42.4
        args: [sidecar, --tsdb.path=/prometheus]
        env: [{name: HOST, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
      volumes: [{name: config, configMap: {name: ${name}-config}}]
`;

policyTable(externalLabels, [
  {
    name: 'passes: a per-pod label through --config.file with subPath',
    yaml: prometheus('prom', 'global:\n  external_labels:\n    cluster: eu\n    replica: $(HOST)'),
    expect: {},
  },
  {
    name: 'fails: no external labels; the same labels on every replica',
    yaml: `${prometheus('none', 'global:\n  scrape_interval: 30s')}---${prometheus('same', 'global:\n  external_labels:\n    cluster: eu')}`,
    expect: {
      'StatefulSet/none': [/has no global.external_labels; the Thanos sidecar refuses to start/],
      'StatefulSet/same': [/2 replicas share the external labels cluster=eu/],
    },
  },
  {
    name: 'fails (warning): config ConfigMap missing from the input',
    yaml: prometheus('lost', 'global: {}').replace(/^apiVersion: v1\nkind: ConfigMap[\s\S]*?---/m, ''),
    expect: { 'StatefulSet/lost': [/warning: cannot see the Prometheus config to check external labels: ConfigMap lost-config/] },
  },
]);

// --- The cluster label on a Ruler or Receive, and two overlays writing the same labels into one bucket ---

const clusterNamespace = (cluster: string) =>
  yamlOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'mon', labels: { 'thanos-ha.dev/cluster': cluster } } });
const objstoreSecret = (bucket: string, prefix?: string) =>
  yamlOf({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'thanos-objstore', namespace: 'mon' },
    stringData: { 'objstore.yml': `type: GCS\nconfig:\n  bucket: ${bucket}\n${prefix ? `prefix: ${prefix}\n` : ''}` },
  });
/** A Thanos Ruler or Receive with its labels as flags, its objstore config from the Secret above. */
const thanos = (subcommand: 'rule' | 'receive', labels: string[], annotations?: Record<string, string>) =>
  yamlOf(
    workload({
      kind: 'StatefulSet',
      name: `thanos-${subcommand}`,
      namespace: 'mon',
      annotations,
      containers: [
        goodContainer({
          args: [subcommand, ...labels.map((l) => `--label=${l}`), '--objstore.config-file=/etc/thanos/objstore.yml'],
          env: POD_ENV,
          volumeMounts: [{ name: 'objstore', mountPath: '/etc/thanos' }],
        }),
      ],
      volumes: [{ name: 'objstore', secret: { secretName: 'thanos-objstore' } }],
    }),
  );
const fleet = { 'thanos-ha.dev/data-scope': 'fleet' };

policyTable(externalLabels, [
  {
    name: 'passes: a Ruler and a Receive of one cluster carry its label; a fleet Ruler carries none',
    yaml: [
      clusterNamespace('eu-1'),
      thanos('rule', ['cluster="eu-1"', 'rule_replica="$(POD_NAME)"']),
      thanos('receive', ['cluster="eu-1"', 'receive_replica="$(POD_NAME)"']),
    ].join('---\n'),
    expect: {},
  },
  {
    name: 'passes: a fleet Ruler without a cluster label; manifests that name no cluster are not judged',
    yaml: [thanos('rule', ['rule_replica="$(POD_NAME)"'], fleet), thanos('receive', ['receive_replica="$(POD_NAME)"'])].join('---\n'),
    expect: {},
  },
  {
    name: 'fails (warning): a Ruler and a Receive of cluster eu-1 without its label',
    yaml: [
      clusterNamespace('eu-1'),
      thanos('rule', ['rule_replica="$(POD_NAME)"']),
      thanos('receive', ['receive_replica="$(POD_NAME)"']),
    ].join('---\n'),
    expect: {
      'StatefulSet/thanos-rule': [
        /^warning: runs thanos rule without a cluster external label, though it serves only cluster eu-1: .* Add --label=cluster="eu-1"/,
      ],
      'StatefulSet/thanos-receive': [/^warning: runs thanos receive without a cluster external label, though it serves only cluster eu-1/],
    },
  },
  {
    name: 'fails: a Ruler that serves other clusters and still sets a cluster label',
    yaml: thanos('rule', ['cluster="hub"', 'rule_replica="$(POD_NAME)"'], fleet),
    expect: {
      'StatefulSet/thanos-rule': [
        /^error: runs thanos rule that serves other clusters' data \(thanos-ha.dev\/data-scope: fleet\) but sets --label=cluster="hub": Thanos external labels overwrite/,
      ],
    },
  },
  {
    name: 'passes: two stacks of one input on their own buckets; two Rulers of different names on one bucket (their pod names differ)',
    yaml: yamlOf(
      ...['a', 'b'].map((ns) => ({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'o', namespace: ns },
        stringData: { 'objstore.yml': `type: GCS\nconfig: {bucket: ${ns}}\n` },
      })),
      ...['a', 'b'].map((ns) =>
        workload({
          kind: 'StatefulSet',
          name: 'rule',
          namespace: ns,
          volumes: [{ name: 'o', secret: { secretName: 'o' } }],
          containers: [
            goodContainer({
              args: ['rule', '--label=cluster="eu"', '--label=rule_replica="$(POD_NAME)"', '--objstore.config-file=/etc/o/objstore.yml'],
              env: POD_ENV,
              volumeMounts: [{ name: 'o', mountPath: '/etc/o' }],
            }),
          ],
        }),
      ),
      ...['rule-x', 'rule-y'].map((name) =>
        workload({
          kind: 'StatefulSet',
          name,
          namespace: 'a',
          volumes: [{ name: 'o', secret: { secretName: 'o' } }],
          containers: [
            goodContainer({
              args: ['rule', '--label=cluster="eu"', '--label=rule_replica="$(POD_NAME)"', '--objstore.config-file=/etc/o/objstore.yml'],
              env: POD_ENV,
              volumeMounts: [{ name: 'o', mountPath: '/etc/o' }],
            }),
          ],
        }),
      ),
    ),
    expect: {},
  },
  {
    name: 'fails: two stacks of one input (two namespaces) upload to one bucket with the same labels, each named with the other',
    yaml: yamlOf(
      ...['a', 'b'].map((ns) => ({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'o', namespace: ns },
        stringData: { 'objstore.yml': 'type: GCS\nconfig: {bucket: shared}\n' },
      })),
      ...['a', 'b'].map((ns) =>
        workload({
          kind: 'StatefulSet',
          name: 'rule',
          namespace: ns,
          volumes: [{ name: 'o', secret: { secretName: 'o' } }],
          containers: [
            goodContainer({
              args: ['rule', '--label=cluster="eu"', '--label=rule_replica="$(POD_NAME)"', '--objstore.config-file=/etc/o/objstore.yml'],
              env: POD_ENV,
              volumeMounts: [{ name: 'o', mountPath: '/etc/o' }],
            }),
          ],
        }),
      ),
    ),
    expect: {
      'StatefulSet/rule': [
        /thanos rule StatefulSet a\/rule and thanos rule StatefulSet b\/rule upload to the same bucket GCS shared with the same external labels \{cluster=eu, rule_replica=<per pod>\}/,
        /thanos rule StatefulSet b\/rule and thanos rule StatefulSet a\/rule upload/,
      ],
    },
  },
]);

crossSetTable(externalLabels, [
  {
    name: 'passes: one bucket with distinct cluster labels; the same labels in two buckets; one bucket under two prefixes',
    sets: {
      'prod-a': [objstoreSecret('metrics'), thanos('receive', ['cluster="a"', 'receive_replica="$(POD_NAME)"'])].join('---\n'),
      'prod-b': [objstoreSecret('metrics'), thanos('receive', ['cluster="b"', 'receive_replica="$(POD_NAME)"'])].join('---\n'),
      'prod-c': [objstoreSecret('other'), thanos('receive', ['cluster="a"', 'receive_replica="$(POD_NAME)"'])].join('---\n'),
      'prod-d': [objstoreSecret('metrics', 'team-d'), thanos('receive', ['cluster="a"', 'receive_replica="$(POD_NAME)"'])].join('---\n'),
    },
    expect: {},
  },
  {
    name: 'fails: two overlays upload to one bucket with the same labels, replica values aside',
    sets: {
      'prod-a': [objstoreSecret('metrics'), thanos('rule', ['cluster="main"', 'rule_replica="$(POD_NAME)"'])].join('---\n'),
      'prod-b': [objstoreSecret('metrics'), thanos('rule', ['cluster="main"', 'rule_replica="$(POD_NAME)"'])].join('---\n'),
    },
    expect: {
      'prod-a StatefulSet/thanos-rule': [
        /^error: overlay prod-a \(thanos rule, StatefulSet mon\/thanos-rule\) and overlay prod-b \(thanos rule, StatefulSet mon\/thanos-rule\) upload to the same bucket GCS metrics with the same external labels \{cluster=main, rule_replica=<per pod>\}: the compactor sees overlapping blocks and halts/,
      ],
      'prod-b StatefulSet/thanos-rule': [/^error: overlay prod-b .* and overlay prod-a .* upload to the same bucket GCS metrics/],
    },
  },
]);

describe('external-labels (mutation)', () => {
  const rule = (name: string, labels: string[], ns = 'mon') =>
    workload({
      kind: 'StatefulSet',
      name,
      namespace: ns,
      volumes: [{ name: 'objstore', secret: { secretName: 'thanos-objstore' } }],
      containers: [
        goodContainer({
          args: ['rule', ...labels.map((l) => `--label=${l}`), '--objstore.config-file=/etc/thanos/objstore.yml'],
          env: POD_ENV,
          volumeMounts: [{ name: 'objstore', mountPath: '/etc/thanos' }],
        }),
      ],
    });
  policyTable(externalLabels, [
    {
      name: 'passes: one Prometheus replica needs no per-pod label; a Prometheus without a Thanos sidecar is not judged',
      yaml: [
        prometheus('single', 'global:\n  external_labels:\n    cluster: eu', 1),
        prometheus('plain', 'global:\n  scrape_interval: 30s').replace(/ {6}- name: thanos\n[\s\S]*?(?= {6}volumes:)/, ''),
      ].join('---'),
      expect: {},
    },
    {
      // The sidecar refuses to start without external labels, an empty map included: "no external labels configured on Prometheus server" (T@v0.42.4:cmd/thanos/sidecar.go:269-270).
      name: 'fails: an empty external_labels map; three replicas sharing two labels, all named',
      yaml: [
        prometheus('empty', 'global:\n  external_labels: {}'),
        prometheus('shared', 'global:\n  external_labels:\n    cluster: eu\n    env: prod', 3),
      ].join('---'),
      expect: {
        'StatefulSet/empty': [/^error: .* has no global\.external_labels; the Thanos sidecar refuses to start without them$/],
        'StatefulSet/shared': [
          /^error: 3 replicas share the external labels cluster=eu, env=prod; one label must differ per replica \(e\.g\. prometheus_replica: \$\(POD_NAME\)\) or their blocks collide$/,
        ],
      },
    },
    {
      name: 'warns: a Ruler without a cluster label beside a Prometheus whose labels name the cluster (no cluster Namespace label)',
      yaml: [
        prometheus('prom', 'global:\n  external_labels:\n    cluster: eu-2\n    replica: $(HOST)'),
        objstoreSecret('metrics'),
        yamlOf(rule('thanos-rule', ['rule_replica="$(POD_NAME)"'])),
      ].join('---\n'),
      expect: {
        'StatefulSet/thanos-rule': [
          /^warning: runs thanos rule without a cluster external label, though it serves only cluster eu-2: .* Add --label=cluster="eu-2"/,
        ],
      },
    },
    {
      name: 'fails: two Rulers of different names with no per-pod label upload the same labels to one bucket (their blocks collide)',
      yaml: [objstoreSecret('metrics'), yamlOf(rule('rule-x', ['cluster="eu"']), rule('rule-y', ['cluster="eu"']))].join('---\n'),
      expect: {
        'StatefulSet/rule-x': [
          /^error: thanos rule StatefulSet mon\/rule-x and thanos rule StatefulSet mon\/rule-y upload to the same bucket GCS metrics with the same external labels \{cluster=eu\}: the compactor sees overlapping blocks and halts, and a query cannot tell them apart$/,
        ],
        'StatefulSet/rule-y': [
          /^error: thanos rule StatefulSet mon\/rule-y and thanos rule StatefulSet mon\/rule-x upload to the same bucket/,
        ],
      },
    },
  ]);
  const bare = (name: string, args: string[]) =>
    workload({
      kind: 'StatefulSet',
      name,
      namespace: 'mon',
      volumes: [{ name: 'objstore', secret: { secretName: 'thanos-objstore' } }],
      containers: [goodContainer({ args, env: POD_ENV, volumeMounts: [{ name: 'objstore', mountPath: '/etc/thanos' }] })],
    });
  policyTable(externalLabels, [
    {
      // T@v0.42.4 pkg/shipper/shipper.go:503-518 attaches the labels and calls block.Upload, which refuses a block
      // without any (pkg/block/block.go:132-135); cmd/thanos/rule.go:917-920 only logs the error, every 30s.
      name: 'fails: two Rulers without any --label on one bucket upload no block at all (T@v0.42.4 pkg/block/block.go:132-135, pkg/shipper/shipper.go:518); a Receive without --label exits (cmd/thanos/receive.go:81-83)',
      yaml: [
        prometheus('prom', 'global:\n  external_labels:\n    cluster: eu-2\n    replica: $(HOST)'),
        objstoreSecret('metrics'),
        yamlOf(rule('rule-x', []), rule('rule-y', []), bare('receive', ['receive', '--objstore.config-file=/etc/thanos/objstore.yml'])),
      ].join('---\n'),
      expect: {
        'StatefulSet/rule-x': [
          /^error: container app: thanos rule uploads no block to its bucket without --label: the shipper refuses each one \("empty external labels are not allowed for Thanos block."\) and only logs a warning every 30s, so its rule results stay on its volume until --tsdb.retention deletes them; add --label=rule_replica="\$\(POD_NAME\)" and a cluster label$/,
        ],
        'StatefulSet/rule-y': [/^error: container app: thanos rule uploads no block to its bucket without --label/],
        'StatefulSet/receive': [
          /^error: container app: thanos receive exits at start without --label \("no external labels configured for receive"\); add --label=receive_replica="\$\(POD_NAME\)" and a cluster label$/,
        ],
      },
    },
    {
      name: 'passes: Rulers without --label that upload nothing anyway: stateless with --remote-write.config, or with no bucket',
      yaml: yamlOf(
        bare('stateless', [
          'rule',
          '--remote-write.config=remote_write: [{url: http://receive:19291/api/v1/receive}]',
          '--objstore.config-file=/etc/thanos/objstore.yml',
        ]),
        bare('no-bucket', ['rule']),
      ),
      expect: {},
    },
  ]);
  crossSetTable(externalLabels, [
    {
      name: 'passes: two Rulers of one overlay are judged by check, not across overlays; overlays whose bucket is not rendered are not compared',
      sets: {
        one: [objstoreSecret('metrics'), yamlOf(rule('rule-x', ['cluster="eu"']), rule('rule-y', ['cluster="eu"']))].join('---\n'),
        'hidden-a': yamlOf(rule('rule', ['cluster="eu"'])),
        'hidden-b': yamlOf(rule('rule', ['cluster="eu"'])),
      },
      expect: {},
    },
    {
      name: 'fails: a labelled Ruler in each of three overlays on one bucket names each other overlay',
      sets: Object.fromEntries(
        ['a', 'b', 'c'].map((set) => [set, [objstoreSecret('metrics'), yamlOf(rule('rule', ['cluster="eu"']))].join('---\n')]),
      ),
      expect: {
        'a StatefulSet/rule': [/^error: overlay a .* and overlay b /, /^error: overlay a .* and overlay c /],
        'b StatefulSet/rule': [/^error: overlay b .* and overlay a /, /^error: overlay b .* and overlay c /],
        'c StatefulSet/rule': [/^error: overlay c .* and overlay a /, /^error: overlay c .* and overlay b /],
      },
    },
  ]);
});
