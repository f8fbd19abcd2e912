import { describe } from 'vitest';
import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { credentials } from './credentials.js';

const externalSecret = (data: Record<string, string>) => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: 'objstore', namespace: 'm' },
  spec: { secretStoreRef: { name: 's', kind: 'ClusterSecretStore' }, target: { name: 'objstore', template: { data } } },
});

policyTable(credentials, [
  {
    name: 'passes: templated ExternalSecret, objstore config from a variable, env from a Secret, placeholders',
    yaml: yamlOf(
      externalSecret({
        'objstore.yml': 'type: S3\nconfig:\n  bucket: b\n  access_key: "{{ .access_key }}"\n  secret_key: "{{ .secret_key }}"\n',
      }),
      workload({
        name: 'store',
        containers: [
          goodContainer({
            args: ['store', '--objstore.config=$(OBJSTORE_CONFIG)'],
            env: [
              { name: 'OBJSTORE_CONFIG', valueFrom: { secretKeyRef: { name: 'objstore', key: 'objstore.yml' } } },
              { name: 'API_TOKEN', value: 'CHANGE-ME-token' },
            ],
          }),
        ],
      }),
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c', namespace: 'm' },
        data: {
          'objstore.yml': 'type: GCS\nconfig: {bucket: b}\n',
          password_file: '',
          'prometheus.yaml':
            'scrape_configs:\n- job_name: k\n  authorization: {credentials_file: /var/run/secrets/kubernetes.io/serviceaccount/token}\n  relabel_configs: [{replacement: x}]\n',
        },
      },
    ),
    expect: {},
  },
  {
    name: 'fails: keys inline in --objstore.config, a literal secret env, literal keys in a template and a ConfigMap',
    yaml: yamlOf(
      externalSecret({ 'objstore.yml': 'type: S3\nconfig:\n  bucket: b\n  access_key: AKIAEXAMPLE\n  secret_key: s3cr3t\n' }),
      workload({
        name: 'store',
        containers: [
          goodContainer({
            args: ['store', '--objstore.config=type: S3\nconfig: {bucket: b, access_key: AKIAEXAMPLE, secret_key: s3cr3t}'],
            env: [{ name: 'AWS_SECRET_ACCESS_KEY', value: 's3cr3t' }],
          }),
        ],
      }),
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c', namespace: 'm' },
        data: { 'objstore.yml': 'type: AZURE\nconfig: {storage_account: a, storage_account_key: k3y}\n' },
      },
    ),
    expect: {
      'ExternalSecret/objstore': [/template data objstore.yml: config.access_key; template data objstore.yml: config.secret_key/],
      'Deployment/store': [
        /container app --objstore.config: config.access_key.*container app env AWS_SECRET_ACCESS_KEY \(a literal value\)/,
      ],
      'ConfigMap/c': [/ConfigMap data objstore.yml: config.storage_account_key/],
    },
  },
  {
    // The kubelet expands $(TOKEN) from the variable before the process starts (kubernetes
    // third_party/forked/golang/expansion/expand.go Expand); an _ID is the identifier half of a pair
    // (objstore@71d60dfee488 providers/swift/swift.go:56-58 application_credential_id / _secret).
    name: 'passes: env values built from a $(VAR) reference (Bearer $(TOKEN), $(USER):$(PASSWORD)), OS_APPLICATION_CREDENTIAL_ID and a swift application_credential_id',
    yaml: yamlOf(
      workload({
        kind: 'StatefulSet',
        name: 'rule',
        containers: [
          goodContainer({
            args: [
              'rule',
              '--objstore.config=type: SWIFT\nconfig: {auth_url: https://keystone.example/v3, application_credential_id: 1b3c9f0e8d7a4c2b, application_credential_secret: $(OS_APPLICATION_CREDENTIAL_SECRET), container_name: thanos}',
            ],
            env: [
              { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'remote-write', key: 'token' } } },
              { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'remote-write', key: 'password' } } },
              { name: 'AUTH_TOKEN', value: 'Bearer $(TOKEN)' },
              { name: 'BASIC_CREDENTIALS', value: '$(USER):$(PASSWORD)' },
              { name: 'OS_APPLICATION_CREDENTIAL_ID', value: '1b3c9f0e8d7a4c2b' },
              { name: 'OS_APPLICATION_CREDENTIAL_SECRET', valueFrom: { secretKeyRef: { name: 'swift', key: 'secret' } } },
            ],
          }),
        ],
      }),
    ),
    expect: {},
  },
  {
    name: 'fails: a literal bearer token, OS_APPLICATION_CREDENTIAL_SECRET written in, a swift application_credential_secret beside its id',
    yaml: yamlOf(
      workload({
        kind: 'StatefulSet',
        name: 'rule',
        containers: [
          goodContainer({
            args: [
              'rule',
              '--objstore.config=type: SWIFT\nconfig: {auth_url: https://keystone.example/v3, application_credential_id: 1b3c9f0e8d7a4c2b, application_credential_secret: 9xQ2vL7pRt, container_name: thanos}',
            ],
            env: [
              { name: 'AUTH_TOKEN', value: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo' },
              { name: 'OS_APPLICATION_CREDENTIAL_ID', value: '1b3c9f0e8d7a4c2b' },
              { name: 'OS_APPLICATION_CREDENTIAL_SECRET', value: '9xQ2vL7pRt' },
            ],
          }),
        ],
      }),
    ),
    expect: {
      'StatefulSet/rule': [
        /^error: literal credentials in Git: container app --objstore.config: config.application_credential_secret; container app env AUTH_TOKEN \(a literal value\); container app env OS_APPLICATION_CREDENTIAL_SECRET \(a literal value\)$/,
      ],
    },
  },
  {
    name: 'passes: $(VAR) keys in an inline config, an env var naming a secret file, a template whose bucket is still a placeholder',
    yaml: yamlOf(
      externalSecret({
        'objstore.yml':
          'type: S3\nconfig:\n  bucket: CHANGE-ME-bucket\n  access_key: {{ .access_key | toJson }}\n  secret_key: {{ .secret_key | toJson }}\n',
      }),
      workload({
        name: 'store',
        containers: [
          goodContainer({
            args: ['store', '--objstore.config=type: S3\nconfig: {bucket: b, access_key: $(AK), secret_key: $(SK)}'],
            env: [{ name: 'PASSWORD_FILE', value: '/etc/secret/password' }],
          }),
        ],
      }),
    ),
    expect: {},
  },
  {
    name: 'fails: a literal key beside a templated one and a placeholder bucket in an ExternalSecret template',
    yaml: yamlOf(
      externalSecret({
        'objstore.yml':
          'type: S3\nconfig:\n  bucket: CHANGE-ME-bucket\n  access_key: {{ .access_key | toJson }}\n  secret_key: wJalrXUtnFEMI/K7MDENG\n',
      }),
    ),
    expect: { 'ExternalSecret/objstore': [/template data objstore.yml: config.secret_key$/] },
  },
  {
    name: 'fails: a password in an inline --alertmanagers.config and in a memcached cache config; a password_file there is fine',
    yaml: yamlOf(
      workload({
        kind: 'StatefulSet',
        name: 'rule',
        containers: [
          goodContainer({
            args: [
              'rule',
              '--alertmanagers.config=alertmanagers:\n- http_config: {basic_auth: {username: a, password: hunter22}}\n  static_configs: [am:9093]',
              '--query.config=- http_config: {basic_auth: {username: a, password_file: /etc/secret/p}}\n  static_configs: [q:9090]',
            ],
          }),
        ],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'store',
        containers: [
          goodContainer({ args: ['store', '--index-cache.config=type: REDIS\nconfig: {addr: redis:6379, password: s3cr3t-pw}'] }),
        ],
      }),
    ),
    expect: {
      'StatefulSet/rule': [/container app --alertmanagers.config: alertmanagers.0.http_config.basic_auth.password$/],
      'StatefulSet/store': [/container app --index-cache.config: config.password/],
    },
  },
]);

