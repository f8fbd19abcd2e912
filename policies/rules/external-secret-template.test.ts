import { yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { externalSecretTemplate } from './external-secret-template.js';

// external-secrets docs/guides/templating.md (engine v2): "referencing a non-existing key in the template will raise an error".
const es = (name: string, data: string[], template: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'external-secrets.io/v1beta1',
  kind: 'ExternalSecret',
  metadata: { name, namespace: 'monitoring' },
  spec: {
    secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
    target: { name, template: { engineVersion: 'v2', data: template } },
    data: data.map((secretKey) => ({ secretKey, remoteRef: { key: `thanos/${secretKey}` } })),
    ...extra,
  },
});

policyTable(externalSecretTemplate, [
  {
    name: 'passes: every key the template reads is a secretKey (dot, pipe, index with a dash, trimmed actions)',
    yaml: yamlOf(
      es('objstore', ['access_key', 'secret-key'], {
        'objstore.yml': 'type: S3\nconfig:\n  access_key: {{ .access_key | toJson }}\n  secret_key: {{- index . "secret-key" | quote -}}\n',
      }),
    ),
    expect: {},
  },
  {
    name: 'fails: the template reads secret_key, and spec.data defines secretKey secretKey',
    yaml: yamlOf(
      es('objstore', ['access_key', 'secretKey'], { 'objstore.yml': 'access_key: {{ .access_key }}\nsecret_key: {{ .secret_key }}\n' }),
    ),
    expect: {
      'ExternalSecret/objstore': [
        /template key objstore\.yml reads \.secret_key, and spec\.data defines no secretKey secret_key \(it defines access_key, secretKey\).*never writes the Secret/,
      ],
    },
  },
  {
    name: 'passes: dataFrom brings keys the input cannot see, and engine v1 is not judged',
    yaml: yamlOf(es('from', [], { 'a.yml': '{{ .whatever }}' }, { dataFrom: [{ extract: { key: 'thanos/all' } }] }), {
      ...es('v1', [], { 'a.yml': '{{ .whatever }}' }),
      spec: { ...es('v1', [], {}).spec, target: { template: { engineVersion: 'v1', data: { 'a.yml': '{{ .x }}' } } } },
    }),
    expect: {},
  },
  {
    name: 'fails: a key read through index that is not defined',
    yaml: yamlOf(es('dash', ['password'], { 'auth.yml': 'password: {{ index . "pass-word" }}' })),
    expect: { 'ExternalSecret/dash': [/reads \.pass-word, and spec\.data defines no secretKey pass-word/] },
  },
]);
