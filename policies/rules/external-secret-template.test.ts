import { describe } from 'vitest';
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

describe('external-secret-template (mutation)', () => {
  const withoutEngine = (name: string, data: unknown[], template: Record<string, unknown>) => ({
    apiVersion: 'external-secrets.io/v1beta1',
    kind: 'ExternalSecret',
    metadata: { name, namespace: 'monitoring' },
    // external-secrets apis/externalsecrets/v1beta1/externalsecret_types.go (commit 0126c16):
    // ExternalSecretTemplate.EngineVersion is `+kubebuilder:default="v2"`, so no engineVersion is v2.
    spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' }, target: { name, template: { data: template } }, data },
  });
  const ref = (secretKey: string) => ({ secretKey, remoteRef: { key: `thanos/${secretKey}` } });
  policyTable(externalSecretTemplate, [
    {
      name: 'passes: no template (ESO writes the spec.data keys as they are), and an ExternalSecret without spec',
      yaml: yamlOf(
        {
          apiVersion: 'external-secrets.io/v1beta1',
          kind: 'ExternalSecret',
          metadata: { name: 'plain', namespace: 'monitoring' },
          spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' }, target: { name: 'plain' }, data: [ref('objstore.yml')] },
        },
        {
          apiVersion: 'external-secrets.io/v1beta1',
          kind: 'ExternalSecret',
          metadata: { name: 'untargeted', namespace: 'monitoring' },
          spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' }, data: [ref('token')] },
        },
        { apiVersion: 'external-secrets.io/v1beta1', kind: 'ExternalSecret', metadata: { name: 'stub', namespace: 'monitoring' } },
      ),
      expect: {},
    },
    {
      name: 'fails: no engineVersion is engine v2 (the CRD default), and a template with no spec.data at all defines none',
      yaml: yamlOf(withoutEngine('basic-auth', [], { auth: '{{ .username }}:{{ .password }}' })),
      expect: {
        'ExternalSecret/basic-auth': [
          /^error: template key auth reads \.username, and spec\.data defines no secretKey username \(it defines none\)/,
          /^error: template key auth reads \.password, and spec\.data defines no secretKey password \(it defines none\)/,
        ],
      },
    },
    {
      name: 'fails: actions without spaces ({{.key}}) and index with aligned spacing still read keys',
      yaml: yamlOf(
        withoutEngine('objstore', [ref('access_key')], {
          'objstore.yml': 'access_key: {{.access_key}}\nsecret_key: {{.secretkey}}\nsession: {{ index  .  "session-token" }}\n',
        }),
      ),
      expect: {
        'ExternalSecret/objstore': [
          /reads \.secretkey, and spec\.data defines no secretKey secretkey \(it defines access_key\)/,
          /reads \.session-token, and spec\.data defines no secretKey session-token \(it defines access_key\)/,
        ],
      },
    },
    {
      name: 'passes: ".word" inside a quoted or raw string argument is text, not a key',
      yaml: yamlOf(
        withoutEngine('token', [ref('token')], {
          token: '{{ .token | default "unset, see .env" }}',
          note: '{{ .token | default `unset, see .env or (.netrc)` }}',
        }),
      ),
      expect: {},
    },
    {
      name: 'fails: a spec.data entry with `key` instead of secretKey, or a bare name, defines no key (and is not listed as one)',
      yaml: yamlOf(
        withoutEngine('objstore', [ref('access_key'), { key: 'secret_key', remoteRef: { key: 'thanos/secret_key' } }, 'secret_key'], {
          'objstore.yml': 'access_key: {{ .access_key }}\nsecret_key: {{ .secret_key }}\n',
        }),
      ),
      expect: {
        'ExternalSecret/objstore': [/reads \.secret_key, and spec\.data defines no secretKey secret_key \(it defines access_key\): /],
      },
    },
    {
      name: 'passes: a template value that is no string (a number the API server refuses, `data: map[string]string`) is left to schema validation',
      yaml: yamlOf(withoutEngine('port', [ref('host')], { host: '{{ .host }}', port: 10901 })),
      expect: {},
    },
  ]);
});