describe('credentials (mutation)', () => {
  const configMap = (name: string, data: Record<string, unknown>, annotations?: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'm', ...(annotations ? { annotations } : {}) },
    data,
  });
  const sealedSecret = (spec: Record<string, unknown>) => ({
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: { name: 'objstore', namespace: 'm' },
    spec,
  });
  const withEnv = (name: string, env: unknown[], args: string[] = ['store']) =>
    workload({ kind: 'StatefulSet', name, containers: [goodContainer({ args, env })] });
  /** An AWS shared credentials file, as the S3 client reads it from AWS_SHARED_CREDENTIALS_FILE. */
  const awsCredentials = (id: string, key: string) => `[default]\naws_access_key_id = ${id}\naws_secret_access_key = ${key}\n`;

  policyTable(credentials, [
    {
      name: 'passes: env from a Secret, GOOGLE_APPLICATION_CREDENTIALS (the key file path, T@v0.42.4:docs/storage.md:315-319), a blank password variable; Sealed and External Secrets without a template; a Service',
      yaml: yamlOf(
        withEnv('store', [
          { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'objstore', key: 'secret_key' } } },
          { name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/var/secrets/google/key.json' },
          { name: 'REDIS_PASSWORD', value: ' ' },
        ]),
        sealedSecret({ encryptedData: { 'objstore.yml': 'AgBy3i4OJSWK+PiTySYZZA==' } }),
        {
          apiVersion: 'external-secrets.io/v1',
          kind: 'ExternalSecret',
          metadata: { name: 'plain', namespace: 'm' },
          spec: { target: { name: 'plain' }, data: [{ secretKey: 'password', remoteRef: { key: 'thanos/password' } }] },
        },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'store', namespace: 'm' }, spec: { ports: [{ port: 10901 }] } },
      ),
      expect: {},
    },
    {
      name: 'passes: a templated bearer token beside its scheme, a credentials file still at its placeholders, a value YAML reads as a number',
      yaml: yamlOf(
        externalSecret({ token: 'Bearer {{ .token }}' }),
        configMap('aws', { credentials: awsCredentials('CHANGE-ME', 'CHANGE-ME'), retries: 3 }),
      ),
      expect: {},
    },
    {
      name: 'fails: a filled-in credentials file in a ConfigMap, a one-line password in a template, a SealedSecret template with a literal key',
      yaml: yamlOf(
        configMap('aws', { credentials: awsCredentials('AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY') }),
        externalSecret({ password: 'hunter22' }),
        sealedSecret({
          encryptedData: { access_key: 'AgBy3i4OJSWK+PiTySYZZA==' },
          template: { data: { 'objstore.yml': 'type: S3\nconfig: {bucket: b, endpoint: s3.amazonaws.com, secret_key: s3cr3t}\n' } },
        }),
      ),
      expect: {
        'ConfigMap/aws': [/^error: literal credentials in Git: ConfigMap data credentials$/],
        'ExternalSecret/objstore': [/^error: literal credentials in Git: template data password$/],
        'SealedSecret/objstore': [/^error: literal credentials in Git: template data objstore.yml: config.secret_key$/],
      },
    },
    {
      name: 'fails: a literal secret beside a $(BUCKET) reference in an inline config; a literal MINIO_ROOT_PASSWORD',
      yaml: yamlOf(
        withEnv(
          'store',
          [{ name: 'MINIO_ROOT_PASSWORD', value: 'minio123' }],
          ['store', '--objstore.config=type: S3\nconfig: {bucket: $(BUCKET), endpoint: minio:9000, secret_key: minio123}'],
        ),
      ),
      expect: {
        'StatefulSet/store': [
          /^error: literal credentials in Git: container app --objstore.config: config.secret_key; container app env MINIO_ROOT_PASSWORD \(a literal value\)$/,
        ],
      },
    },
    {
      name: 'fails (warning): annotated thanos-ha.dev/plaintext-secret with a reason (shown trimmed); a blank reason is no reason (error)',
      yaml: yamlOf(
        configMap(
          'dev',
          { credentials: awsCredentials('minio', 'minio123') },
          { 'thanos-ha.dev/plaintext-secret': ' dev MinIO, throwaway ' },
        ),
        configMap('blank', { credentials: awsCredentials('minio', 'minio123') }, { 'thanos-ha.dev/plaintext-secret': '  ' }),
      ),
      expect: {
        'ConfigMap/dev': [
          /^warning: literal credentials in Git: ConfigMap data credentials \(annotated thanos-ha.dev\/plaintext-secret: dev MinIO, throwaway\)$/,
        ],
        'ConfigMap/blank': [/^error: literal credentials in Git: ConfigMap data credentials$/],
      },
    },
  ]);
});
