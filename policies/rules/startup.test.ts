import { describe } from 'vitest';
import { goodContainer, POD_ENV, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { startup } from './startup.js';

const configMap = (name: string, key: string, text: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'monitoring' },
  data: { [key]: text },
});
const prometheus = (name: string, args: string[], sidecarArgs: string[], _template: string, env = POD_ENV) =>
  workload({
    kind: 'StatefulSet',
    name,
    volumes: [{ name: 'config', configMap: { name: `${name}-config` } }],
    containers: [
      goodContainer({
        name: 'prometheus',
        image: 'quay.io/prometheus/prometheus:v3.13.2',
        args,
        env,
        volumeMounts: [{ name: 'config', mountPath: '/etc/prometheus' }],
      }),
      goodContainer({
        name: 'sidecar',
        args: ['sidecar', ...sidecarArgs],
        env: POD_ENV,
        volumeMounts: [{ name: 'config', mountPath: '/etc/prometheus' }],
      }),
    ],
  });

policyTable(startup, [
  {
    name: 'passes: compact retentions above the minimums, quoted labels, defined variables, a plain agent',
    yaml: yamlOf(
      workload({
        kind: 'StatefulSet',
        name: 'compact',
        containers: [
          goodContainer({
            args: ['compact', '--retention.resolution-raw=30d', '--retention.resolution-5m=90d', '--retention.resolution-1h=0d'],
          }),
        ],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'short',
        containers: [goodContainer({ args: ['compact', '--retention.resolution-raw=1d', '--downsampling.disable'] })],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'ruler',
        containers: [
          goodContainer({
            env: POD_ENV,
            args: ['rule', '--label=replica="$(POD_NAME)"', '--label=cluster="eu-1"', '--data-dir=$$(literal)'],
          }),
        ],
      }),
      prometheus(
        'prom',
        ['--config.file=/etc/prometheus/out/prometheus.yaml'],
        ['--reloader.config-file=/etc/prometheus/prometheus.yaml.tmpl'],
        'x',
      ),
      configMap('prom-config', 'prometheus.yaml.tmpl', 'global:\n  external_labels: {replica: $(POD_NAME)}\n'),
      workload({
        name: 'agent',
        containers: [
          goodContainer({
            name: 'prometheus',
            image: 'quay.io/prometheus/prometheus:v3.13.2',
            env: POD_ENV,
            args: ['--agent', '--storage.agent.path=/data', '--config.file=/etc/p/p.yaml'],
            volumeMounts: [{ name: 'c', mountPath: '/etc/p' }],
          }),
        ],
        volumes: [{ name: 'c', configMap: { name: 'agent-config' } }],
      }),
      configMap(
        'agent-config',
        'p.yaml',
        'global:\n  external_labels: {replica: "${POD_NAME}"}\nremote_write: [{url: "http://receive:19291/api/v1/receive"}]\n',
      ),
    ),
    expect: {},
  },
  {
    name: 'fails: short retentions with downsampling, unquoted label, unknown $(VAR), template and ${VAR} without env, agent with server-only parts',
    yaml: yamlOf(
      workload({
        kind: 'StatefulSet',
        name: 'compact',
        containers: [goodContainer({ args: ['compact', '--retention.resolution-raw=1d', '--retention.resolution-5m=7d'] })],
      }),
      workload({ kind: 'StatefulSet', name: 'ruler', containers: [goodContainer({ args: ['rule', '--label=replica=$(POD_NAME)'] })] }),
      prometheus(
        'prom',
        ['--config.file=/etc/prometheus/prometheus.yaml'],
        ['--reloader.config-file=/etc/prometheus/prometheus.yaml.tmpl'],
        'x',
        [],
      ),
      configMap('prom-config', 'prometheus.yaml.tmpl', 'global:\n  external_labels: {shard: $(SHARD)}\n'),
      workload({
        name: 'agent',
        containers: [
          goodContainer({
            name: 'prometheus',
            image: 'quay.io/prometheus/prometheus:v3.13.2',
            args: ['--agent', '--storage.tsdb.retention.time=1d', '--config.file=/etc/p/p.yaml'],
            volumeMounts: [{ name: 'c', mountPath: '/etc/p' }],
          }),
        ],
        volumes: [{ name: 'c', configMap: { name: 'agent-config' } }],
      }),
      configMap('agent-config', 'p.yaml', 'global:\n  external_labels: {replica: "${POD_NAME}"}\nrule_files: [/etc/rules/*.yaml]\n'),
    ),
    expect: {
      'StatefulSet/compact': [/retention.resolution-raw=1d is below 40h/, /retention.resolution-5m=7d is below 10d/],
      'StatefulSet/ruler': [
        /--label=replica=\$\(POD_NAME\): the value .* is not a double-quoted string/,
        /\$\(POD_NAME\) in its arguments names no env var/,
      ],
      'StatefulSet/prom': [/config template .* uses \$\(SHARD\) and container sidecar has no env var SHARD/],
      'Deployment/agent': [
        /agent mode with server-only flags --storage.tsdb.retention.time/,
        /agent mode and its config has rule_files/,
        /external label replica: \$\{POD_NAME\} uses \$\{POD_NAME\} and container prometheus has no env var POD_NAME/,
      ],
    },
  },
  {
    name: 'fails: the Thanos image with flags but no command, a log level thanos does not have; a shell wrapper is not judged',
    yaml: yamlOf(
      workload({ name: 'bare', containers: [goodContainer({ args: ['--http-address=0.0.0.0:10902'] })] }),
      workload({
        name: 'loud',
        containers: [goodContainer({ args: ['query', '--log.level=verbose', '--log.format=json', '--debug.name=q'] })],
      }),
      workload({ name: 'wrapped', containers: [goodContainer({ command: ['sh', '-c'], args: ['exec thanos query'] })] }),
    ),
    expect: {
      'Deployment/bare': [/runs the Thanos image without a command .*thanos exits at start/],
      'Deployment/loud': [/--log.level=verbose is not one of error, warn, info, debug/],
    },
  },
  {
    name: 'agent mode: empty alerting and rule_files sections load; a server given --storage.agent.* and an agent given --web.search.max-limit exit',
    yaml: yamlOf(
      workload({
        name: 'agent',
        containers: [
          goodContainer({
            name: 'prometheus',
            image: 'quay.io/prometheus/prometheus:v3.13.2',
            args: ['--agent', '--config.file=/etc/p/p.yaml'],
            volumeMounts: [{ name: 'c', mountPath: '/etc/p' }],
          }),
        ],
        volumes: [{ name: 'c', configMap: { name: 'agent-config' } }],
      }),
      configMap('agent-config', 'p.yaml', 'alerting: {}\nrule_files: []\nremote_write: [{url: "http://receive:19291/api/v1/receive"}]\n'),
      workload({
        name: 'server',
        containers: [
          goodContainer({ name: 'prometheus', image: 'quay.io/prometheus/prometheus:v3.13.2', args: ['--storage.agent.path=/data'] }),
        ],
      }),
      workload({
        name: 'searcher',
        containers: [
          goodContainer({
            name: 'prometheus',
            image: 'quay.io/prometheus/prometheus:v3.13.2',
            args: ['--agent', '--web.search.max-limit=100'],
          }),
        ],
      }),
    ),
    expect: {
      'Deployment/server': [/server mode with agent-only flags --storage.agent.path/],
      'Deployment/searcher': [/agent mode with server-only flags --web.search.max-limit/],
    },
  },
  {
    name: 'query --selector-label is read like --label: quoted passes, bare fails',
    yaml: yamlOf(
      workload({ name: 'q-ok', containers: [goodContainer({ args: ['query', '--selector-label=region="eu"'] })] }),
      workload({ name: 'q-bad', containers: [goodContainer({ args: ['query', '--selector-label=region=eu'] })] }),
    ),
    expect: { 'Deployment/q-bad': [/--selector-label=region=eu: the value eu is not a double-quoted string; thanos query exits/] },
  },
  {
    // kingpin .Duration() parses with str2duration from v0.39 (T@v0.39.0:go.mod:119, kingpin v2.4.0 values.go:141-145)
    // and with Go's time.ParseDuration up to v0.38 (T@v0.38.0:go.mod:100,296, kingpin 17f40c2 values.go:141);
    // extkingpin.ModelDuration flags take Prometheus durations in every release (T@v0.42.4:pkg/extkingpin/flags.go:16-21).
    name: 'duration flags as the image release parses them: 1d passes on v0.42 and v0.39, fails on v0.38; model durations take y but no fraction',
    yaml: yamlOf(
      workload({
        kind: 'StatefulSet',
        name: 'rule-ok',
        containers: [
          goodContainer({
            args: ['rule', '--eval-interval=1d', '--tsdb.retention=1y', '--query.default-step=30s', '--for-grace-period=1.5h'],
          }),
        ],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'rule-v39',
        containers: [goodContainer({ image: 'quay.io/thanos/thanos:v0.39.2', args: ['rule', '--eval-interval=1d'] })],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'store-ok',
        containers: [
          goodContainer({
            image: 'quay.io/thanos/thanos:v0.38.0',
            // An IntVar (T@v0.38.0:cmd/thanos/store.go:145): kingpin Int parses a float (kingpin v2.2.6 values_generated.go:322-328).
            args: ['store', '--consistency-delay=1d', '--ignore-deletion-marks-delay=24h', '--store.grpc.series-max-concurrency=5e1'],
          }),
        ],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'store-hex-int',
        // strconv.ParseFloat reads 0x only as a hex float with a p exponent: kingpin Int refuses 0x14.
        containers: [
          goodContainer({ image: 'quay.io/thanos/thanos:v0.38.0', args: ['store', '--store.grpc.series-max-concurrency=0x14'] }),
        ],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'rule-v38',
        containers: [
          goodContainer({ image: 'quay.io/thanos/thanos:v0.38.0', args: ['rule', '--eval-interval=1d', '--tsdb.retention=1.5d'] }),
        ],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'compact-bad',
        containers: [goodContainer({ args: ['compact', '--consistency-delay=1y', '--compact.concurrency=two', '--delete-delay=48hours'] })],
      }),
    ),
    expect: {
      'StatefulSet/store-hex-int': [/thanos store v0.38 exits at start: --store.grpc.series-max-concurrency=0x14 is not a number/],
      'StatefulSet/rule-v38': [
        /thanos rule v0.38 exits at start: --eval-interval=1d is not a Go duration .*no days, weeks or years before v0.39: write 24h for 1d/,
        /thanos rule v0.38 exits at start: --tsdb.retention=1.5d is not a duration/,
      ],
      'StatefulSet/compact-bad': [
        /thanos compact v0.42 exits at start: --consistency-delay=1y is not a duration kingpin reads .*write 365d for 1y/,
        /--compact.concurrency=two is not a number/,
        /--delete-delay=48hours is not a duration/,
      ],
    },
  },
  {
    // .Bytes(): units.ParseBase2Bytes (kingpin v2.4.0 values.go:424-435; units@0f3dac36c52b bytes.go:23-37, si.go:16-25);
    // Enum: T@v0.42.4:cmd/thanos/query.go:87-88; a bool given a value: kingpin v2.4.0 flags.go:114-120, parser.go:382-383.
    name: 'byte sizes need a unit, enums take their listed values, a boolean takes no value',
    yaml: yamlOf(
      workload({
        kind: 'StatefulSet',
        name: 'store-ok',
        containers: [goodContainer({ args: ['store', '--index-cache-size=2GB', '--chunk-pool-size=2GiB', '--no-cache-index-header'] })],
      }),
      workload({
        name: 'query-ok',
        containers: [goodContainer({ args: ['query', '--query.promql-engine=thanos', '--query.auto-downsampling'] })],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'store-bad',
        containers: [
          goodContainer({ args: ['store', '--index-cache-size=2Gi', '--chunk-pool-size=2147483648', '--cache-index-header=false'] }),
        ],
      }),
      workload({
        name: 'query-bad',
        containers: [goodContainer({ args: ['query', '--query.promql-engine=Thanos', '--query.auto-downsampling=true'] })],
      }),
    ),
    expect: {
      'StatefulSet/store-bad': [
        /thanos store v0.42 exits at start: --index-cache-size=2Gi is not a byte size kingpin reads .*write 2GiB/,
        /--chunk-pool-size=2147483648 is not a byte size .*write 2147483648B/,
        /--cache-index-header=false gives a boolean flag a value.*"unexpected false".*write --cache-index-header to turn it on or --no-cache-index-header to turn it off/,
      ],
      'Deployment/query-bad': [
        /thanos query v0.42 exits at start: --query.promql-engine=Thanos is not one of prometheus, thanos/,
        /--query.auto-downsampling=true gives a boolean flag a value/,
      ],
    },
  },
  {
    name: '$(VAR) in a config file Thanos reads needs that env var in the container (defined: passes; missing: fails)',
    yaml: yamlOf(
      configMap(
        'objstore',
        'objstore.yml',
        'type: S3\nconfig: {bucket: b, endpoint: s3.amazonaws.com, access_key: $(AK), secret_key: $(SK)}\n',
      ),
      workload({
        kind: 'StatefulSet',
        name: 'store-ok',
        volumes: [{ name: 'o', configMap: { name: 'objstore' } }],
        containers: [
          goodContainer({
            args: ['store', '--objstore.config-file=/etc/o/objstore.yml'],
            volumeMounts: [{ name: 'o', mountPath: '/etc/o' }],
            env: [
              { name: 'AK', valueFrom: { secretKeyRef: { name: 's', key: 'ak' } } },
              { name: 'SK', valueFrom: { secretKeyRef: { name: 's', key: 'sk' } } },
            ],
          }),
        ],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'store-bad',
        volumes: [{ name: 'o', configMap: { name: 'objstore' } }],
        containers: [
          goodContainer({
            args: ['store', '--objstore.config-file=/etc/o/objstore.yml'],
            volumeMounts: [{ name: 'o', mountPath: '/etc/o' }],
            env: [{ name: 'AK', value: 'x' }],
          }),
        ],
      }),
    ),
    expect: {
      'StatefulSet/store-bad': [
        /--objstore.config-file=\/etc\/o\/objstore.yml uses \$\(SK\) and the container has no env var SK: thanos store exits/,
      ],
    },
  },
]);

