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
