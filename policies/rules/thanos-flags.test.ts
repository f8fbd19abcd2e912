import { describe } from 'vitest';
import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { thanosFlags } from './thanos-flags.js';

policyTable(thanosFlags, [
  {
    name: 'passes: known flags in --a=b, --a b, --no-x and command: [thanos, ...] forms',
    yaml: yamlOf(
      workload({
        name: 'query',
        containers: [
          goodContainer({
            args: ['query', '--grpc-address=0.0.0.0:10901', '--query.replica-label', 'replica', '--no-query.auto-downsampling'],
          }),
        ],
      }),
      workload({
        name: 'store',
        containers: [
          goodContainer({
            image: 'docker.io/thanosio/thanos:v0.42.4',
            command: ['/bin/thanos', 'store'],
            args: ['--data-dir', '/data', '--objstore.config-file', '/etc/objstore.yml'],
          }),
        ],
      }),
      workload({ name: 'prom', containers: [goodContainer({ image: 'prom/prometheus:v3.0.0', args: ['--unknown.flag=1'] })] }),
      // Not Thanos, though the image names it: the receive controller has flags of its own.
      workload({
        name: 'controller',
        containers: [
          goodContainer({
            image: 'quay.io/observatorium/thanos-receive-controller:v0.1',
            command: ['thanos-receive-controller'],
            args: ['--configmap-name=hashring'],
          }),
        ],
      }),
    ),
    expect: {},
  },
  {
    name: "passes: hidden and app-level flags of the pinned version, and flags each image's own version has",
    yaml: yamlOf(
      workload({
        name: 'store',
        containers: [
          goodContainer({
            args: [
              'store',
              '--store.caching-bucket.config=type: IN-MEMORY',
              '--log.level=info',
              '--debug.name=store',
              '--log.format=logfmt',
              '--tracing.config-file=/t.yaml',
              '--enable-auto-gomemlimit',
              '--debug.series-batch-size=1000',
            ],
          }),
        ],
      }),
      workload({
        name: 'receive',
        containers: [goodContainer({ args: ['receive', '--writer.intern', '--label=replica="$(POD_NAME)"', '--label=cluster="a"'] })],
      }),
      // Repeatable (kingpin Strings) in v0.42.4's cmd/thanos/rule.go.
      workload({
        name: 'rule',
        containers: [
          goodContainer({
            args: ['rule', '--restore-ignored-label=a', '--restore-ignored-label=b', '--rule-file=a.yaml', '--rule-file=b.yaml'],
          }),
        ],
      }),
      // v0.37 still has --store; Bitnami tags carry no v; a digest with a tag runs that tag.
      workload({
        name: 'old-query',
        containers: [goodContainer({ image: 'thanosio/thanos:v0.37.2', args: ['query', '--store=dnssrv+_grpc._tcp.store'] })],
      }),
      workload({
        name: 'bitnami',
        containers: [goodContainer({ image: 'docker.io/bitnami/thanos:0.36.1-debian-12-r3', args: ['query', '--store=x:10901'] })],
      }),
      workload({
        name: 'digest',
        containers: [
          goodContainer({
            image: 'quay.io/thanos/thanos:v0.37.2@sha256:0000000000000000000000000000000000000000000000000000000000000000',
            args: ['query', '--store=x:10901'],
          }),
        ],
      }),
    ),
    expect: {},
  },
  {
    name: 'fails: a flag newer than the image, a repeated single-value flag; warns on an untagged digest',
    yaml: yamlOf(
      workload({
        name: 'old',
        containers: [
          goodContainer({
            image: 'quay.io/thanos/thanos:v0.30.2',
            args: ['query', '--endpoint.sd-config=x', '--query.timeout=1m', '--query.timeout=2m'],
          }),
        ],
      }),
      workload({
        name: 'digest',
        containers: [
          goodContainer({
            image: 'quay.io/thanos/thanos@sha256:0000000000000000000000000000000000000000000000000000000000000000',
            args: ['store'],
          }),
        ],
      }),
    ),
    expect: {
      'Deployment/old': [
        /error: .*--endpoint.sd-config first appears in v0.3\d; v0.30 refuses to start/,
        /error: .*--query.timeout is given 2 times/,
      ],
      'Deployment/digest': [/warning: .*pinned by digest only, so its flags are checked against v0.42.4/],
    },
  },
  {
    name: '--upgrade-to lists the flags the target release no longer has',
    settings: { upgradeTo: 'v0.38.0' },
    yaml: yamlOf(
      workload({
        name: 'query',
        containers: [goodContainer({ image: 'quay.io/thanos/thanos:v0.37.2', args: ['query', '--store=x:10901', '--endpoint=y:10901'] })],
      }),
    ),
    expect: { 'Deployment/query': [/error: .*upgrading to v0.38.0 breaks it: thanos query --store was removed in v0.38/] },
  },
  {
    // --grpc-grace-period: T@v0.31.0:pkg/extkingpin/flags.go:87 ModelDuration; T@v0.32.5:cmd/thanos/config.go:44 DurationVar
    // on gopkg.in/alecthomas/kingpin.v2 (time.ParseDuration, no d). --log.format journald: T@v0.42.4:cmd/thanos/main.go:49 only.
    name: '--upgrade-to names values the target release parses differently: 1d on a model-duration flag that becomes a Go duration',
    settings: { upgradeTo: 'v0.32.5' },
    yaml: yamlOf(
      workload({
        name: 'query',
        containers: [goodContainer({ image: 'quay.io/thanos/thanos:v0.31.0', args: ['query', '--grpc-grace-period=1d'] })],
      }),
      workload({
        name: 'query-ok',
        containers: [goodContainer({ image: 'quay.io/thanos/thanos:v0.31.0', args: ['query', '--grpc-grace-period=24h'] })],
      }),
    ),
    expect: {
      'Deployment/query': [
        /error: .*upgrading to v0.32.5 breaks it: thanos query v0.32 exits at start: --grpc-grace-period=1d is not a Go duration .*write 24h for 1d/,
      ],
    },
  },
  {
    name: '--upgrade-to an older release: journald is a v0.42 log format',
    settings: { upgradeTo: 'v0.41.0' },
    yaml: yamlOf(workload({ name: 'query', containers: [goodContainer({ args: ['query', '--log.format=journald'] })] })),
    expect: {
      'Deployment/query': [
        /error: .*upgrading to v0.41.0 breaks it: thanos query v0.41 exits at start: --log.format=journald is not one of logfmt, json/,
      ],
    },
  },
  {
    name: '--upgrade-to v0.42 also warns about the flags v0.42 deprecates, naming the replacement',
    settings: { upgradeTo: 'v0.42.4' },
    yaml: yamlOf(
      workload({
        name: 'query',
        containers: [goodContainer({ image: 'quay.io/thanos/thanos:v0.39.2', args: ['query', '--endpoint=y:10901'] })],
      }),
    ),
    expect: {
      'Deployment/query': [/warning: .*upgrading to v0.42.4: thanos query --endpoint is deprecated in v0.42; use --endpoint.sd-config/],
    },
  },
  {
    name: 'fails: removed --store, unknown flag; warns on deprecated --endpoint with its replacement',
    yaml: yamlOf(
      workload({
        name: 'query',
        containers: [
          goodContainer({
            args: [
              'query',
              '--store',
              'dnssrv+_grpc._tcp.store',
              '--endpoint=x:10901',
              '--no-such-flag',
              '--enable-feature=promql-experimental-functions,query-pushdown',
            ],
          }),
        ],
      }),
      workload({
        name: 'old',
        containers: [goodContainer({ image: 'thanosio/thanos:v0.30.0', command: ['thanos', 'compact'], args: ['--wait'] })],
      }),
    ),
    expect: {
      'Deployment/query': [
        /error: .*--store was removed in v0.38 .*use --endpoint.sd-config/,
        /warning: .*--endpoint is deprecated in v0.42; use --endpoint.sd-config/,
        /error: .*has no flag --no-such-flag/,
        /warning: .*--enable-feature=query-pushdown: v0.42 ignores it/,
      ],
    },
  },
  {
    name: 'fails: a single-dash flag, a stray word, a flag and its value in one list item',
    yaml: yamlOf(
      workload({
        name: 'query',
        containers: [goodContainer({ args: ['query', '-log.level=debug', '--query.timeout 3m', '--query.auto-downsampling', 'true'] })],
      }),
    ),
    expect: {
      'Deployment/query': [
        /argument '-log.level=debug' is a single-dash flag; .*write --log.level=debug/,
        /argument 'true' is no flag and no flag's value/,
        /argument '--query.timeout 3m' holds a flag and its value in one list item.*write --query.timeout=3m/,
      ],
    },
  },
  {
    name: 'fails: a command thanos does not have; tools is fine',
    yaml: yamlOf(
      workload({ name: 'querier', containers: [goodContainer({ args: ['querier', '--http-address=0.0.0.0:10902'] })] }),
      workload({ name: 'tools', containers: [goodContainer({ args: ['tools', 'bucket', 'web'] })] }),
    ),
    expect: { 'Deployment/querier': [/runs 'thanos querier', and thanos has no such command .*exits at start/] },
  },
]);

