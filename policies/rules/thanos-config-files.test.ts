import { describe } from 'vitest';
import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { thanosConfigFiles } from './thanos-config-files.js';

// Sources: thanos-io/thanos tags named per case (T@tag:file:line); core/reference/thanos-config-files-by-version.json
// holds the Go types of every release (scripts/read-thanos-config-files.mjs).

const QUERY = '--query=dnssrv+_http._tcp.thanos-query.monitoring.svc.cluster.local';
const ruler = (args: string[], tag = 'v0.42.4', name = 'thanos-rule') =>
  workload({
    kind: 'StatefulSet',
    name,
    containers: [goodContainer({ image: `quay.io/thanos/thanos:${tag}`, args: ['rule', ...args] })],
  });
const query = (args: string[], tag = 'v0.42.4', name = 'thanos-query') =>
  workload({ name, containers: [goodContainer({ image: `quay.io/thanos/thanos:${tag}`, args: ['query', ...args] })] });
const am = (config: unknown) => `--alertmanagers.config=${JSON.stringify(config)}`;
const sd = (config: unknown) => `--endpoint.sd-config=${JSON.stringify(config)}`;
const alertmanager = (tag: string) =>
  workload({
    kind: 'StatefulSet',
    name: 'alertmanager',
    containers: [goodContainer({ name: 'alertmanager', image: `quay.io/prometheus/alertmanager:${tag}`, args: [] })],
  });
const goodAm = {
  alertmanagers: [
    {
      static_configs: ['dnssrv+_web._tcp.alertmanager.monitoring.svc.cluster.local', 'dns+alertmanager.monitoring.svc:9093'],
      scheme: 'http',
      timeout: '10s',
      api_version: 'v2',
      http_config: { tls_config: { insecure_skip_verify: false }, transport_config: { idle_conn_timeout: 90_000_000_000 } },
      file_sd_configs: [{ files: ['/etc/am/*.yaml'], refresh_interval: '5m' }],
    },
  ],
};

