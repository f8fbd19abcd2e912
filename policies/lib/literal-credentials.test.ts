import { describe, expect, it } from 'vitest';
import { literalCredentials } from './literal-credentials.js';

const found = (values: Record<string, string>) => literalCredentials(new Map(Object.entries(values)));

describe('literalCredentials', () => {
  it('names credential keys, keys inside an embedded config and private keys', () => {
    expect(
      found({
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI',
        'objstore.yml': 'type: S3\nconfig:\n  bucket: b\n  access_key: AKIA123\n  secret_key: abc\n',
        'tls.key': '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n',
      }),
    ).toEqual(['AWS_SECRET_ACCESS_KEY', 'objstore.yml: config.access_key', 'objstore.yml: config.secret_key', 'tls.key (a private key)']);
  });
  it('leaves placeholders, variables, templates and references to a credential', () => {
    expect(
      found({
        password: '${PASSWORD}',
        token: 'changeme',
        username: 'admin',
        'objstore.yml': 'type: S3\nconfig:\n  access_key: CHANGE-ME-key\n  secret_key: {{ .secret }}\n  credentials_file: /etc/creds\n',
      }),
    ).toEqual([]);
  });
});
