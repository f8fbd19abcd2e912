import { asRecord } from './model.js';
import { PROJECT_PLACEHOLDER } from './placeholders.js';
import { readYamlValue } from './yaml-read.js';

/** The annotation that marks a plaintext Secret as deliberate (a dev overlay); its value is the reason. */
export const PLAINTEXT_ANNOTATION = 'thanos-ha.dev/plaintext-secret';

const CREDENTIAL_KEY =
  /(pass(word|wd)?|secret|token|access[_-]?key|private[_-]?key|api[_-]?key|credential|client[_-]?secret|storage[_-]?account[_-]?key|connection[_-]?string|service[_-]?account)/i;
/** Keys that hold where a credential is (credentials_file, password_file, secretName), not the credential. */
const REFERENCE_KEY = /(_file|_path|_dir|_ref|_name|File|Path|Ref|Name)$/;
/**
 * Keys (and env variable names) that hold the identifier half of a pair whose other half is the secret: swift
 * application_credential_id beside application_credential_secret, oss access_key_id beside
 * access_key_secret, cos secret_id beside secret_key (objstore@71d60dfee488 providers/swift/swift.go:56-58,
 * providers/oss/oss.go:37, providers/cos/cos.go:61); OS_APPLICATION_CREDENTIAL_ID in the environment.
 * The secret half is still reported.
 */
export const ID_KEY = /_id$/i;
const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
/** A value that is obviously not a credential: empty, a template or variable, a placeholder. */
const NOT_A_CREDENTIAL =
  /^(\s*|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\$\([A-Za-z_][A-Za-z0-9_]*\)|\{\{.*\}\}|<[^>]*>|changeme|change-me|xxx+|\*+|redacted|placeholder|dummy)$/i;

function credentialsIn(value: unknown, path: string, out: string[]): void {
  const record = asRecord(value);
  if (record) {
    for (const [k, v] of Object.entries(record)) {
      if (
        CREDENTIAL_KEY.test(k) &&
        !REFERENCE_KEY.test(k) &&
        !ID_KEY.test(k) &&
        (typeof v === 'string' || typeof v === 'number') &&
        !NOT_A_CREDENTIAL.test(String(v)) &&
        !PROJECT_PLACEHOLDER.test(String(v))
      )
        out.push(`${path}${k}`);
      else credentialsIn(v, `${path}${k}.`, out);
    }
  } else if (Array.isArray(value))
    value.forEach((v, i) => {
      credentialsIn(v, `${path}${i}.`, out);
    });
}

/** Names of the literal credentials in a Secret's values (keys themselves, or keys inside embedded YAML/JSON). */
export function literalCredentials(values: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [key, value] of values) {
    if (PEM.test(value)) {
      found.push(`${key} (a private key)`);
      continue;
    }
    if (CREDENTIAL_KEY.test(key) && !NOT_A_CREDENTIAL.test(value.trim())) {
      found.push(key);
      continue;
    }
    if (value.includes('\n') || value.trim().startsWith('{')) {
      let doc: unknown;
      try {
        // A template (an ExternalSecret's `{{ .key | toJson }}`) is no YAML until rendered: read each
        // template expression as a templated value, so the literal values beside it are still judged.
        doc = readYamlValue(value.replace(/\{\{[^}]*\}\}/g, '$TEMPLATED'));
      } catch {
        continue;
      }
      const inner: string[] = [];
      credentialsIn(doc, '', inner);
      for (const path of inner) found.push(`${key}: ${path}`);
    }
  }
  return found;
}
