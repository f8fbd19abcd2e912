import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { prometheusFlags } from './prometheus-flags.js';

/** A StatefulSet running `image` with `args` (and `command` when given). */
const running = (name: string, image: string, args: string[], command?: string[]) =>
  workload({ kind: 'StatefulSet', name, containers: [goodContainer({ name: 'main', image, args, ...(command ? { command } : {}) })] });
const prometheus = (name: string, version: string, args: string[]) => running(name, `quay.io/prometheus/prometheus:${version}`, args);
const alertmanager = (name: string, version: string, args: string[]) => running(name, `quay.io/prometheus/alertmanager:${version}`, args);

policyTable(prometheusFlags, [
  {
    name: 'passes: both spellings, --no- booleans, repeatable flags, hidden flags, each release with its own flags and value syntax',
    yaml: yamlOf(
      prometheus('v3', 'v3.13.2', [
        '--config.file=/etc/prometheus/prometheus.yaml',
        '--storage.tsdb.path',
        '/prometheus',
        '--storage.tsdb.retention.time=15d',
        '--web.enable-lifecycle',
        '--no-auto-gomaxprocs',
        '--web.listen-address=:9090',
        '--storage.tsdb.min-block-duration=2h',
        '--storage.tsdb.max-block-duration=2h',
        '--query.max-samples=5e7',
        '--log.level=Debug',
        '--enable-feature=exemplar-storage',
        '--enable-feature=memory-snapshot-on-shutdown',
      ]),
      // v2.55 still has the flags v3 removed (P@v2.55.1 cmd/prometheus/main.go:379, :393, :476).
      prometheus('v2', 'v2.55.1', [
        '--storage.tsdb.retention=15d',
        '--storage.tsdb.allow-overlapping-blocks',
        '--alertmanager.timeout=10s',
      ]),
      // Older than the reference: not judged.
      prometheus('old', 'v2.40.0', ['--web.enable-lifecycle=true']),
      // A shell as the command hides the command line.
      running('shell', 'quay.io/prometheus/prometheus:v3.13.2', ['exec prometheus --bogus'], ['/bin/sh', '-c']),
      running('binary', 'quay.io/prometheus/prometheus:v3.13.2', ['--config.file=/x'], ['/bin/prometheus']),
      alertmanager('am', 'v0.32.1', [
        '--config.file=/etc/alertmanager/config/alertmanager.yaml',
        '--storage.path',
        '/alertmanager',
        '--data.retention=5d',
        '--cluster.peer=am-0.am:9094',
        '--cluster.peer=am-1.am:9094',
        '--cluster.advertise-address=$(POD_IP):9094',
        '--log.format=json',
        '--web.listen-address=:9093',
      ]),
      alertmanager('am-old', 'v0.25.0', ['--data.retention=120h', '--cluster.settle-timeout=1m']),
      running('bitnami', 'docker.io/bitnami/alertmanager:0.27.0-debian-12-r0', ['--enable-feature=receiver-name-in-metrics']),
    ),
    expect: {},
  },
  {
    name: 'fails: flags v3.0 removed (P@v2.55.1 main.go:379, :393, :476) and a misspelling; kingpin v2.4.0 flags.go:101 "unknown long flag"',
    yaml: yamlOf(
      prometheus('removed', 'v3.0.1', [
        '--storage.tsdb.allow-overlapping-blocks',
        '--alertmanager.timeout=10s',
        '--storage.tsdb.retention=15d',
      ]),
      prometheus('typo', 'v3.13.2', ['--web.enable-lifecyle']),
      prometheus('too-new-flag', 'v3.11.0', ['--config.auto-reload']),
    ),
    expect: {
      'StatefulSet/removed': [
        /^error: container main: prometheus v3.0 exits at start: unknown long flag '--storage.tsdb.allow-overlapping-blocks': v3.0 removed it .*remove it/,
        /unknown long flag '--alertmanager.timeout': v3.0 removed it/,
        /unknown long flag '--storage.tsdb.retention': .*write --storage.tsdb.retention.time/,
      ],
      'StatefulSet/typo': [/unknown long flag '--web.enable-lifecyle' \(no prometheus release from v3.0 to v3.14 has it\)/],
      'StatefulSet/too-new-flag': [/unknown long flag '--config.auto-reload': it first appears in v3.12/],
    },
  },
  {
    name: 'fails: values each release refuses: Go duration on Alertmanager v0.25 (A@v0.25.1 main.go:204, kingpin.v2 v2.2.6), model duration, bytes, enum, case of --log.level on v3.0 (common v0.60.1 promslog/slog.go:118)',
    yaml: yamlOf(
      alertmanager('am-days', 'v0.25.1', ['--data.retention=5d']),
      alertmanager('am-format', 'v0.32.1', ['--log.format=text', '--log.level=trace']),
      prometheus('values', 'v3.13.2', [
        '--query.timeout=1.5m',
        '--storage.tsdb.retention.size=50Gi',
        '--storage.tsdb.wal-compression-type=lz4',
      ]),
      prometheus('level', 'v3.0.1', ['--log.level=INFO']),
      // featurecontrol/featurecontrol.go:151 at v0.32.1: auto-gomemlimit is a feature from v0.28 only.
      alertmanager('am-feature', 'v0.27.0', ['--enable-feature=auto-gomemlimit']),
    ),
    expect: {
      'StatefulSet/am-days': [/alertmanager v0.25 exits at start: --data.retention=5d is not a Go duration.*write 120h/],
      'StatefulSet/am-format': [/--log.format=text is not one of logfmt, json/, /--log.level=trace is not one of debug, info, warn, error/],
      'StatefulSet/values': [
        /--query.timeout=1.5m is not a Prometheus duration/,
        /--storage.tsdb.retention.size=50Gi is not a byte size.*write 50GiB/,
        /--storage.tsdb.wal-compression-type=lz4 is not one of snappy, zstd/,
      ],
      'StatefulSet/am-feature': [/alertmanager v0.27 exits at start: --enable-feature: unknown option 'auto-gomemlimit'/],
      'StatefulSet/level': [/--log.level=INFO is not one of .* \(v3.0 compares case-sensitively: write info\)/],
    },
  },
  {
    name: 'fails: a boolean given a value (kingpin v2.4.0 parser.go:184-190, "unexpected"), --no- of a valued flag, a repeated single-value flag (A@v0.32.3 main.go:179 --enable-feature String), single dash, a flag and value in one item',
    yaml: yamlOf(
      prometheus('bool', 'v3.13.2', ['--web.enable-admin-api=false', '--no-config.file']),
      alertmanager('repeat', 'v0.32.1', ['--enable-feature=a', '--enable-feature=b']),
      prometheus('dash', 'v3.13.2', ['-config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path /prometheus']),
    ),
    expect: {
      'StatefulSet/bool': [
        /--web.enable-admin-api=false gives a boolean flag a value.*write --web.enable-admin-api to turn it on or --no-web.enable-admin-api to turn it off/,
        /unknown long flag '--no-config.file' \(--config.file takes a value/,
      ],
      'StatefulSet/repeat': [/--enable-feature is given 2 times .*cannot be repeated.*separate the features with commas/],
      'StatefulSet/dash': [
        /-config.file=\/etc\/prometheus\/prometheus.yml is a single-dash flag.*write --config.file=/,
        /argument '--storage.tsdb.path \/prometheus' holds a flag and its value in one list item.*write --storage.tsdb.path=\/prometheus/,
      ],
    },
  },
  {
    // P@v3.13.2 cmd/prometheus/main.go:350-352 (setFeatureListOptions) and :670-672 (exit 1); P@v3.4.2 main.go:299 the first.
    name: 'fails: --enable-feature otlp-deltatocumulative with otlp-native-delta-ingestion from v3.4, also across repeated flags (P@v3.13.2 main.go:350-352, :670-672)',
    yaml: yamlOf(
      prometheus('otlp', 'v3.13.2', ['--enable-feature=otlp-deltatocumulative,otlp-native-delta-ingestion']),
      prometheus('otlp-split', 'v3.4.2', [
        '--enable-feature=otlp-native-delta-ingestion',
        '--enable-feature=exemplar-storage,otlp-deltatocumulative',
      ]),
    ),
    expect: {
      'StatefulSet/otlp': [
        /^error: container main: prometheus v3.13 exits at start: --enable-feature has otlp-deltatocumulative and otlp-native-delta-ingestion \("Error parsing feature list: cannot enable .* at the same time", exit 1\); keep one/,
      ],
      'StatefulSet/otlp-split': [
        /prometheus v3.4 exits at start: --enable-feature has otlp-deltatocumulative and otlp-native-delta-ingestion/,
      ],
    },
  },
  {
    // P@v3.3.1 has no otlp-native-delta-ingestion case: an unknown feature is only logged (main.go:345-346 at v3.13.2);
    // kingpin v2.4.0 values_generated.go:322-328: Int is ParseFloat then truncated, so 20.5 runs as 20.
    name: 'passes: one OTLP delta feature, the pair on v3.3 (no conflict there yet), unknown features (a warning in the log), a float for an Int flag',
    yaml: yamlOf(
      prometheus('one', 'v3.13.2', ['--enable-feature=otlp-deltatocumulative', '--enable-feature=no-such-feature']),
      prometheus('v33', 'v3.3.1', ['--enable-feature=otlp-deltatocumulative,otlp-native-delta-ingestion']),
      prometheus('float-int', 'v3.13.2', ['--query.max-concurrency=20.5']),
    ),
    expect: {},
  },
  {
    // P@v3.13.2 cmd/prometheus/main.go:704-707 (always); A@v0.32.1 cmd/alertmanager/main.go:205-209 (only with auto-gomemlimit).
    name: 'fails: --auto-gomemlimit.ratio above 1 or at 0 on Prometheus (P@v3.13.2 main.go:704-707) and on Alertmanager with auto-gomemlimit (A@v0.32.1 main.go:205-209)',
    yaml: yamlOf(
      prometheus('ratio', 'v3.13.2', ['--auto-gomemlimit.ratio=1.5']),
      prometheus('ratio-zero', 'v2.55.1', ['--auto-gomemlimit.ratio=0']),
      alertmanager('am-ratio', 'v0.32.1', ['--enable-feature=receiver-name-in-metrics,auto-gomemlimit', '--auto-gomemlimit.ratio', '1.1']),
    ),
    expect: {
      'StatefulSet/ratio': [
        /^error: container main: prometheus v3.13 exits at start: --auto-gomemlimit.ratio=1.5 is not above 0 and at most 1 \("--auto-gomemlimit.ratio must be greater than 0 and less than or equal to 1.", exit 1\); write .* 0.9 \(the default\)$/,
      ],
      'StatefulSet/ratio-zero': [/prometheus v2.55 exits at start: --auto-gomemlimit.ratio=0 is not above 0/],
      'StatefulSet/am-ratio': [/alertmanager v0.32 exits at start: --auto-gomemlimit.ratio=1.1 is not above 0/],
    },
  },
  {
    name: 'passes: a ratio of exactly 1, and an Alertmanager ratio above 1 without the auto-gomemlimit feature (A@v0.32.1 main.go:205: not read then)',
    yaml: yamlOf(
      prometheus('one', 'v3.13.2', ['--auto-gomemlimit.ratio=1', '--no-auto-gomemlimit']),
      alertmanager('am-unused', 'v0.32.1', ['--auto-gomemlimit.ratio=1.5', '--enable-feature=auto-gomaxprocs']),
    ),
    expect: {},
  },
  {
    name: 'newer than the reference: values judged, unknown names not (the newer release may have added them)',
    yaml: yamlOf(prometheus('newer', 'v3.99.0', ['--some.future-flag', '--log.level=verbose'])),
    expect: { 'StatefulSet/newer': [/prometheus v3.99 exits at start: --log.level=verbose is not one of/] },
  },
]);
