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
