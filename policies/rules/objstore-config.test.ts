import { describe, expect as expectThat, it } from 'vitest';
import providers from '../../core/reference/objstore-providers.json' with { type: 'json' };
import strictness from '../../core/reference/objstore-strict-by-version.json' with { type: 'json' };
import { THANOS_VERSION } from '../../settings/versions.js';
import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { objstoreConfig } from './objstore-config.js';

const mount = [{ name: 'objstore', mountPath: '/etc/thanos/objstore', readOnly: true }];
const component = (name: string, sub: string, secret: string, key = 'objstore.yml', ns = 'monitoring') =>
  workload({
    kind: 'StatefulSet',
    name,
    namespace: ns,
    containers: [goodContainer({ args: [sub, '--objstore.config-file', `/etc/thanos/objstore/${key}`], volumeMounts: mount })],
    volumes: [{ name: 'objstore', secret: { secretName: secret } }],
  });
const externalSecret = (name: string, template?: string) => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: `${name}-es`, namespace: 'monitoring' },
  spec: {
    secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
    target: { name, ...(template ? { template: { data: { 'objstore.yml': template } } } : {}) },
    data: [{ secretKey: template ? 'access_key' : 'objstore.yml', remoteRef: { key: 'thanos' } }],
  },
});

const namespace = (profile: string) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'monitoring', labels: { 'thanos-ha.dev/profile': profile } },
});
const configSecret = (name: string, text: string) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'monitoring' },
  stringData: { 'objstore.yml': text },
});

