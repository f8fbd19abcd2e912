import { asRecord } from '../lib/model.js';
import { readYamlValue } from '../lib/yaml-read.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/** The annotation that marks a plaintext Secret as deliberate (a dev overlay); its value is the reason. */
export const PLAINTEXT_ANNOTATION = 'thanos-ha.dev/plaintext-secret';

const CREDENTIAL_KEY =
  /(pass(word|wd)?|secret|token|access[_-]?key|private[_-]?key|api[_-]?key|credential|client[_-]?secret|storage[_-]?account[_-]?key|connection[_-]?string|service[_-]?account)/i;
/** Keys that hold where a credential is (credentials_file, password_file, secretName), not the credential. */
const REFERENCE_KEY = /(_file|_path|_dir|_ref|_name|File|Path|Ref|Name)$/;
const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
/** A value that is obviously not a credential: empty, a template or variable, a placeholder. */
const PLACEHOLDER =
  /^(\s*|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\$\([A-Za-z_][A-Za-z0-9_]*\)|\{\{.*\}\}|<[^>]*>|changeme|change-me|xxx+|\*+|redacted|placeholder|dummy)$/i;

/** A value still at a placeholder of the project (CHANGE-ME-...): the placeholder rule reports it. */
export const PROJECT_PLACEHOLDER = /\bCHANGE[-_]?ME\b|\bREPLACE[-_]?ME\b/i;

function credentialsIn(value: unknown, path: string, out: string[]): void {
  const record = asRecord(value);
  if (record) {
    for (const [k, v] of Object.entries(record)) {
      if (
        CREDENTIAL_KEY.test(k) &&
        !REFERENCE_KEY.test(k) &&
        (typeof v === 'string' || typeof v === 'number') &&
        !PLACEHOLDER.test(String(v)) &&
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
    if (CREDENTIAL_KEY.test(key) && !PLACEHOLDER.test(value.trim())) {
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

export const plaintextSecret: Policy = {
  id: 'plaintext-secret',
  severity: 'error',
  description:
    'A Secret carries literal credentials (access keys, secret keys, passwords, tokens, private keys) in `data` or `stringData`, directly or inside an embedded config such as objstore.yml: they end up in Git. A Secret annotated `thanos-ha.dev/plaintext-secret: "<reason>"` (a deliberate dev-only Secret) gives a warning instead.',
  remediation:
    'Make the Secret with an ExternalSecret or a SealedSecret, or use workload identity (IAM roles, GCS service accounts) so no credential is stored; for a deliberate dev Secret, annotate it thanos-ha.dev/plaintext-secret with the reason.',
  kinds: ['Secret'],
  check({ object }) {
    const values = new Map<string, string>();
    for (const [k, v] of Object.entries(asRecord(object.data) ?? {}))
      if (typeof v === 'string') values.set(k, Buffer.from(v, 'base64').toString('utf8'));
    for (const [k, v] of Object.entries(asRecord(object.stringData) ?? {})) if (typeof v === 'string') values.set(k, v);
    const found = literalCredentials(values);
    if (found.length === 0) return [];
    const reason = object.metadata.annotations?.[PLAINTEXT_ANNOTATION];
    const deliberate = typeof reason === 'string' && reason.trim() !== '';
    const d: Diagnostic = {
      message: `literal credentials in ${found.join(', ')}${deliberate ? ` (annotated ${PLAINTEXT_ANNOTATION}: ${reason.trim()})` : ''}`,
      severity: deliberate ? 'warning' : 'error',
    };
    return [d];
  },
};