const thanos = (
  name: string,
  args: string[],
  over: Record<string, unknown> = {},
  kind: 'Deployment' | 'StatefulSet' | 'Job' = 'Deployment',
) => workload({ kind, name, containers: [goodContainer({ args, ...over })] });
const promServer = (name: string, image: string, args: string[], config: string) => [
  workload({
    kind: 'StatefulSet',
    name,
    volumes: [{ name: 'c', configMap: { name: `${name}-config` } }],
    containers: [
      goodContainer({
        name: 'prometheus',
        image,
        args: ['--config.file=/etc/p/p.yaml', ...args],
        volumeMounts: [{ name: 'c', mountPath: '/etc/p' }],
      }),
    ],
  }),
  configMap(`${name}-config`, 'p.yaml', config),
];

describe('startup (mutation)', () => {
  policyTable(startup, [
    {
      // T@v0.42.4:cmd/thanos/compact.go:413-424 compares with `<` against pkg/compact/downsample/downsample.go:48-49 (40h, 10d);
      // 0d keeps a resolution forever and is never compared. `thanos tools bucket retention` takes the same flags
      // (cmd/thanos/tools_bucket.go:1357-1363) and checks nothing of the kind.
      name: 'passes: compact retentions of exactly 40h and 10d, 0d (forever); tools bucket retention is not compact',
      yaml: yamlOf(
        thanos('edge', ['compact', '--retention.resolution-raw=40h', '--retention.resolution-5m=10d'], {}, 'StatefulSet'),
        thanos('forever', ['compact', '--retention.resolution-raw=0d', '--retention.resolution-5m=0d'], {}, 'StatefulSet'),
        thanos('retention', ['tools', 'bucket', 'retention', '--retention.resolution-raw=1d', '--objstore.config-file=/o.yml'], {}, 'Job'),
      ),
      expect: {},
    },
    {
      name: 'fails: compact retentions of 39h (raw) and 9d (5m) with downsampling on, each quoting what compact logs',
      yaml: yamlOf(thanos('short', ['compact', '--retention.resolution-raw=39h', '--retention.resolution-5m=9d'], {}, 'StatefulSet')),
      expect: {
        'StatefulSet/short': [
          /^error: container app: --retention\.resolution-raw=39h is below 40h; with downsampling on, compact exits \("raw resolution must be higher than the minimum block size after which 5m resolution downsampling will occur"\)$/,
          /^error: container app: --retention\.resolution-5m=9d is below 10d; with downsampling on, compact exits \("5m resolution retention must be higher than the minimum block size after which 1h resolution downsampling will occur"\)$/,
        ],
      },
    },
    {
      // T@v0.42.4:cmd/thanos/config.go:327-341 parseFlagLabels: SplitN on "=", then strconv.Unquote of the value, which takes
      // "double", `raw` and a one-character 'r' rune literal; receive and rule register --label, query --selector-label.
      name: 'labels: a raw string and a one-character rune unquote; shell single quotes, a bare receive value and a missing = exit',
      yaml: yamlOf(
        thanos('rule-ok', ['rule', '--label=cluster=`eu-1`', "--label=shard='1'"], {}, 'StatefulSet'),
        thanos('rule-bad', ['rule', "--label=cluster='eu-1'", '--label=cluster'], {}, 'StatefulSet'),
        thanos('receive', ['receive', '--label=receive_replica=r0'], {}, 'StatefulSet'),
      ),
      expect: {
        'StatefulSet/rule-bad': [
          /^error: container app: --label=cluster='eu-1': the value 'eu-1' is not a double-quoted string; thanos rule exits \("unquote label value"\)\. Write --label=cluster="eu-1"$/,
          /^error: container app: --label=cluster is not name="value"; thanos rule exits \("unrecognized label"\)$/,
        ],
        'StatefulSet/receive': [/--label=receive_replica=r0: the value r0 is not a double-quoted string; thanos receive exits/],
      },
    },
    {
      // The image's entrypoint is /bin/thanos (T@v0.42.4:Dockerfile); with no command, or flags only, kingpin prints usage and
      // exits. An init container printing --version exits 0 on purpose.
      name: 'the Thanos image without a command: no args, a thanos path with flags only, a registry port and a digest; an init --version is fine',
      yaml: yamlOf(
        workload({ name: 'empty', containers: [goodContainer({ args: [] })] }),
        workload({ name: 'path', containers: [goodContainer({ command: ['/bin/thanos'], args: ['--log.level=info'] })] }),
        workload({ name: 'mirror', containers: [goodContainer({ image: 'registry.local:5000/thanos/thanos:v0.42.4', args: [] })] }),
        workload({
          name: 'digest',
          containers: [
            goodContainer({
              image: 'quay.io/thanos/thanos@sha256:0000000000000000000000000000000000000000000000000000000000000000',
              args: [],
            }),
          ],
        }),
        workload({
          name: 'with-init',
          initContainers: [goodContainer({ name: 'version', args: ['--version'] })],
          containers: [goodContainer({ args: ['query'] })],
        }),
        workload({ name: 'alertmanager', containers: [goodContainer({ image: 'quay.io/prometheus/alertmanager:v0.32.1', args: [] })] }),
      ),
      expect: {
        'Deployment/empty': [
          /^error: container app: runs the Thanos image without a command \(sidecar, query, store\.\.\.\); thanos exits at start$/,
        ],
        'Deployment/path': [/runs the Thanos image without a command/],
        'Deployment/mirror': [/runs the Thanos image without a command/],
        'Deployment/digest': [/runs the Thanos image without a command/],
      },
    },
    {
      name: '$(VAR) in command and args: named once however often; envFrom may define it, so that container is not judged',
      yaml: yamlOf(
        workload({
          name: 'query',
          containers: [
            goodContainer({
              command: ['thanos', 'query', '--query.replica-label=$(REPLICA_LABEL)'],
              args: ['--selector-label=replica="$(REPLICA_LABEL)"'],
            }),
          ],
        }),
        workload({
          name: 'from-configmap',
          containers: [
            goodContainer({
              args: ['query', '--query.replica-label=$(REPLICA_LABEL)'],
              envFrom: [{ configMapRef: { name: 'query-env' } }],
            }),
          ],
        }),
      ),
      expect: {
        'Deployment/query': [
          /^error: container app: \$\(REPLICA_LABEL\) in its arguments names no env var of the container; Kubernetes passes "\$\(REPLICA_LABEL\)" through literally$/,
        ],
      },
    },
    {
      // Substitution in config files from v0.22 (T@v0.22.0:pkg/extkingpin/flags.go:60-64 extflag.WithEnvSubstitution on the objstore
      // flags; T@v0.21.1:pkg/extkingpin/flags.go:61 registers them without): v0.21 passes $(SK) through as text.
      name: '$(VAR) in an objstore file: v0.21 does not substitute (starts); v0.22 does and exits on an unset one',
      yaml: yamlOf(
        configMap(
          'objstore',
          'objstore.yml',
          'type: S3\nconfig: {bucket: b, endpoint: s3.amazonaws.com, access_key: $(AK), secret_key: $(SK)}\n',
        ),
        ...['v0.21.1', 'v0.22.0'].map((tag) =>
          workload({
            kind: 'StatefulSet',
            name: `store-${tag}`,
            volumes: [{ name: 'o', configMap: { name: 'objstore' } }],
            containers: [
              goodContainer({
                image: `quay.io/thanos/thanos:${tag}`,
                args: ['store', '--objstore.config-file=/etc/o/objstore.yml'],
                volumeMounts: [{ name: 'o', mountPath: '/etc/o' }],
                env: [{ name: 'AK', value: 'x' }],
              }),
            ],
          }),
        ),
      ),
      expect: {
        'StatefulSet/store-v0.22.0': [
          /^error: container app: --objstore\.config-file=\/etc\/o\/objstore\.yml uses \$\(SK\) and the container has no env var SK: thanos store exits \("found reference to unset environment variable"\)$/,
        ],
      },
    },
    {
      // T@v0.42.4:pkg/reloader/reloader.go:717 "found reference to unset environment variable": the sidecar's reloader only.
      name: 'the config template: the sidecar with the env var passes; the message names the template and the sidecar container',
      yaml: yamlOf(
        prometheus(
          'ok',
          ['--config.file=/etc/prometheus/out/prometheus.yaml'],
          ['--reloader.config-file=/etc/prometheus/prometheus.yaml.tmpl'],
          'x',
        ),
        configMap('ok-config', 'prometheus.yaml.tmpl', 'global:\n  external_labels: {replica: $(POD_NAME), ns: $(NAMESPACE)}\n'),
        prometheus(
          'bad',
          ['--config.file=/etc/prometheus/out/prometheus.yaml'],
          ['--reloader.config-file=/etc/prometheus/prometheus.yaml.tmpl'],
          'x',
        ),
        configMap(
          'bad-config',
          'prometheus.yaml.tmpl',
          'global:\n  external_labels: {replica: $(POD_NAME), shard: $(SHARD), shard_again: $(SHARD)}\n',
        ),
      ),
      expect: {
        'StatefulSet/bad': [
          /^error: the config template \/etc\/prometheus\/prometheus\.yaml\.tmpl uses \$\(SHARD\) and container sidecar has no env var SHARD: the reloader refuses to write the config \("found reference to unset environment variable"\)$/,
        ],
      },
    },
    {
      // Prometheus v2.45.6:cmd/prometheus/main.go:187 (--enable-feature=agent), 374-407 serverOnlyFlag, 445 the message;
      // config/config.go:118-126 refuses alerting (alertmanagers or alert_relabel_configs) and remote_read in agent mode.
      name: 'agent mode by --enable-feature=agent (v2): every server-only flag family in one finding, alert relabelling and remote_read refused',
      yaml: yamlOf(
        ...promServer(
          'agent',
          'quay.io/prometheus/prometheus:v2.45.6',
          [
            '--enable-feature=agent',
            '--query.max-concurrency=20',
            '--rules.alert.resend-delay=1m',
            '--alertmanager.notification-queue-capacity=10000',
            '--storage.remote.read-concurrent-limit=10',
            '--query.max-concurrency=20',
          ],
          'alerting: {alert_relabel_configs: [{action: labeldrop, regex: replica}]}\nremote_read: [{url: "http://thanos-query:10902/api/v1/read"}]\n',
        ),
        // A server may read remotely and send alerts.
        ...promServer(
          'server',
          'quay.io/prometheus/prometheus:v3.13.2',
          ['--query.max-concurrency=20'],
          'alerting: {alertmanagers: [{static_configs: [{targets: ["am:9093"]}]}]}\nremote_read: [{url: "http://thanos-query:10902/api/v1/read"}]\n',
        ),
      ),
      expect: {
        'StatefulSet/agent': [
          /^error: container prometheus runs Prometheus in agent mode with server-only flags --query\.max-concurrency, --rules\.alert\.resend-delay, --alertmanager\.notification-queue-capacity, --storage\.remote\.read-concurrent-limit; it exits \("can not be used in agent mode"\)$/,
          /^error: container prometheus runs Prometheus in agent mode and its config has alerting; it refuses the config \("field alerting is not allowed in agent mode"\)$/,
          /^error: container prometheus runs Prometheus in agent mode and its config has remote_read; it refuses the config \("field remote_read is not allowed in agent mode"\)$/,
        ],
      },
    },
    {
      // Prometheus v2.45.6 expands external labels only with --enable-feature=expand-external-labels (cmd/prometheus/main.go:172-173,
      // config/config.go:80-82); v3 always (v3.13.2:config/config.go:93-110, os.Expand: ${VAR} and $VAR, $$ is a literal $).
      name: 'external labels: a v2 server without expand-external-labels keeps ${VAR} as text; with it, and on v3, $VAR and ${VAR} need the env var',
      yaml: yamlOf(
        ...promServer('v2-plain', 'quay.io/prometheus/prometheus:v2.45.6', [], 'global: {external_labels: {replica: "${POD_NAME}"}}\n'),
        ...promServer(
          'v2-expand',
          'quay.io/prometheus/prometheus:v2.45.6',
          ['--enable-feature=exemplar-storage,expand-external-labels'],
          'global: {external_labels: {replica: "${POD_NAME}"}}\n',
        ),
        ...promServer('v3', 'quay.io/prometheus/prometheus:v3.13.2', [], 'global: {external_labels: {cluster: "$CLUSTER", cost: "$$5"}}\n'),
      ),
      expect: {
        'StatefulSet/v2-expand': [
          /^error: external label replica: \$\{POD_NAME\} uses \$\{POD_NAME\} and container prometheus has no env var POD_NAME; Prometheus expands it to an empty value and drops the label$/,
        ],
        'StatefulSet/v3': [/^error: external label cluster: \$CLUSTER uses \$\{CLUSTER\} and container prometheus has no env var CLUSTER/],
      },
    },
    {
      // A hidden boolean is not in --help, so only the source says it takes no value: query's --query.dynamic-lookback-delta
      // is Hidden().Default("true").Bool() (T@v0.42.4:cmd/thanos/query.go:100); kingpin v2.4.0 flags.go:93-98 reads --no-x
      // as x=false, and --x=false leaves "false" as an argument ("unexpected false", parser.go:184-190, 382-383).
      name: 'a hidden boolean (query --query.dynamic-lookback-delta): --no-x passes, --x=false exits',
      yaml: yamlOf(
        workload({
          name: 'query-ok',
          containers: [goodContainer({ args: ['query', '--no-query.dynamic-lookback-delta', '--endpoint=store:10901'] })],
        }),
        workload({
          name: 'query-bad',
          containers: [goodContainer({ args: ['query', '--query.dynamic-lookback-delta=false', '--endpoint=store:10901'] })],
        }),
      ),
      expect: {
        'Deployment/query-bad': [
          /^error: container app: thanos query v0\.42 exits at start: --query\.dynamic-lookback-delta=false gives a boolean flag a value.*write --query\.dynamic-lookback-delta to turn it on or --no-query\.dynamic-lookback-delta to turn it off/,
        ],
      },
    },
  ]);
});