policyTable(objstoreConfig, [
  {
    name: 'passes: store, compact and sidecar on one ExternalSecret with a templated S3 config',
    yaml: yamlOf(
      externalSecret(
        'thanos-objstore',
        'type: S3\nconfig:\n  bucket: metrics\n  endpoint: s3.eu-west-1.amazonaws.com\n  access_key: {{ .access_key | toJson }}\n',
      ),
      component('store', 'store', 'thanos-objstore'),
      component('compact', 'compact', 'thanos-objstore'),
    ),
    expect: {},
  },
  {
    name: 'fails (warning): the Secret is made outside the input, which makes no Secrets at all',
    yaml: yamlOf(component('store', 'store', 'thanos-objstore')),
    expect: { 'StatefulSet/store': [/warning: container app: Secret thanos-objstore is not in the input .*must exist in the cluster/] },
  },
  {
    name: 'fails: kube-thanos style --objstore.config=$(OBJSTORE_CONFIG) from a secretKeyRef, config visible in the Secret',
    yaml: `apiVersion: v1
kind: Secret
metadata: {name: thanos-objectstorage, namespace: thanos}
stringData:
  thanos.yaml: |
    type: s3
    config: {bucket: thanos}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: thanos-store, namespace: thanos}
spec:
  serviceName: thanos-store
  selector: {matchLabels: {app: store}}
  template:
    metadata: {labels: {app: store}}
    spec:
      containers:
      - name: thanos-store
        image: quay.io/thanos/thanos:v0.42.4
        args: [store, --objstore.config=$(OBJSTORE_CONFIG)]
        env:
        - name: OBJSTORE_CONFIG
          valueFrom: {secretKeyRef: {name: thanos-objectstorage, key: thanos.yaml}}
`,
    expect: { 'StatefulSet/thanos-store': [/container thanos-store: objstore S3 config lacks the required endpoint/] },
  },
  {
    name: 'passes: a SealedSecret with the key',
    yaml: yamlOf(
      {
        apiVersion: 'bitnami.com/v1alpha1',
        kind: 'SealedSecret',
        metadata: { name: 'objstore', namespace: 'monitoring' },
        spec: { encryptedData: { 'objstore.yml': 'AgB...' } },
      },
      component('store', 'store', 'objstore'),
    ),
    expect: {},
  },
  {
    name: 'fails: different Secrets, missing key, unknown provider, missing required keys, no config, Secret absent',
    yaml: yamlOf(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'a', namespace: 'monitoring' },
        stringData: { 'objstore.yml': 'type: S3\nconfig:\n  bucket: x\n  color: blue\n' },
      },
      component('store', 'store', 'a'),
      component('compact', 'compact', 'a'),
      externalSecret('b'),
      component('rule', 'rule', 'b', 'bucket.yaml'),
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'c', namespace: 'monitoring' },
        stringData: { 'objstore.yml': 'type: DROPBOX\n' },
      },
      component('recv', 'receive', 'c'),
      workload({ kind: 'StatefulSet', name: 'bare', containers: [goodContainer({ command: ['thanos', 'store'] })] }),
      component('side', 'sidecar', 'gone', 'objstore.yml', 'other'),
    ),
    expect: {
      // S3 is parsed strictly (objstore@71d60dfee488 providers/s3/s3.go:170-172): an unknown key stops the process.
      'StatefulSet/store': [
        /lacks the required endpoint/,
        /error: .*thanos store v0.42 exits at start: objstore S3 config has the key color/,
      ],
      'StatefulSet/compact': [
        /lacks the required endpoint/,
        /error: .*thanos compact v0.42 exits at start: .*"field color not found in type s3.Config"/,
      ],
      'StatefulSet/rule': [
        /uses Secret b key bucket.yaml, but StatefulSet store, StatefulSet compact use Secret a key objstore.yml/,
        /ExternalSecret b-es makes Secret b without the key bucket.yaml \(it has objstore.yml\)/,
      ],
      'StatefulSet/recv': [/uses Secret c key objstore.yml, but StatefulSet store/, /objstore type DROPBOX is not one Thanos knows/],
      'StatefulSet/bare': [/thanos store needs object storage but has no --objstore.config-file/],
      // In namespace other: its own stack, so not "different storage" from monitoring's components.
      'StatefulSet/side': [/error: container app: Secret gone is not in the input .*though the input makes other Secrets/],
    },
  },
  {
    name: 'passes: stacks in two namespaces, each on its own Secret, are not "components on different storage"',
    yaml: yamlOf(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'a', namespace: 'team-a' },
        stringData: { 'objstore.yml': 'type: GCS\nconfig: {bucket: a}\n' },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'b', namespace: 'team-b' },
        stringData: { 'objstore.yml': 'type: GCS\nconfig: {bucket: b}\n' },
      },
      component('store-a', 'store', 'a', 'objstore.yml', 'team-a'),
      component('compact-a', 'compact', 'a', 'objstore.yml', 'team-a'),
      component('store-b', 'store', 'b', 'objstore.yml', 'team-b'),
    ),
    expect: {},
  },
  {
    name: 'passes: two Secrets and an inline config naming the same bucket are one store; a file an injector writes is not compared',
    yaml: yamlOf(
      configSecret('a', 'type: GCS\nconfig: {bucket: metrics}\n'),
      configSecret('b', 'type: GCS\nconfig:\n  bucket: metrics\n'),
      component('store', 'store', 'a'),
      component('compact', 'compact', 'b'),
      workload({
        kind: 'StatefulSet',
        name: 'rule',
        containers: [goodContainer({ args: ['rule', '--objstore.config=type: GCS\nconfig: {bucket: metrics}'] })],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'recv',
        annotations: { 'vault.hashicorp.com/agent-inject': 'true' },
        containers: [goodContainer({ args: ['receive', '--objstore.config-file=/vault/secrets/objstore.yml'] })],
      }),
    ),
    expect: { 'StatefulSet/recv': [/warning: .*no volume is mounted at \/vault\/secrets\/objstore.yml/] },
  },
  {
    name: 'fails: two inline configs that read alike but differ are named as different, never as the same value',
    yaml: yamlOf(
      workload({
        kind: 'StatefulSet',
        name: 'store',
        containers: [
          goodContainer({ args: ['store', '--objstore.config=type: GCS\nconfig: {bucket: "{{ .bucket }}", service_account: a}'] }),
        ],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'compact',
        containers: [
          goodContainer({ args: ['compact', '--objstore.config=type: GCS\nconfig: {bucket: "{{ .bucket }}", service_account: b}'] }),
        ],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'rule',
        containers: [
          goodContainer({ args: ['rule', '--objstore.config=type: GCS\nconfig: {bucket: "{{ .bucket }}", service_account: b}'] }),
        ],
      }),
    ),
    expect: {
      'StatefulSet/store': [
        /uses an inline --objstore.config \(type: GCS config: .*\.\.\.\), but StatefulSet compact, StatefulSet rule use a different inline --objstore.config/,
      ],
    },
  },
  // One store per case: the finding under test is the only one.
  ...[
    [
      'passes in prod: OSS https:// (internal) endpoint',
      'prod',
      'type: ALIYUNOSS\nconfig: {bucket: b, endpoint: "https://oss-cn-hangzhou-internal.aliyuncs.com", access_key_id: x, access_key_secret: y}',
      undefined,
    ],
    [
      'passes in prod: COS https:// endpoint',
      'prod',
      'type: COS\nconfig: {bucket: b, endpoint: "https://b-125.cos.ap-singapore.myqcloud.com", secret_id: x, secret_key: y}',
      undefined,
    ],
    [
      'passes in prod: Swift https:// auth_url',
      'prod',
      'type: SWIFT\nconfig: {auth_url: "https://keystone:5000/v3", container_name: c}',
      undefined,
    ],
    [
      'passes in prod: S3 host with insecure: false',
      'prod',
      'type: S3\nconfig: {bucket: b, endpoint: "s3.eu-west-1.amazonaws.com", insecure: false}',
      undefined,
    ],
    [
      'fails in staging: OSS endpoint without a scheme',
      'staging',
      'type: ALIYUNOSS\nconfig: {bucket: b, endpoint: oss-cn-hangzhou.aliyuncs.com, access_key_id: x, access_key_secret: y}',
      /^error: container app: ALIYUNOSS endpoint 'oss-cn-hangzhou.aliyuncs.com' has no scheme, so the OSS SDK speaks plain HTTP; write https:\/\/oss-cn-hangzhou.aliyuncs.com \(plain HTTP is allowed only in a Namespace labelled thanos-ha.dev\/profile: dev\)$/,
    ],
    [
      'fails in prod: COS http:// endpoint',
      'prod',
      'type: COS\nconfig: {bucket: b, endpoint: "http://b-125.cos.ap-singapore.myqcloud.com", secret_id: x, secret_key: y}',
      /^error: .*COS endpoint 'http:\/\/b-125.cos.ap-singapore.myqcloud.com' is plain http:\/\/; use https:\/\//,
    ],
    [
      'fails in prod: Swift http:// auth_url',
      'prod',
      'type: SWIFT\nconfig: {auth_url: "http://keystone:5000/v3", container_name: c}',
      /^error: .*SWIFT auth_url 'http:\/\/keystone:5000\/v3' is plain http:\/\//,
    ],
    [
      'fails in prod: S3 insecure: true',
      'prod',
      'type: S3\nconfig: {bucket: b, endpoint: "minio:9000", insecure: true}',
      /^error: .*S3 `insecure: true` sends credentials and blocks over plain HTTP/,
    ],
    [
      'fails in prod: S3 endpoint with a scheme',
      'prod',
      'type: S3\nconfig: {bucket: b, endpoint: "https://s3.example.com"}',
      /^error: .*S3 endpoint 'https:\/\/s3.example.com' has a scheme, which the S3 client rejects/,
    ],
    [
      'passes in dev: the in-cluster MinIO over HTTP',
      'dev',
      'type: S3\nconfig: {bucket: b, endpoint: "minio:9000", insecure: true}',
      undefined,
    ],
    [
      'passes in dev: an OSS endpoint without a scheme',
      'dev',
      'type: ALIYUNOSS\nconfig: {bucket: b, endpoint: oss-cn-hangzhou.aliyuncs.com, access_key_id: x, access_key_secret: y}',
      undefined,
    ],
  ].map(([name, profile, text, finding]) => {
    const expect: Record<string, RegExp[]> = finding ? { 'StatefulSet/store': [finding as RegExp] } : {};
    return {
      name: name as string,
      yaml: yamlOf(
        namespace(profile as string),
        configSecret('thanos-objstore', `${text as string}\n`),
        component('store', 'store', 'thanos-objstore'),
      ),
      expect,
    };
  }),
  {
    name: 'fails: an ExternalSecret template with a scheme-less OSS endpoint and templated credentials, no Namespace in the input',
    yaml: yamlOf(
      externalSecret(
        'thanos-objstore',
        'type: ALIYUNOSS\nconfig:\n  bucket: b\n  endpoint: oss-cn-hangzhou.aliyuncs.com\n  access_key_id: {{ .access_key_id | toJson }}\n  access_key_secret: {{ .access_key_secret | toJson }}\n',
      ),
      component('store', 'store', 'thanos-objstore'),
    ),
    expect: { 'StatefulSet/store': [/error: .*ALIYUNOSS endpoint 'oss-cn-hangzhou.aliyuncs.com' has no scheme/] },
  },
  // Strictness per provider and release: scripts/read-objstore-strictness.mjs -> core/reference/objstore-strict-by-version.json.
  ...(
    [
      // [name, image tag, objstore text, expected finding or undefined]
      // Wrapper: yaml.UnmarshalStrict into BucketConfig{type, config, prefix} (objstore@71d60dfee488 client/factory.go:30-41).
      [
        'wrapper: a provider key at the top level is misplaced',
        'v0.42.4',
        'type: GCS\nbucket: b\nconfig: {bucket: b}',
        /error: .*thanos store v0.42 exits at start: the objstore config has a top-level key bucket, .*"field bucket not found in type client.BucketConfig"\); bucket is a GCS setting: move it under config:/,
      ],
      [
        'wrapper: a misspelt prefix',
        'v0.42.4',
        'type: GCS\nprefixx: p\nconfig: {bucket: b}',
        /top-level key prefixx, and the wrapper takes only type, config, prefix .* Did you mean 'prefix'\?/,
      ],
      [
        'wrapper: prefix passes from v0.27 (pkg/objstore/client/factory.go BucketConfig.Prefix)',
        'v0.27.0',
        'type: GCS\nprefix: p\nconfig: {bucket: b}',
        undefined,
      ],
      [
        'wrapper: prefix is refused before v0.27',
        'v0.26.0',
        'type: GCS\nprefix: p\nconfig: {bucket: b}',
        /thanos store v0.26 exits at start: the objstore config has a top-level key prefix, .*\(prefix first appears in v0.27\)/,
      ],
      // GCS: strict from v0.35 (objstore@e8336a5fd5f3 providers/gcs/gcs.go parseConfig; @71d60dfee488 gcs.go:75-77), yaml.Unmarshal before.
      [
        'GCS strict on v0.42: a typo stops the process',
        'v0.42.4',
        'type: GCS\nconfig: {bucket: b, service_acount: x}',
        /error: .*exits at start: objstore GCS config has the key service_acount, which gcs.Config does not have.* Did you mean 'service_account'\?/,
      ],
      [
        'GCS lenient on v0.34: the same typo has no effect',
        'v0.34.1',
        'type: GCS\nconfig: {bucket: b, service_acount: x}',
        /warning: .*objstore GCS config key service_acount has no effect: thanos store v0.34 reads GCS configs leniently/,
      ],
      // no_auth is the tag of the unexported field noAuth (objstore@71d60dfee488 providers/gcs/gcs.go:56), which yaml.v2 skips
      // (go-yaml v2.4.0 yaml.go:323-326, "Private field"): strict GCS stops on it. This case said it passed, from the tag alone.
      [
        'GCS no_auth stops v0.42: noAuth is unexported, so no key (objstore@71d60dfee488 gcs.go:56, gcs.go:77 UnmarshalStrict)',
        'v0.42.4',
        'type: GCS\nconfig: {bucket: b, no_auth: true}',
        /^error: container app: thanos store v0\.42 exits at start: objstore GCS config has the key no_auth, which gcs\.Config does not have; GCS configs are parsed strictly \("field no_auth not found in type gcs\.Config"\)$/,
      ],
      [
        'GCS no_auth on v0.34 (lenient) is ignored: a warning that it has no effect',
        'v0.34.1',
        'type: GCS\nconfig: {bucket: b, no_auth: true}',
        /^warning: container app: objstore GCS config key no_auth has no effect: thanos store v0\.34 reads GCS configs leniently/,
      ],
      [
        'GCS use_grpc, a key of its own, passes on v0.42 (objstore@71d60dfee488 gcs.go:44)',
        'v0.42.4',
        'type: GCS\nconfig: {bucket: b, use_grpc: true}',
        undefined,
      ],
      // http_config timeouts are model.Duration (objstore@71d60dfee488 exthttp/transport.go:26-31): model.ParseDuration
      // (prometheus/common v0.67.5 model/time.go:205-247) refuses a fraction or a bare number, lenient provider or not.
      [
        'S3 http_config.idle_conn_timeout: 1.5m stops the process (no fractions in a model duration)',
        'v0.42.4',
        'type: S3\nconfig: {bucket: b, endpoint: s3.amazonaws.com, http_config: {idle_conn_timeout: 1.5m}}',
        /^error: container app: thanos store v0\.42 exits at start: objstore S3 config http_config\.idle_conn_timeout: 1\.5m is not a duration model\.ParseDuration reads .*write e\.g\. 90s$/,
      ],
      [
        'COS (lenient) http_config.response_header_timeout: 120 stops it too: a type error, not an unknown key',
        'v0.42.4',
        'type: COS\nconfig: {endpoint: "https://b-1.cos.ap-beijing.myqcloud.com", secret_id: i, secret_key: k, http_config: {response_header_timeout: 120}}',
        /^error: .*objstore COS config http_config\.response_header_timeout: 120 is not a duration/,
      ],
      [
        'S3 http_config.tls_handshake_timeout: 10 (no unit) and expect_continue_timeout: 300y (past 292 years) stop it',
        'v0.42.4',
        'type: S3\nconfig: {bucket: b, endpoint: s3.amazonaws.com, http_config: {tls_handshake_timeout: 10, expect_continue_timeout: 300y}}',
        [
          /^error: .*http_config\.tls_handshake_timeout: 10 is not a duration model\.ParseDuration reads .*a unit on every number\); write e\.g\. 90s$/,
          /^error: .*http_config\.expect_continue_timeout: 300y is longer than a duration holds \(about 292 years\)/,
        ],
      ],
      [
        'S3 http_config timeouts 1d, 1m30s and 0 pass (model durations take d and a bare 0)',
        'v0.42.4',
        'type: S3\nconfig: {bucket: b, endpoint: s3.amazonaws.com, http_config: {idle_conn_timeout: 1d, tls_handshake_timeout: 1m30s, expect_continue_timeout: 0}}',
        undefined,
      ],
      // S3: strict in every release (T@v0.20.2:pkg/objstore/s3/s3.go:167); aws_sdk_auth from v0.25 (thanos-io/thanos#5786).
      [
        'S3 aws_sdk_auth on v0.24 stops the process',
        'v0.24.0',
        'type: S3\nconfig: {bucket: b, endpoint: s3.amazonaws.com, aws_sdk_auth: true}',
        /error: .*v0.24 exits at start: objstore S3 config has the key aws_sdk_auth, .*\(aws_sdk_auth first appears in v0.25\)/,
      ],
      [
        'S3 aws_sdk_auth on v0.25 passes',
        'v0.25.2',
        'type: S3\nconfig: {bucket: b, endpoint: s3.amazonaws.com, aws_sdk_auth: true}',
        undefined,
      ],
      // Azure: strict from v0.22 (T@v0.22.0:pkg/objstore/azure/azure.go), lenient in v0.20-v0.21.
      [
        'Azure unknown key stops v0.42 (objstore@71d60dfee488 providers/azure/azure.go:131-133)',
        'v0.42.4',
        'type: AZURE\nconfig: {storage_account: a, container: c, storage_acount_key: k}',
        /error: .*objstore AZURE config has the key storage_acount_key.* Did you mean 'storage_account_key'\?/,
      ],
      [
        'Azure unknown key has no effect on v0.21',
        'v0.21.1',
        'type: AZURE\nconfig: {storage_account: a, container: c, colour: k}',
        /warning: .*AZURE config key colour has no effect/,
      ],
      // Swift (swift.go:74-76) and OBS (obs.go:87-89): strict.
      [
        'Swift unknown key stops the process',
        'v0.42.4',
        'type: SWIFT\nconfig: {auth_url: "https://keystone:5000/v3", container_name: c, tenant: t}',
        /error: .*objstore SWIFT config has the key tenant, which swift.Config does not have/,
      ],
      [
        'OBS unknown key stops the process',
        'v0.42.4',
        'type: OBS\nconfig: {bucket: b, endpoint: "https://obs.example.com", access_key: a, secret_key: s, region: r}',
        /error: .*objstore OBS config has the key region, which obs.Config does not have/,
      ],
      [
        'OBS does not exist before v0.32',
        'v0.31.0',
        'type: OBS\nconfig: {bucket: b, endpoint: "https://obs.example.com", access_key: a, secret_key: s}',
        /error: .*thanos store v0.31 exits at start: it has no objstore type OBS \("bucket with type OBS is not supported"\); OBS first appears in v0.32/,
      ],
      // Lenient: COS (cos.go:89-91), OSS (oss.go:166-168), BOS (bos.go:58-60), OCI (oci.go:324-330), FILESYSTEM (filesystem.go:33-35).
      [
        'COS unknown key has no effect',
        'v0.42.4',
        'type: COS\nconfig: {endpoint: "https://b-1.cos.ap-beijing.myqcloud.com", secret_id: i, secret_key: k, regoin: r}',
        /warning: .*objstore COS config key regoin has no effect: .*ignores keys cos.Config does not have.* Did you mean 'region'\?/,
      ],
      [
        // The Go package is oss, not aliyunoss (objstore@71d60dfee488 providers/oss/oss.go:4), as yaml.v2 names the type.
        'OSS unknown key has no effect',
        'v0.42.4',
        'type: ALIYUNOSS\nconfig: {bucket: b, endpoint: "https://oss-cn-hangzhou.aliyuncs.com", access_key_id: x, access_key_secret: y, region: r}',
        /warning: .*ALIYUNOSS config key region has no effect: .*ignores keys oss\.Config does not have/,
      ],
      [
        'BOS unknown key has no effect',
        'v0.42.4',
        'type: BOS\nconfig: {bucket: b, endpoint: "https://bj.bcebos.com", access_key: a, secret_key: s, region: r}',
        /warning: .*BOS config key region has no effect/,
      ],
      [
        'OCI unknown key has no effect',
        'v0.42.4',
        'type: OCI\nconfig: {bucket: b, provider: raw, region: r, tenancy_ocid: t, compartment_ocid: c, user_ocid: u, fingerprint: f, privatekey: k, colour: x}',
        /warning: .*OCI config key colour has no effect/,
      ],
      [
        'FILESYSTEM unknown key has no effect (and is for tests only)',
        'v0.42.4',
        'type: FILESYSTEM\nconfig: {directory: /data, dir: /x}',
        /warning: .*FILESYSTEM config key dir has no effect/,
      ],
    ] as const
  ).map(([name, tag, text, finding]) => {
    const findings: RegExp[] = Array.isArray(finding) ? [...finding] : finding ? [finding as RegExp] : [];
    if (text.startsWith('type: FILESYSTEM')) findings.push(/warning: .*FILESYSTEM is for tests only/);
    const expect: Record<string, RegExp[]> = findings.length ? { 'StatefulSet/store': findings } : {};
    return {
      name: `${finding ? 'fails' : 'passes'}: ${name}`,
      yaml: yamlOf(
        namespace('dev'),
        configSecret('thanos-objstore', `${text}\n`),
        workload({
          kind: 'StatefulSet',
          name: 'store',
          containers: [
            goodContainer({
              image: `quay.io/thanos/thanos:${tag}`,
              args: ['store', '--objstore.config-file', '/etc/thanos/objstore/objstore.yml'],
              volumeMounts: mount,
            }),
          ],
          volumes: [{ name: 'objstore', secret: { secretName: 'thanos-objstore' } }],
        }),
      ),
      expect,
    };
  }),
  {
    // --upgrade-to judges the config by the target: aws_sdk_auth is an S3 key from v0.25 (S3 strict in every release, T@v0.20.2:pkg/objstore/s3/s3.go:167)
    name: '--upgrade-to v0.24: an S3 config with aws_sdk_auth would stop store; the running v0.42 reads it',
    yaml: yamlOf(
      configSecret('thanos-objstore', 'type: S3\nconfig: {bucket: b, endpoint: s3.amazonaws.com, aws_sdk_auth: true}'),
      component('store', 'store', 'thanos-objstore'),
    ),
    settings: { upgradeTo: 'v0.24.0' },
    expect: {
      'StatefulSet/store': [
        /error: container app: upgrading to v0\.24\.0: thanos store v0\.24 exits at start: objstore S3 config has the key aws_sdk_auth.*first appears in v0\.25/,
      ],
    },
  },
  {
    // GCS is lenient before v0.35 (objstore@e8336a5fd5f3): a typo that stops v0.42 is only ignored on v0.34, not a new error
    name: '--upgrade-to v0.25 with the same config: nothing new; --upgrade-to v0.34 of a GCS typo that v0.42 refuses: said as the warning it becomes',
    yaml: yamlOf(
      configSecret('thanos-objstore', 'type: GCS\nconfig: {bucket: b, service_acount: x}'),
      component('store', 'store', 'thanos-objstore'),
    ),
    settings: { upgradeTo: 'v0.34.1' },
    expect: {
      'StatefulSet/store': [
        /error: .*thanos store v0\.42 exits at start: objstore GCS config has the key service_acount/,
        /warning: .*upgrading to v0\.34\.1: objstore GCS config key service_acount has no effect: thanos store v0\.34 reads GCS configs leniently/,
      ],
    },
  },
]);

