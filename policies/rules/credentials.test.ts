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