describe('thanos-flags (mutation)', () => {
  policyTable(thanosFlags, [
    {
      // T@v0.42.4:cmd/thanos/main.go:56-63 registers sidecar, store, query, rule, compact, tools, receive, query-frontend;
      // kingpin v2.4.0 app.go:325-332 adds `help`. `version` is the --version flag (main.go:44 .Version), not a command:
      // `thanos version` stops on "expected command but got" (kingpin v2.4.0 parser.go:333-335).
      name: 'fails: `thanos version` in an init container (the version is a --version flag), naming every command sorted; passes: thanos help',
      yaml: yamlOf(
        workload({
          name: 'query',
          initContainers: [goodContainer({ name: 'print-version', command: ['thanos', 'version'] })],
          containers: [goodContainer({ args: ['query', '--http-address=0.0.0.0:10902'] })],
        }),
        workload({ kind: 'Job', name: 'help', containers: [goodContainer({ args: ['help', 'query'] })] }),
      ),
      expect: {
        'Deployment/query': [
          /^error: container print-version runs 'thanos version', and thanos has no such command \(it has compact, query, query-frontend, receive, rule, sidecar, store, tools\); the process exits at start$/,
        ],
      },
    },
    {
      name: 'fails: a value left without its flag (a word with dashes is no single-dash flag); a single-dash flag names the short flags read',
      yaml: yamlOf(
        workload({
          name: 'query',
          containers: [
            goodContainer({ args: ['query', '--endpoint.sd-config-file=/etc/sd/endpoints.yaml', 'thanos-store.monitoring.svc:10901'] }),
          ],
        }),
        workload({ name: 'debug', containers: [goodContainer({ args: ['query', '-log.level=debug'] })] }),
      ),
      expect: {
        'Deployment/query': [
          /^error: container app: argument 'thanos-store\.monitoring\.svc:10901' is no flag and no flag's value \(thanos query takes no arguments\); it exits \("unexpected thanos-store\.monitoring\.svc:10901"\)$/,
        ],
        'Deployment/debug': [/thanos reads -log\.level as short flags it does not have and exits \(write --log\.level=debug\)$/],
      },
    },
    {
      name: 'fails: a flag and a value with spaces in one list item, copied from a shell line, is named once with the value kept whole',
      yaml: yamlOf(
        workload({
          kind: 'StatefulSet',
          name: 'store',
          containers: [
            goodContainer({
              args: [
                'store',
                '--store.caching-bucket.config type: IN-MEMORY',
                '--store.caching-bucket.config type: IN-MEMORY',
                '--index-cache-size  2GiB',
              ],
            }),
          ],
        }),
      ),
      expect: {
        'StatefulSet/store': [
          /argument '--store\.caching-bucket\.config type: IN-MEMORY' holds a flag and its value in one list item.*; write --store\.caching-bucket\.config=type: IN-MEMORY$/,
          /argument '--index-cache-size {2}2GiB' holds a flag and its value.*; write --index-cache-size=2GiB$/,
        ],
      },
    },
    {
      // A patch upgrade (v0.42.0 -> v0.42.4) has the same flags: what the running release already says is not said twice.
      name: '--upgrade-to the same minor release repeats nothing: the deprecation warning and the unknown-flag error stay single',
      settings: { upgradeTo: 'v0.42.4' },
      yaml: yamlOf(
        workload({
          name: 'query',
          containers: [
            goodContainer({ image: 'quay.io/thanos/thanos:v0.42.0', args: ['query', '--endpoint=store:10901', '--no-such-flag'] }),
          ],
        }),
      ),
      expect: {
        'Deployment/query': [
          /^warning: container app: thanos query --endpoint is deprecated in v0\.42; use --endpoint\.sd-config/,
          /^error: container app: thanos query has no flag --no-such-flag/,
        ],
      },
    },
    {
      // --endpoint first appears in v0.24 (T@v0.24.0:cmd/thanos/query.go:107; T@v0.23.2:cmd/thanos/query.go has --store only)
      // and is deprecated in v0.42 (T@v0.42.4:cmd/thanos/query.go:202).
      name: '--upgrade-to v0.42 from v0.23: a flag the image lacks is one error, not also a deprecation warning of the target',
      settings: { upgradeTo: 'v0.42.4' },
      yaml: yamlOf(
        workload({
          name: 'query',
          containers: [goodContainer({ image: 'quay.io/thanos/thanos:v0.23.2', args: ['query', '--endpoint=store:10901'] })],
        }),
      ),
      expect: {
        'Deployment/query': [/^error: container app: thanos query --endpoint first appears in v0\.24; v0\.23 refuses to start with it$/],
      },
    },
    {
      // --grpc-grace-period is a Go duration in v0.32 and v0.35 (T@v0.32.5:cmd/thanos/config.go:44, T@v0.35.1:cmd/thanos/config.go:51,
      // kingpin 17f40c25f497): 1d fails in both, which the startup rule reports.
      name: '--upgrade-to says nothing of a value the running release already refuses (startup reports it)',
      settings: { upgradeTo: 'v0.35.1' },
      yaml: yamlOf(
        workload({
          name: 'query',
          containers: [goodContainer({ image: 'quay.io/thanos/thanos:v0.32.5', args: ['query', '--grpc-grace-period=1d'] })],
        }),
      ),
      expect: {},
    },
    {
      // --grpc-server-max-connection-age first appears in v0.32 (T@v0.32.5:cmd/thanos/config.go:42; no such flag under T@v0.31.0:cmd/).
      name: '--upgrade-to v0.31 (a rollback) of a v0.42 sidecar: the flag v0.31 lacks is named, its 1d value is not judged by v0.31',
      settings: { upgradeTo: 'v0.31.0' },
      yaml: yamlOf(
        workload({
          kind: 'StatefulSet',
          name: 'prometheus',
          containers: [goodContainer({ name: 'thanos-sidecar', args: ['sidecar', '--grpc-server-max-connection-age=1d'] })],
        }),
      ),
      expect: {
        'StatefulSet/prometheus': [
          /^error: container thanos-sidecar: upgrading to v0\.31\.0 breaks it: thanos sidecar --grpc-server-max-connection-age first appears in v0\.32; v0\.31 refuses to start with it$/,
        ],
      },
    },
    {
      // cli/commands/check.ts refuses such a text before any rule runs; a caller of the library that passes one gets no guesses.
      name: '--upgrade-to a text that names no release adds nothing',
      settings: { upgradeTo: 'main' },
      yaml: yamlOf(workload({ name: 'query', containers: [goodContainer({ args: ['query', '--endpoint.sd-config-file=/etc/sd.yaml'] })] })),
      expect: {},
    },
    {
      // Hidden booleans take --no-x like any kingpin bool (kingpin v2.4.0 flags.go:93-98): T@v0.42.4:cmd/thanos/query.go:100
      // (--query.dynamic-lookback-delta, Hidden().Bool()), T@v0.42.4:cmd/thanos/receive.go:1111 (--tsdb.memory-snapshot-on-shutdown).
      // It was said to be no flag at all (a held-out input, 2026-12: the process starts).
      name: 'passes: --no-x of a hidden boolean; fails: --no-x of a flag that takes a value',
      yaml: yamlOf(
        workload({
          name: 'query',
          containers: [goodContainer({ args: ['query', '--no-query.dynamic-lookback-delta', '--endpoint.sd-config-file=/etc/sd.yaml'] })],
        }),
        workload({
          kind: 'StatefulSet',
          name: 'receive',
          containers: [goodContainer({ args: ['receive', '--no-tsdb.memory-snapshot-on-shutdown', '--no-tsdb.retention'] })],
        }),
      ),
      expect: {
        'StatefulSet/receive': [/^error: container app: thanos receive has no flag --no-tsdb\.retention \(in no release/],
      },
    },
    {
      // kube-thanos v0.21.0 examples/all/manifests/thanos-store-statefulSet.yaml (image quay.io/thanos/thanos:v0.21.1):
      // v0.20 and v0.21 register the caching bucket flags through extflag.HiddenCmdClause (T@v0.21.1:cmd/thanos/store.go:89,
      // T@v0.20.2 the same line), hidden as from v0.22 (hidden.HiddenCmdClause) but accepted: the reference had them from v0.22.
      name: 'passes: --store.caching-bucket.config on a v0.21.1 store (hidden there too); fails: --cache-index-header, first in v0.31',
      yaml: yamlOf(
        workload({
          kind: 'StatefulSet',
          name: 'thanos-store',
          containers: [
            goodContainer({
              image: 'quay.io/thanos/thanos:v0.21.1',
              args: ['store', '--data-dir=/var/thanos/store', '--store.caching-bucket.config=type: IN-MEMORY'],
            }),
          ],
        }),
        workload({
          kind: 'StatefulSet',
          name: 'thanos-store-file',
          containers: [
            goodContainer({
              image: 'quay.io/thanos/thanos:v0.20.2',
              args: ['store', '--store.caching-bucket.config-file=/etc/thanos/bucket-cache.yaml', '--cache-index-header'],
            }),
          ],
        }),
      ),
      expect: {
        'StatefulSet/thanos-store-file': [
          /^error: container app: thanos store --cache-index-header first appears in v0\.31; v0\.20 refuses to start with it/,
        ],
      },
    },
  ]);
});

describe('thanos-flags (images older than the reference)', () => {
  const store = (name: string, image: string) =>
    workload({
      kind: 'StatefulSet',
      name,
      containers: [goodContainer({ image, args: ['store', '--experimental.enable-index-cache-postings-compression'] })],
    });
  policyTable(thanosFlags, [
    {
      // kube-thanos v0.16.0 manifests/thanos-store-statefulSet.yaml: T@v0.16.0 cmd/thanos/store.go:97 has the flag, v0.20.0 no longer.
      name: 'a flag the reference never saw is a doubt on v0.16.0 (warning) and an exit on v0.20.2 (error)',
      yaml: yamlOf(store('store-v016', 'quay.io/thanos/thanos:v0.16.0'), store('store-v020', 'quay.io/thanos/thanos:v0.20.2')),
      expect: {
        'StatefulSet/store-v016': [
          /^warning: container app: image quay.io\/thanos\/thanos:v0.16.0 is older than the flag reference \(v0.20.2\)/,
          /^warning: container app: thanos store has no flag --experimental.enable-index-cache-postings-compression \(in no release from v0.20 to v0.42\); quay.io\/thanos\/thanos:v0.16.0 is older than the reference's first release v0.20.2, so whether it has it is not checked$/,
        ],
        'StatefulSet/store-v020': [
          /^error: container app: thanos store has no flag --experimental.enable-index-cache-postings-compression .*refuses to start$/,
        ],
      },
    },
    {
      name: 'passes: a flag v0.16.0 and the reference both have, on a v0.16.0 image, is only noted as unchecked by version',
      yaml: yamlOf(
        workload({
          kind: 'StatefulSet',
          name: 'store',
          containers: [goodContainer({ image: 'quay.io/thanos/thanos:v0.16.0', args: ['store', '--data-dir=/data'] })],
        }),
      ),
      expect: { 'StatefulSet/store': [/^warning: container app: image quay.io\/thanos\/thanos:v0.16.0 is older than the flag reference/] },
    },
    {
      name: 'passes: the pinned release with its own flags',
      yaml: yamlOf(workload({ kind: 'StatefulSet', name: 'store', containers: [goodContainer({ args: ['store', '--data-dir=/data'] })] })),
      expect: {},
    },
  ]);
});