describe('objstore reference data', () => {
  it('every provider key the generator may write is a key the pinned release reads (strict providers would exit on any other)', () => {
    const keys = strictness.keys as unknown as Record<string, Record<string, [string, string][]>>;
    const release = strictness.releases as Record<string, unknown>;
    expectThat(Object.keys(release)).toContain(THANOS_VERSION);
    const missing = Object.entries(providers as Record<string, { keys: string[] }>).flatMap(([type, { keys: written }]) =>
      written.filter((k) => !keys[type]?.[k]?.some(([, to]) => to === THANOS_VERSION)).map((k) => `${type}.${k}`),
    );
    expectThat(missing).toEqual([]);
  });
});

describe('objstore-config (mutation)', () => {
  const s3 = 'type: S3\nconfig: {bucket: metrics, endpoint: s3.eu-west-1.amazonaws.com}\n';
  const secretIn = (name: string, ns: string | null, text: string) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, ...(ns === null ? {} : { namespace: ns }) },
    stringData: { 'objstore.yml': text },
  });
  const on = (
    name: string,
    sub: string,
    volume: Record<string, unknown>,
    ns: string | null = 'monitoring',
    kind: 'StatefulSet' | 'Job' = 'StatefulSet',
  ) =>
    workload({
      kind,
      name,
      namespace: ns,
      containers: [
        goodContainer({ args: [...sub.split(' '), '--objstore.config-file', '/etc/thanos/objstore/objstore.yml'], volumeMounts: mount }),
      ],
      volumes: [{ name: 'objstore', ...volume }],
    });
  const injected = (name: string) =>
    workload({
      kind: 'StatefulSet',
      name,
      annotations: { 'vault.hashicorp.com/agent-inject': 'true' },
      containers: [goodContainer({ args: ['receive', '--objstore.config-file=/vault/secrets/objstore.yml'] })],
    });
  const makers: [string, Record<string, unknown>][] = [
    ['Secret', secretIn('thanos-objstore-config', 'monitoring', s3)],
    ['ExternalSecret', externalSecret('thanos-objstore-config')],
    [
      'SealedSecret',
      {
        apiVersion: 'bitnami.com/v1alpha1',
        kind: 'SealedSecret',
        metadata: { name: 'thanos-objstore-config', namespace: 'monitoring' },
        spec: { encryptedData: { 'objstore.yml': 'AgB...' } },
      },
    ],
  ];
  policyTable(objstoreConfig, [
    {
      name: 'fails: an objstore.yml indented with a tab is not YAML',
      yaml: yamlOf(
        configSecret('thanos-objstore', 'type: S3\nconfig:\n\tbucket: metrics\n'),
        component('store', 'store', 'thanos-objstore'),
      ),
      expect: { 'StatefulSet/store': [/^error: container app: the objstore config is not valid YAML$/] },
    },
    {
      name: 'fails: a bare bucket config without the type/config wrapper has no `type` (objstore@71d60dfee488 client/factory.go:30-34)',
      yaml: yamlOf(
        configSecret('thanos-objstore', 'bucket: metrics\nendpoint: s3.eu-west-1.amazonaws.com\n'),
        component('store', 'store', 'thanos-objstore'),
      ),
      expect: { 'StatefulSet/store': [/^error: container app: the objstore config has no `type`$/] },
    },
    {
      name: 'passes: a lower-case type, which the client upper-cases (objstore@71d60dfee488 client/factory.go:56)',
      yaml: yamlOf(
        configSecret('thanos-objstore', 'type: gcs\nconfig: {bucket: metrics}\n'),
        component('store', 'store', 'thanos-objstore'),
      ),
      expect: {},
    },
    {
      name: 'fails: type MINIO (MinIO speaks S3) is no provider; the known ones are listed',
      yaml: yamlOf(
        configSecret('thanos-objstore', 'type: MINIO\nconfig: {bucket: metrics, endpoint: "minio:9000"}\n'),
        component('store', 'store', 'thanos-objstore'),
      ),
      expect: {
        'StatefulSet/store': [
          /^error: container app: objstore type MINIO is not one Thanos knows \(S3, GCS, AZURE, SWIFT, COS, ALIYUNOSS, BOS, FILESYSTEM, OCI, OBS\)$/,
        ],
      },
    },
    {
      name: 'fails: an empty bucket is as missing as no endpoint, both named',
      yaml: yamlOf(
        configSecret('thanos-objstore', 'type: S3\nconfig: {bucket: "", region: eu-west-1}\n'),
        component('store', 'store', 'thanos-objstore'),
      ),
      expect: { 'StatefulSet/store': [/^error: container app: objstore S3 config lacks the required bucket, endpoint$/] },
    },
    {
      // thanos v0.42.4 docs/components/store.md:636-641 (the hedging_config block, added to a bucket config as the doc
      // says). Store reads hedging_config from the objstore document (T@v0.42.4:cmd/thanos/store.go:327-330), then hands
      // the same bytes to client.NewBucket (:331), whose wrapper is parsed strictly (objstore@71d60df client/factory.go:30-42,
      // yaml.UnmarshalStrict): Store exits as compact does, which hands it only to the wrapper.
      name: 'fails: hedging_config at the top level, as the docs place it, stops store and compact',
      yaml: yamlOf(
        configSecret('thanos-objstore', `${s3}hedging_config:\n  enabled: true\n  up_to: 3\n`),
        component('store', 'store', 'thanos-objstore'),
        component('compact', 'compact', 'thanos-objstore'),
      ),
      expect: {
        'StatefulSet/store': [
          /^error: container app: thanos store v0\.42 exits at start: the objstore config has a top-level key hedging_config, and the wrapper takes only type, config, prefix \(yaml.UnmarshalStrict: "field hedging_config not found in type client.BucketConfig"\); thanos store reads hedging_config from this file first \(cmd\/thanos\/store.go:327-331@v0.42.4\), as docs\/components\/store.md:619-641 says, but the wrapper it then parses the same file with refuses it: remove it$/,
        ],
        'StatefulSet/compact': [
          /^error: container app: thanos compact v0\.42 exits at start: the objstore config has a top-level key hedging_config, and the wrapper takes only type, config, prefix \(yaml.UnmarshalStrict: "field hedging_config not found in type client.BucketConfig"\)$/,
        ],
      },
    },
    {
      name: 'compact without object storage fails; a sidecar without it (no upload) passes',
      yaml: yamlOf(
        workload({ kind: 'StatefulSet', name: 'compact', containers: [goodContainer({ args: ['compact', '--data-dir=/data'] })] }),
        workload({
          kind: 'StatefulSet',
          name: 'prometheus',
          containers: [goodContainer({ args: ['sidecar', '--tsdb.path=/prometheus'] })],
        }),
      ),
      expect: { 'StatefulSet/compact': [/^error: container app: thanos compact needs object storage but has no --objstore.config-file/] },
    },
    {
      name: 'fails: a thanos tools bucket Job reads the config with the same strict parser',
      yaml: yamlOf(
        configSecret('thanos-objstore', 'type: S3\nconfig: {bucket: metrics, endpoint: s3.eu-west-1.amazonaws.com, colour: blue}\n'),
        on('verify', 'tools bucket verify', { secret: { secretName: 'thanos-objstore' } }, 'monitoring', 'Job'),
      ),
      expect: { 'Job/verify': [/^error: container app: thanos tools v0\.42 exits at start: objstore S3 config has the key colour/] },
    },
    {
      name: 'files an injector writes are not compared, even when most components read one; the odd Secret still is',
      yaml: yamlOf(
        configSecret('a', s3),
        configSecret('b', 'type: S3\nconfig: {bucket: other, endpoint: s3.eu-west-1.amazonaws.com}\n'),
        component('store', 'store', 'a'),
        component('compact', 'compact', 'a'),
        component('rule', 'rule', 'b'),
        injected('recv-0'),
        injected('recv-1'),
        injected('recv-2'),
      ),
      expect: {
        'StatefulSet/rule': [
          /^error: container app: uses Secret b key objstore.yml, but StatefulSet store, StatefulSet compact use Secret a key/,
        ],
        'StatefulSet/recv-0': [/^warning: .*no volume is mounted at \/vault\/secrets\/objstore.yml/],
        'StatefulSet/recv-1': [/^warning: .*no volume is mounted at \/vault\/secrets\/objstore.yml/],
        'StatefulSet/recv-2': [/^warning: .*no volume is mounted at \/vault\/secrets\/objstore.yml/],
      },
    },
    {
      name: 'fails: four components on one bucket are named as three and 1 more',
      yaml: yamlOf(
        configSecret('a', s3),
        configSecret('b', 'type: S3\nconfig: {bucket: other, endpoint: s3.eu-west-1.amazonaws.com}\n'),
        component('store', 'store', 'a'),
        component('compact', 'compact', 'a'),
        component('rule', 'rule', 'a'),
        component('recv', 'receive', 'a'),
        component('side', 'sidecar', 'b'),
      ),
      expect: {
        'StatefulSet/side': [
          /^error: container app: uses Secret b key objstore.yml, but StatefulSet store, StatefulSet compact, StatefulSet rule and 1 more use Secret a key objstore.yml;/,
        ],
      },
    },
    {
      name: 'fails: three components on one bucket are all named',
      yaml: yamlOf(
        configSecret('a', s3),
        configSecret('b', 'type: S3\nconfig: {bucket: other, endpoint: s3.eu-west-1.amazonaws.com}\n'),
        component('store', 'store', 'a'),
        component('compact', 'compact', 'a'),
        component('rule', 'rule', 'a'),
        component('side', 'sidecar', 'b'),
      ),
      expect: {
        'StatefulSet/side': [/but StatefulSet store, StatefulSet compact, StatefulSet rule use Secret a key objstore.yml;/],
      },
    },
    {
      name: 'namespace-less manifests (kubectl apply -n) are one stack, and not dev although the input has a dev Namespace',
      yaml: yamlOf(
        namespace('dev'),
        secretIn('a', null, 'type: S3\nconfig: {bucket: metrics, endpoint: "minio:9000", insecure: true}\n'),
        secretIn('b', null, 'type: S3\nconfig: {bucket: other, endpoint: "minio:9000", insecure: true}\n'),
        on('store', 'store', { secret: { secretName: 'a' } }, null),
        on('compact', 'compact', { secret: { secretName: 'b' } }, null),
      ),
      expect: {
        'StatefulSet/store': [/S3 `insecure: true`/],
        'StatefulSet/compact': [
          /uses Secret b key objstore.yml, but StatefulSet store use Secret a key objstore.yml/,
          /S3 `insecure: true`/,
        ],
      },
    },
    ...makers.map(([kind, maker]) => ({
      name: `fails: the store mounts Secret thanos-objstore, the input makes only a ${kind} thanos-objstore-config: a wrong name`,
      yaml: yamlOf(maker, component('store', 'store', 'thanos-objstore')),
      expect: {
        'StatefulSet/store': [
          /^error: container app: Secret thanos-objstore is not in the input .*though the input makes other Secrets: is the name wrong\?$/,
        ],
      },
    })),
    {
      name: 'passes: an optional Secret volume may be absent (the pod starts without it)',
      yaml: yamlOf(configSecret('other', s3), on('store', 'store', { secret: { secretName: 'thanos-objstore', optional: true } })),
      expect: {},
    },
    {
      name: 'fails: a placeholder Secret with no data lacks the key',
      yaml: yamlOf(
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'thanos-objstore', namespace: 'monitoring' } },
        component('store', 'store', 'thanos-objstore'),
      ),
      expect: {
        'StatefulSet/store': [
          /^error: container app: Secret thanos-objstore makes Secret thanos-objstore without the key objstore.yml \(it has no keys\)$/,
        ],
      },
    },
    {
      name: 'passes: a keyless S3 config (IRSA) in a ConfigMap',
      yaml: yamlOf(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'thanos-objstore', namespace: 'monitoring' },
          data: { 'objstore.yml': s3 },
        },
        on('store', 'store', { configMap: { name: 'thanos-objstore' } }),
      ),
      expect: {},
    },
    {
      name: 'fails: a ConfigMap the input does not make is an error, not a warning',
      yaml: yamlOf(on('store', 'store', { configMap: { name: 'thanos-objstore' } })),
      expect: {
        'StatefulSet/store': [
          /^error: container app: ConfigMap thanos-objstore \(mounted for \/etc\/thanos\/objstore\/objstore.yml\) is not in the input$/,
        ],
      },
    },
    {
      // S3 is strict in both releases (objstore@71d60dfee488 providers/s3/s3.go:170-172): the finding is the same, said once.
      name: '--upgrade-to v0.40 of an S3 config both releases refuse: said once, for the running release',
      yaml: yamlOf(
        configSecret('thanos-objstore', 'type: S3\nconfig: {bucket: metrics, endpoint: s3.eu-west-1.amazonaws.com, colour: blue}\n'),
        component('store', 'store', 'thanos-objstore'),
      ),
      settings: { upgradeTo: 'v0.40.1' },
      expect: {
        'StatefulSet/store': [
          /^error: container app: thanos store v0\.42 exits at start: objstore S3 config has the key colour, which s3.Config does not have; S3 configs are parsed strictly \("field colour not found in type s3.Config"\)$/,
        ],
      },
    },
    {
      name: '--upgrade-to latest (no version) judges nothing more',
      yaml: yamlOf(
        configSecret('thanos-objstore', 'type: S3\nconfig: {bucket: metrics, endpoint: s3.eu-west-1.amazonaws.com, aws_sdk_auth: true}\n'),
        component('store', 'store', 'thanos-objstore'),
      ),
      settings: { upgradeTo: 'latest' },
      expect: {},
    },
  ]);
});