policyTable(thanosConfigFiles, [
  {
    // T@v0.42.4:pkg/alert/config.go:27-32 (keys), pkg/clientconfig/http.go:48-102,303-320 (http_config, transport_config int64)
    name: 'passes: every alertmanagers key of v0.42 with its Go type (model durations, int64 transport timeouts, api v2)',
    yaml: yamlOf(ruler([QUERY, am(goodAm)]), alertmanager('v0.28.1')),
    expect: {},
  },
  {
    // T@v0.42.4:pkg/alert/config.go:84 yaml.UnmarshalStrict: an unknown key is an error; the process exits (cmd/thanos/rule.go:539-542)
    name: 'fails: an unknown and a misplaced alertmanagers key stop thanos rule (strict), with the key it meant',
    yaml: yamlOf(
      ruler([QUERY, am({ alertmanagers: [{ static_configs: ['dns+am:9093'], timout: '10s', tls_config: { ca_file: '/ca' } }] })]),
    ),
    expect: {
      'StatefulSet/thanos-rule': [
        /error: .*thanos rule v0\.42 exits at start: --alertmanagers\.config: alertmanagers\[0\]\.timout is no setting of v0\.42 \(did you mean timeout\?\).*parsed strictly/,
        /error: .*alertmanagers\[0\].tls_config is no setting of v0\.42 \(it belongs under http_config\).*UnmarshalStrict/,
      ],
    },
  },
  {
    // static_configs is []string (T@v0.42.4:pkg/clientconfig/http.go:305): the Prometheus {targets: [...]} form does not decode
    name: 'fails: Prometheus-style static_configs targets and a duration in an int64 transport timeout do not decode',
    yaml: yamlOf(
      ruler([
        QUERY,
        am({
          alertmanagers: [
            {
              static_configs: [{ targets: ['am:9093'] }],
              api_version: 'v2',
              http_config: { transport_config: { idle_conn_timeout: '90s' } },
            },
          ],
        }),
      ]),
    ),
    expect: {
      'StatefulSet/thanos-rule': [
        /error: .*exits at start: .*static_configs\[0\]: is a map where a single value is expected/,
        /error: .*idle_conn_timeout: "90s" is a duration where the Go field is an integer \(nanoseconds\): write 90000000000/,
      ],
    },
  },
  {
    // timeout is model.Duration (T@v0.42.4:pkg/alert/config.go:30): 1d is fine, 1.5s is not; api_version v3 is not one of v1, v2 (config.go:47-60)
    name: 'passes: a 1d model-duration timeout; fails: 1.5s and api_version v3',
    yaml: yamlOf(
      ruler([QUERY, am({ alertmanagers: [{ static_configs: ['am:9093'], timeout: '1d', api_version: 'v2' }] })], 'v0.42.4', 'ok'),
      ruler([QUERY, am({ alertmanagers: [{ static_configs: ['am:9093'], timeout: '1.5s', api_version: 'v3' }] })]),
    ),
    expect: {
      'StatefulSet/thanos-rule': [/timeout: "1\.5s" is not a duration/, /api_version: "v3" is not one of v1, v2/],
    },
  },
  {
    // Alertmanager v0.27.0 answers /api/v1 with 410 (alertmanager T@v0.27.0:api/api.go:165-166); thanos rule defaulted to v1 up to v0.34
    // (T@v0.34.1:pkg/alert/config.go:70) and to v2 from v0.35 (T@v0.35.1:pkg/alert/config.go:70)
    name: 'fails: api_version v1, written or the v0.34 default, against Alertmanager v0.27; passes: v0.35 default',
    yaml: yamlOf(
      ruler([QUERY, am({ alertmanagers: [{ static_configs: ['am:9093'] }] })], 'v0.34.1', 'old'),
      ruler([QUERY, am({ alertmanagers: [{ static_configs: ['am:9093'], api_version: 'v1' }] })], 'v0.42.4', 'v1'),
      ruler([QUERY, am({ alertmanagers: [{ static_configs: ['am:9093'] }] })], 'v0.35.1', 'new'),
      alertmanager('v0.27.0'),
    ),
    expect: {
      'StatefulSet/old': [/error: .*no api_version \(thanos rule v0\.34 defaults to v1.*410 Gone.*write api_version: v2/],
      'StatefulSet/v1': [/error: .*api_version: v1, and Alertmanager v0\.27 and later answer API v1 with 410 Gone/],
    },
  },
  {
    name: 'passes: api_version v1 against an Alertmanager v0.26 of the input; warns: v1 with no Alertmanager in the input',
    yaml: yamlOf(
      ruler([QUERY, am({ alertmanagers: [{ static_configs: ['am:9093'], api_version: 'v1' }] })], 'v0.42.4', 'with26'),
      alertmanager('v0.26.0'),
    ),
    expect: {},
  },
  {
    name: 'warns: api_version v1 when the input shows no Alertmanager',
    yaml: yamlOf(ruler([QUERY, am({ alertmanagers: [{ static_configs: ['am:9093'], api_version: 'v1' }] })])),
    expect: { 'StatefulSet/thanos-rule': [/warning: .*410 Gone: thanos rule sends no alert to a current Alertmanager/] },
  },
  {
    // T@v0.42.4:cmd/thanos/rule.go:239-241 (url and config together), pkg/alert/config.go:97-105 (scheme and host)
    name: 'fails: --alertmanagers.url with --alertmanagers.config, a url without scheme, a host:port read as scheme',
    yaml: yamlOf(
      ruler([
        QUERY,
        am({ alertmanagers: [{ static_configs: ['am:9093'] }] }),
        '--alertmanagers.url=dnssrv+_web._tcp.am.monitoring.svc',
        '--alertmanagers.url=am:9093',
      ]),
    ),
    expect: {
      'StatefulSet/thanos-rule': [
        /exits at start: --alertmanagers\.url and --alertmanagers\.config\* are given together/,
        /--alertmanagers\.url=dnssrv\+_web\._tcp\.am\.monitoring\.svc has no scheme/,
        /--alertmanagers\.url=am:9093 has no host/,
      ],
    },
  },
  {
    // T@v0.42.4:cmd/thanos/rule.go:215-217 (duplicate), 227-232 (none; both); "no query configuration" only from v0.34 (T@v0.33.0 lacks it)
    name: 'fails: duplicated --query, --query with --query.config, no query on v0.42; passes: no query on v0.33',
    yaml: yamlOf(
      ruler([QUERY, QUERY]),
      ruler([QUERY, '--query.config=[{static_configs: ["q:9090"]}]'], 'v0.42.4', 'both'),
      ruler([], 'v0.42.4', 'none'),
      ruler([], 'v0.33.0', 'none-old'),
    ),
    expect: {
      'StatefulSet/thanos-rule': [/--query=dnssrv\+_http.* is given twice/],
      'StatefulSet/both': [/--query\/--query\.sd-files and --query\.config\* are given together/],
      'StatefulSet/none': [/no query configuration parameter was given/],
    },
  },
  {
    // T@v0.42.4:pkg/clientconfig/config.go:48 strict; grpc_config first in v0.34 (T@v0.34.1:pkg/clientconfig/config.go)
    name: 'fails: --query.config with an unknown key, and grpc_config on v0.33 (first in v0.34); passes: grpc_config on v0.42',
    yaml: yamlOf(
      ruler(['--query.config=[{static_configs: ["q:9090"], scheme: http, tls_config: {ca_file: /ca}}]'], 'v0.42.4', 'unknown'),
      ruler(['--query.config=[{grpc_config: {endpoint_addresses: ["q:10901"]}}]'], 'v0.33.0', 'old'),
      ruler(['--query.config=[{grpc_config: {endpoint_addresses: ["q:10901"]}, http_config: {bearer_token_file: /t}}]'], 'v0.42.4', 'ok'),
    ),
    expect: {
      'StatefulSet/unknown': [/exits at start: --query\.config: \[0\]\.tls_config is no setting of v0\.42/],
      'StatefulSet/old': [
        /thanos rule v0\.33 exits at start: --query\.config: \[0\]\.grpc_config is no setting of v0\.33 \(it first appears in v0\.34\)/,
      ],
    },
  },
  {
    // T@v0.42.4:cmd/thanos/endpointset.go:178 yaml.v3 Unmarshal (lenient): unknown keys are ignored; client_config first in v0.42
    // (T@v0.41.0:cmd/thanos/endpointset.go:44-53 has strict, group, address, service_config only)
    name: 'warns: a per-endpoint client_config on v0.41 (ignored: plaintext) and a misspelt key on v0.42; passes: v0.42 client_config',
    yaml: yamlOf(
      query([sd({ endpoints: [{ address: 'leaf:10901', client_config: { tls_config: { ca_file: '/ca' } } }] })], 'v0.41.0', 'old'),
      query([sd({ endpoints: [{ address: 'leaf:10901', stirct: true }] })], 'v0.42.4', 'typo'),
      query(
        [
          sd({
            default_client_config: { compression: 'none' },
            endpoints: [
              { address: 'dnssrv+_grpc._tcp.store.monitoring.svc' },
              {
                address: 'leaf:10901',
                strict: true,
                client_config: { server_name: 'leaf', compression: 'snappy', tls_config: { enabled: true } },
              },
              { address: 'dns+store.monitoring.svc:10901', group: true, service_config: '{}' },
            ],
          }),
        ],
        'v0.42.4',
        'ok',
      ),
    ),
    expect: {
      'Deployment/old': [
        /warning: .*endpoints\[0\]\.client_config is no setting of v0\.41 \(it first appears in v0\.42\).*ignores the key, so the setting has no effect/,
      ],
      'Deployment/typo': [/warning: .*endpoints\[0\]\.stirct is no setting of v0\.42 \(did you mean strict\?\)/],
    },
  },
  {
    // T@v0.42.4:cmd/thanos/endpointset.go:211-224 validateEndpointConfig; pkg/discovery/dns/provider.go:96-99 IsDynamicNode
    name: 'fails: strict dnssrv+ endpoint in the SD config, --endpoint-strict=dns+, service_config without group, compression gzip',
    yaml: yamlOf(
      query([
        sd({
          endpoints: [
            { address: 'dnssrv+_grpc._tcp.store.monitoring.svc', strict: true },
            { address: 'store:10901', service_config: '{}' },
            { address: 'leaf:10901', client_config: { compression: 'gzip' } },
          ],
        }),
        '--endpoint-strict=dns+store.monitoring.svc:10901',
      ]),
    ),
    expect: {
      'Deployment/thanos-query': [
        /--endpoint-strict=dns\+store.*is a discovered address, and strict mode takes only static ones/,
        /endpoints\[0\] dnssrv\+_grpc.* is strict and discovered/,
        /endpoints\[1\] store:10901 has service_config without group: true/,
        /endpoints\[2\] leaf:10901 has client_config\.compression: gzip/,
      ],
    },
  },
  {
    // --endpoint-group-strict was not validated before v0.38 (T@v0.37.2:cmd/thanos/query.go:486-496); --store-strict was (same lines)
    name: 'passes: --endpoint-group-strict=dns+ on v0.37 and a static --endpoint-strict; fails: --store-strict=dnssrv+ on v0.37',
    yaml: yamlOf(
      query(['--endpoint-group-strict=dns+store:10901', '--endpoint-strict=store-0.store:10901'], 'v0.37.2', 'ok'),
      query(['--store-strict=dnssrv+_grpc._tcp.store'], 'v0.37.2'),
    ),
    expect: {
      'Deployment/thanos-query': [/thanos query v0\.37 exits at start: --store-strict=dnssrv\+_grpc\._tcp\.store is a discovered address/],
    },
  },
  {
    // T@v0.42.4:pkg/tracing/client/factory.go:46 strict wrapper, 59 ToUpper, 85-86 unknown type; OTLP first in v0.29 (T@v0.29.0)
    name: 'fails: tracing with an unknown wrapper key, a type the release lacks; passes: lower-case otlp on v0.42 with any provider keys',
    yaml: yamlOf(
      query(['--tracing.config={type: JAEGER, config: {}, sampler: 1}'], 'v0.42.4', 'key'),
      query(['--tracing.config={type: OTLP, config: {}}'], 'v0.28.1', 'old'),
      query(
        ['--tracing.config={type: otlp, config: {client_type: grpc, endpoint: "otel:4317", insecure: true, timeout: 10s}}'],
        'v0.42.4',
        'ok',
      ),
    ),
    expect: {
      'Deployment/key': [/exits at start: --tracing\.config: sampler is no setting of v0\.42.*strictly/],
      'Deployment/old': [/thanos v0\.28 exits at start: tracing type OTLP is not one it has.*OTLP first appears in v0\.29/],
    },
  },
  {
    // T@v0.42.4:pkg/tracing/client/factory.go:59,85-86: no type falls to the default case; cmd/thanos/main.go:110-116: an
    // empty file is the no-op tracer, any other content goes through NewTracer and its error exits.
    name: 'fails: a tracing config with content but no type (T@v0.42.4 pkg/tracing/client/factory.go:85-86); passes: an empty one',
    yaml: yamlOf(
      query(['--tracing.config={config: {service_name: query}}'], 'v0.42.4', 'typeless'),
      query(['--tracing.config={}'], 'v0.42.4', 'empty'),
    ),
    expect: {
      'Deployment/typeless': [
        /^error: container app: --tracing\.config: thanos v0\.42 exits at start: the tracing config has no type \("tracing with type {2}is not supported".*add type: one of .*JAEGER/,
      ],
    },
  },
  {
    // Provider configs are lenient (T@v0.42.4:pkg/tracing/jaeger/jaeger.go:24 yaml.Unmarshal); durations there are Go's
    // (jaeger/config_yaml.go:44 time.Duration), so 1d does not decode and NewTracer's error stops the process (cmd/thanos/main.go:113-116)
    name: 'warns: a misspelt JAEGER key has no effect; fails: a 1d Go duration in the JAEGER config',
    yaml: yamlOf(query(['--tracing.config={type: jaeger, config: {service_name: q, sampler_typ: const, reporter_flush_interval: 1d}}'])),
    expect: {
      'Deployment/thanos-query': [
        /warning: .*config\.sampler_typ is no setting of v0\.42 \(did you mean sampler_type\?\): the jaeger tracer .* ignores the key/,
        /error: .*exits at start: --tracing\.config: config\.reporter_flush_interval: "1d" is not a Go duration/,
      ],
    },
  },
  {
    // T@v0.42.4:pkg/logging/grpc.go:20 strict; yaml_parser.go:33-34 port is uint64
    name: 'fails: request-logging config with an unknown key and a port that is no number; passes: a complete one',
    yaml: yamlOf(
      query(['--request.logging-config={http: {config: [{path: /api, port: http}]}, grpc: {options: {level: INFO}}, level: INFO}']),
      query(
        [
          '--request.logging-config={http: {options: {level: INFO, decision: {log_start: false, log_end: true}}, config: [{path: /api, port: 10902}]}}',
        ],
        'v0.42.4',
        'ok',
      ),
    ),
    expect: {
      'Deployment/thanos-query': [
        /http\.config\[0\]\.port: "http" is not a non-negative integer/,
        /level is no setting of v0\.42.*strictly/,
      ],
    },
  },
  {
    // --upgrade-to judges config files by the target: client_config is ignored before v0.42 (T@v0.41.0:cmd/thanos/endpointset.go:44-53)
    name: '--upgrade-to v0.41: a v0.42 Query with per-endpoint client_config would dial in plaintext (warned); the v0.42 run itself is clean',
    yaml: yamlOf(query([sd({ endpoints: [{ address: 'leaf:10901', client_config: { tls_config: { ca_file: '/ca' } } }] })])),
    settings: { upgradeTo: 'v0.41.0' },
    expect: {
      'Deployment/thanos-query': [
        /warning: .*upgrading to v0\.41\.0: --endpoint\.sd-config: endpoints\[0\]\.client_config is no setting of v0\.41 \(it first appears in v0\.42\)/,
      ],
    },
  },
  {
    // T@v0.33.0 has no grpc_config in the query config (strict): an upgrade target older than the config is an error
    name: '--upgrade-to v0.33: a ruler query config with grpc_config would exit; --upgrade-to v0.42 with the same input: nothing new',
    yaml: yamlOf(ruler(['--query.config=[{grpc_config: {endpoint_addresses: ["q:10901"]}}]'], 'v0.40.1')),
    settings: { upgradeTo: 'v0.33.0' },
    expect: {
      'StatefulSet/thanos-rule': [
        /error: .*upgrading to v0\.33\.0: thanos rule v0\.33 exits at start: --query\.config: \[0\]\.grpc_config is no setting/,
      ],
    },
  },
  {
    name: '--upgrade-to a release that reads the file alike says nothing',
    yaml: yamlOf(ruler(['--query.config=[{grpc_config: {endpoint_addresses: ["q:10901"]}}]'], 'v0.40.1')),
    settings: { upgradeTo: 'v0.42.0' },
    expect: {},
  },
]);

const configMap = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'monitoring' },
  data,
});
/** A ruler reading its configs from files of the ConfigMap `ruler-config` mounted at /etc/thanos. */
const fileRuler = (args: string[], name = 'thanos-rule') =>
  workload({
    kind: 'StatefulSet',
    name,
    volumes: [{ name: 'config', configMap: { name: 'ruler-config' } }],
    containers: [goodContainer({ args: ['rule', ...args], volumeMounts: [{ name: 'config', mountPath: '/etc/thanos' }] })],
  });
