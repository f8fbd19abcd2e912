import { describe } from 'vitest';
import { policyTable } from '../testing/rule-cases.js';
import { plaintextSecret } from './plaintext-secret.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

policyTable(plaintextSecret, [
  {
    name: 'passes: a config without credentials (workload identity), placeholders, a non-secret key',
    yaml: `apiVersion: v1
kind: Secret
metadata: {name: objstore}
stringData:
  objstore.yml: |
    type: GCS
    config: {bucket: metrics}
  password: \${PASSWORD}
  username: admin
`,
    expect: {},
  },
  {
    name: 'fails: keys in data, an objstore.yml with keys, a PEM key; the dev marker makes it a warning',
    yaml: `apiVersion: v1
kind: Secret
metadata: {name: creds}
data:
  AWS_SECRET_ACCESS_KEY: ${b64('wJalrXUtnFEMI')}
  objstore.yml: ${b64('type: S3\nconfig:\n  bucket: b\n  endpoint: e\n  access_key: AKIA123\n  secret_key: abc\n')}
  tls.key: ${b64('-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n')}
---
apiVersion: v1
kind: Secret
metadata:
  name: dev
  annotations: {thanos-ha.dev/plaintext-secret: "deliberate: dev only"}
stringData: {password: hunter2}
`,
    expect: {
      'Secret/creds': [
        /error: literal credentials in AWS_SECRET_ACCESS_KEY, objstore.yml: config.access_key, objstore.yml: config.secret_key, tls.key \(a private key\)/,
      ],
      'Secret/dev': [/warning: literal credentials in password \(annotated thanos-ha.dev\/plaintext-secret: deliberate: dev only\)/],
    },
  },
]);

describe('plaintext-secret (mutation)', () => {
  policyTable(plaintextSecret, [
    {
      name: 'passes: a non-string value under data or stringData (a YAML number) is not read as a credential',
      yaml: `apiVersion: v1
kind: Secret
metadata: {name: numbers}
data:
  password: 12345
stringData:
  token: 678
`,
      expect: {},
    },
    {
      name: 'fails as an error: an empty or blank annotation gives no reason; the reason is shown without its spaces',
      yaml: `apiVersion: v1
kind: Secret
metadata:
  name: blank
  annotations: {thanos-ha.dev/plaintext-secret: "  "}
stringData: {password: hunter2}
---
apiVersion: v1
kind: Secret
metadata:
  name: padded
  annotations: {thanos-ha.dev/plaintext-secret: "  kind cluster only  "}
stringData: {password: hunter2}
`,
      expect: {
        'Secret/blank': [/^error: literal credentials in password$/],
        'Secret/padded': [/^warning: literal credentials in password \(annotated thanos-ha\.dev\/plaintext-secret: kind cluster only\)$/],
      },
    },
  ]);
});