const v1 = am({ alertmanagers: [{ static_configs: ['dnssrv+_web._tcp.alertmanager.monitoring.svc'], api_version: 'v1' }] });

describe('thanos-config-files (mutation)', () => {
  policyTable(thanosConfigFiles, [
    {
      // Every source names the line of v0.42.4 that reads it: T@v0.42.4:pkg/alert/config.go:84, pkg/clientconfig/config.go:48,
      // pkg/tracing/client/factory.go:46 (strict), pkg/logging/grpc.go:20 (strict), cmd/thanos/endpointset.go:178 (lenient).
      name: 'fails: configs read from mounted files, each message naming the file and the line of v0.42.4 that parses it',
      yaml: yamlOf(
        configMap('ruler-config', {
          'alertmanagers.yaml': 'alertmanagers:\n- static_configs: [{targets: ["am:9093"]}]\n  api_version: v2\n',
          'query.yaml': '- static_configs: ["q:9090"]\n  tls_config: {ca_file: /ca}\n',
          'tracing.yaml': 'type: JAEGER\nconfig: {}\nsampler: 1\n',
          'logging.yaml': 'level: INFO\n',
        }),
        fileRuler([
          '--alertmanagers.config-file=/etc/thanos/alertmanagers.yaml',
          '--query.config-file=/etc/thanos/query.yaml',
          '--tracing.config-file=/etc/thanos/tracing.yaml',
          '--request.logging-config-file=/etc/thanos/logging.yaml',
          '--request.logging-config-file=/etc/thanos/not-mounted.yaml',
        ]),
        query([sd({ endpoints: [{ address: 'leaf:10901', stirct: true }] })]),
      ),
      expect: {
        'StatefulSet/thanos-rule': [
          /^error: container app: thanos rule v0\.42 exits at start: --alertmanagers\.config-file=\/etc\/thanos\/alertmanagers\.yaml: alertmanagers\[0\]\.static_configs\[0\]: .*, which the YAML decoder refuses \(pkg\/alert\/config\.go:84@v0\.42\.4\); write the value as the message says$/,
          /^error: container app: thanos rule v0\.42 exits at start: --query\.config-file=\/etc\/thanos\/query\.yaml: \[0\]\.tls_config is no setting of v0\.42.*, and this file is parsed strictly \(yaml\.UnmarshalStrict, pkg\/clientconfig\/config\.go:48@v0\.42\.4\); remove or rename the key$/,
          /--tracing\.config-file=\/etc\/thanos\/tracing\.yaml: sampler is no setting of v0\.42.*\(yaml\.UnmarshalStrict, pkg\/tracing\/client\/factory\.go:46@v0\.42\.4\)/,
          /--request\.logging-config-file=\/etc\/thanos\/logging\.yaml: level is no setting of v0\.42.*\(yaml\.UnmarshalStrict, pkg\/logging\/grpc\.go:20@v0\.42\.4\)/,
        ],
        'Deployment/thanos-query': [
          /^warning: container app: --endpoint\.sd-config: endpoints\[0\]\.stirct is no setting of v0\.42 \(did you mean strict\?\): thanos query v0\.42 reads this file leniently \(yaml\.Unmarshal, cmd\/thanos\/endpointset\.go:178@v0\.42\.4\) and ignores the key, so the setting has no effect; remove it or run a release that has it$/,
        ],
      },
    },
    {
      // T@v0.42.4:cmd/thanos/rule.go:239-241 refuses --alertmanagers.url with either --alertmanagers.config or its -file form;
      // pkg/alert/config.go:97-105 quotes "empty scheme" and "empty host".
      name: 'fails: --alertmanagers.url with --alertmanagers.config-file; the url errors quote the empty part; passes: http and dnssrv+http urls',
      yaml: yamlOf(
        configMap('ruler-config', { 'alertmanagers.yaml': 'alertmanagers: []\n' }),
        fileRuler([QUERY, '--alertmanagers.config-file=/etc/thanos/alertmanagers.yaml', '--alertmanagers.url=http://alertmanager:9093']),
        ruler([QUERY, '--alertmanagers.url=alertmanager.monitoring.svc', '--alertmanagers.url=alertmanager:9093'], 'v0.42.4', 'bad-urls'),
        ruler(
          [
            QUERY,
            '--alertmanagers.url=http://alertmanager.monitoring.svc:9093',
            '--alertmanagers.url=dnssrv+http://_web._tcp.alertmanager-operated.monitoring.svc.cluster.local',
          ],
          'v0.42.4',
          'urls',
        ),
      ),
      expect: {
        'StatefulSet/thanos-rule': [
          /^error: container app: thanos rule v0\.42 exits at start: --alertmanagers\.url and --alertmanagers\.config\* are given together/,
        ],
        'StatefulSet/bad-urls': [
          /--alertmanagers\.url=alertmanager\.monitoring\.svc has no scheme \("alertmanagers\.url contains empty scheme"/,
          /--alertmanagers\.url=alertmanager:9093 has no host \("alertmanagers\.url contains empty host"/,
        ],
      },
    },
    {
      // alertmanagers is a list of maps (T@v0.42.4:pkg/alert/config.go:27-32); a bare address list does not decode.
      name: 'fails: alertmanagers written as a list of addresses does not decode, and is not read further',
      yaml: yamlOf(ruler([QUERY, am({ alertmanagers: ['http://alertmanager:9093'] })])),
      expect: {
        'StatefulSet/thanos-rule': [
          /alertmanagers\[0\] is "http:\/\/alertmanager:9093" where a map of settings is expected, which the YAML decoder refuses/,
        ],
      },
    },
    {
      // prometheus-operator's Alertmanager resource runs spec.version (Alertmanager v0.27.0 api/api.go:165-166: v1 answers 410).
      name: 'fails: api_version v1 against an Alertmanager resource of v0.28 in the input (an error: the alerts go nowhere)',
      yaml: yamlOf(ruler([QUERY, v1]), {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'Alertmanager',
        metadata: { name: 'main', namespace: 'monitoring' },
        spec: { version: 'v0.28.1', replicas: 3 },
      }),
      expect: {
        'StatefulSet/thanos-rule': [
          /^error: container app: --alertmanagers\.config: alertmanagers\[0\] has api_version: v1, .*thanos rule sends no alert to the Alertmanager of this input; write api_version: v2$/,
        ],
      },
    },
    {
      name: 'fails: api_version v1 against a Bitnami Alertmanager 0.27 (tag without v)',
      yaml: yamlOf(
        ruler([QUERY, v1]),
        workload({
          kind: 'StatefulSet',
          name: 'alertmanager',
          containers: [goodContainer({ name: 'alertmanager', image: 'docker.io/bitnami/alertmanager:0.27.0-debian-12-r0', args: [] })],
        }),
      ),
      expect: { 'StatefulSet/thanos-rule': [/^error: .*sends no alert to the Alertmanager of this input/] },
    },
    {
      name: 'warns: api_version v1 when the only Alertmanager runs a tag that names no version, or is a webhook of another name',
      yaml: yamlOf(
        ruler([QUERY, v1]),
        workload({
          kind: 'StatefulSet',
          name: 'alertmanager',
          containers: [
            goodContainer({ name: 'alertmanager', image: 'quay.io/prometheus/alertmanager:latest', args: [] }),
            goodContainer({ name: 'webhook', image: 'example.com/alertmanager-webhook:v0.27.0', args: [] }),
          ],
        }),
      ),
      expect: { 'StatefulSet/thanos-rule': [/^warning: .*sends no alert to a current Alertmanager/] },
    },
    {
      name: 'passes: api_version v1 against a local Alertmanager v0.26 image named without a registry',
      yaml: yamlOf(
        ruler([QUERY, v1]),
        workload({
          kind: 'StatefulSet',
          name: 'alertmanager',
          containers: [goodContainer({ name: 'alertmanager', image: 'alertmanager:v0.26.0', args: [] })],
        }),
      ),
      expect: {},
    },
    {
      // T@v0.42.4:cmd/thanos/rule.go:171 --grpc-query-endpoint, --query.sd-files: each names a query API (rule.go:227-232).
      name: 'passes: a ruler naming its query API by --query.sd-files or --grpc-query-endpoint; fails: --query with --query.config-file; no query on v0.34',
      yaml: yamlOf(
        ruler(['--query.sd-files=/etc/thanos/query-sd/*.yaml'], 'v0.42.4', 'sd-files'),
        ruler(['--grpc-query-endpoint=dnssrv+_grpc._tcp.thanos-query.monitoring.svc'], 'v0.42.4', 'grpc'),
        configMap('ruler-config', { 'query.yaml': '- static_configs: ["q:9090"]\n' }),
        fileRuler([QUERY, '--query.config-file=/etc/thanos/query.yaml'], 'both'),
        ruler([], 'v0.34.1', 'none'),
      ),
      expect: {
        'StatefulSet/both': [
          /^error: container app: thanos rule v0\.42 exits at start: --query\/--query\.sd-files and --query\.config\* are given together/,
        ],
        'StatefulSet/none': [/^error: container app: thanos rule v0\.34 exits at start: it has no query API/],
      },
    },
    {
      // T@v0.42.4:cmd/thanos/endpointset.go:211-224: service_config "" and compression "" or none are valid; before v0.40
      // service_config is not validated, before v0.42 compression is not (client_config is ignored: a warning only).
      name: 'endpoint SD: empty and none values pass, a bare address entry does not decode; older releases do not validate what they lack',
      yaml: yamlOf(
        query([
          sd({
            endpoints: [
              'store:10901',
              { address: 'store:10901', service_config: '' },
              { address: 'leaf:10901', client_config: { compression: '' } },
              { address: 'leaf-2:10901', client_config: { compression: 'none' } },
            ],
          }),
        ]),
        query([sd({ endpoints: [{ address: 'leaf:10901', client_config: { compression: 'gzip' } }] })], 'v0.41.0', 'v41'),
        query(
          [sd({ endpoints: [{ address: 'store:10901', service_config: '{}' }] }), '--endpoint-strict=dnssrv+_grpc._tcp.store'],
          'v0.39.2',
          'v39',
        ),
        query(['--endpoint-strict=dnssrv+_grpc._tcp.store'], 'v0.23.2', 'v23'),
      ),
      expect: {
        'Deployment/thanos-query': [
          /^error: container app: thanos query v0\.42 exits at start: --endpoint\.sd-config: endpoints\[0\] is "store:10901" where a map of settings is expected/,
        ],
        'Deployment/v41': [/^warning: .*endpoints\[0\]\.client_config is no setting of v0\.41/],
        'Deployment/v39': [
          /^warning: container app: --endpoint\.sd-config: endpoints\[0\]\.service_config is no setting of v0\.39 \(it first appears in v0\.40\)/,
          /^error: container app: thanos query v0\.39 exits at start: --endpoint-strict=dnssrv\+_grpc\._tcp\.store is a discovered address, .*; use --endpoint for a discovered address, or name each pod statically$/,
        ],
      },
    },
    {
      // T@v0.42.4:pkg/tracing/client/factory.go:59-86: the type is matched upper-cased; an unknown one stops the process.
      name: 'tracing: a templated type is not judged; an unknown type lists the types of the release, with no "first appears" when none has it',
      yaml: yamlOf(
        query(['--tracing.config={type: $(TRACING_TYPE), config: {}}'], 'v0.42.4', 'templated'),
        query(['--tracing.config={type: ZIPKIN, config: {}}']),
      ),
      expect: {
        'Deployment/thanos-query': [
          /^error: container app: --tracing\.config: thanos v0\.42 exits at start: tracing type ZIPKIN is not one it has \("tracing with type ZIPKIN is not supported", .*\); use one of STACKDRIVER, GOOGLE_CLOUD, JAEGER, ELASTIC_APM, LIGHTSTEP, OTLP$/,
        ],
      },
    },
    {
      // The same unknown key on v0.41 and v0.42 (both strict: T@v0.41.0 and T@v0.42.4 pkg/alert/config.go) is one finding, not two.
      name: '--upgrade-to v0.42 from v0.41: a problem both releases have is said once, for the running release',
      settings: { upgradeTo: 'v0.42.4' },
      yaml: yamlOf(ruler([QUERY, am({ alertmanagers: [{ static_configs: ['am:9093'], timout: '10s' }] })], 'v0.41.0')),
      expect: { 'StatefulSet/thanos-rule': [/^error: container app: thanos rule v0\.41 exits at start: .*timout is no setting of v0\.41/] },
    },
    {
      name: '--upgrade-to a text that names no release adds nothing',
      settings: { upgradeTo: 'main' },
      yaml: yamlOf(ruler(['--query.config=[{grpc_config: {endpoint_addresses: ["q:10901"]}}]'], 'v0.40.1')),
      expect: {},
    },
    {
      // kube-thanos v0.23.0 examples/all/manifests/thanos-rule-statefulSet.yaml (image v0.22.0; v0.21.0 and v0.20.0
      // the same with v0.21.1, v0.20.0): --alertmanagers.url=alertmanager:9093. Before v0.27.0 BuildAlertmanagerConfig
      // has no empty-host check (T@v0.26.0:pkg/alert/config.go:91-125; added by 22aefd6, thanos #5405, first in
      // v0.27.0): the ruler starts, and its alerts go to a URL without a host.
      name: 'fails: --alertmanagers.url without a scheme: v0.22 starts but delivers no alert, v0.29 exits at start',
      yaml: yamlOf(
        workload({
          kind: 'StatefulSet',
          name: 'thanos-rule',
          containers: [goodContainer({ image: 'quay.io/thanos/thanos:v0.22.0', args: ['rule', '--alertmanagers.url=alertmanager:9093'] })],
        }),
        workload({
          kind: 'StatefulSet',
          name: 'thanos-rule-v029',
          containers: [goodContainer({ image: 'quay.io/thanos/thanos:v0.29.0', args: ['rule', '--alertmanagers.url=alertmanager:9093'] })],
        }),
      ),
      expect: {
        'StatefulSet/thanos-rule': [
          /^error: container app: thanos rule v0\.22 starts but delivers no alert: --alertmanagers\.url=alertmanager:9093 has no host, and it posts alerts to that URL \(the start-up check that stops v0\.27 and later came with thanos #5405\); write it as http:\/\/host:9093/,
        ],
        'StatefulSet/thanos-rule-v029': [
          /^error: container app: thanos rule v0\.29 exits at start: --alertmanagers\.url=alertmanager:9093 has no host/,
        ],
      },
    },
  ]);
});
