import { asArray, asRecord, asString } from '../lib/model.js';
import { ID_KEY, literalCredentials, PLAINTEXT_ANNOTATION } from '../lib/literal-credentials.js';
import { PROJECT_PLACEHOLDER } from '../lib/placeholders.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/** A value still at a placeholder is the placeholder rule's to report, not a leaked credential. */
const PLACEHOLDER = PROJECT_PLACEHOLDER;
/** An environment variable whose name says it holds a secret. */
const SECRET_ENV = /(PASSWORD|PASSWD|SECRET|TOKEN|ACCESS_KEY|PRIVATE_KEY|API_KEY|CREDENTIALS?)(_|$)/i;
/**
 * A variable that names where the secret is, not the secret: PASSWORD_FILE=/etc/secret/password, and
 * GOOGLE_APPLICATION_CREDENTIALS, the path of the GCS key file (T@v0.42.4:docs/storage.md:315-319).
 */
const SECRET_LOCATION_ENV = /_(FILE|PATH|DIR|NAME|REF)$|^GOOGLE_APPLICATION_CREDENTIALS$/i;
/**
 * A dependent-variable reference the kubelet expands before the process starts: `$(VAR)` becomes VAR's value
 * (a secretKeyRef, or a variable reported on its own), or stays as written when VAR is undefined
 * (kubernetes third_party/forked/golang/expansion/expand.go Expand, tryReadVariableName). A value with one,
 * `Bearer $(TOKEN)`, takes its secret from the variable; an escaped `$$(TOKEN)` is the text `$(TOKEN)`, no
 * secret either.
 */
const VARIABLE_REFERENCE = /\$\([^)]*\)/;

/**
 * Drops a whole value still at its placeholder. A value inside a config file ("objstore.yml: config.secret_key")
 * or a private key ("tls.key (a private key)") is no key of `values`: it was judged on its own, and a
 * placeholder elsewhere in the file (the bucket) does not excuse it.
 */
function real(found: string[], values: Map<string, string>): string[] {
  return found.filter((f) => !PLACEHOLDER.test(values.get(f) ?? ''));
}

const CREDENTIAL_WORD = /pass|secret|token|key|credential|BEGIN/i;

/** Literal credentials in one map of name -> text, placeholders aside. */
function inValues(entries: Record<string, unknown> | undefined): string[] {
  const values = new Map<string, string>();
  for (const [k, v] of Object.entries(entries ?? {})) {
    // Reading every rule file and dashboard as YAML is slow; a value without a credential-like word holds none.
    // A one-line value at a placeholder is skipped; in a whole config file, each value is judged on its own.
    if (
      typeof v !== 'string' ||
      (!v.includes('\n') && (/\{\{[^}]*\}\}/.test(v) || PLACEHOLDER.test(v))) ||
      !(CREDENTIAL_WORD.test(v) || CREDENTIAL_WORD.test(k))
    )
      continue;
    values.set(k, v);
  }
  return real(literalCredentials(values), values);
}

/**
 * Credentials committed outside a Secret: the Secret rule (plaintext-secret) cannot see them, and
 * Git keeps them forever all the same.
 *
 * Credentials: access keys, secret keys, passwords, tokens, private keys. Inline config flags:
 * `--objstore.config`, `--alertmanagers.config` with a password, a cache config. In an ExternalSecret or
 * SealedSecret template, keys written in instead of templated from the store (`{{ .key }}`). An object
 * annotated `thanos-ha.dev/plaintext-secret: "<reason>"` gets a warning instead.
 */
export const credentials: Policy = {
  id: 'credentials',
  severity: 'error',
  description:
    'Literal credentials outside Secrets: in inline config flags, env values named like secrets, ExternalSecret or SealedSecret templates, and ConfigMaps. Templated values, references and placeholders pass.',
  remediation:
    'Move the credential into your secret store (ExternalSecret data from the store, a SealedSecret, SOPS) or use workload identity, and reference it (secretKeyRef, a mounted Secret, `{{ .key }}` in the template); rotate the leaked one.',
  check({ object, input, index }) {
    const out: string[] = [];
    const annotation = object.metadata.annotations?.[PLAINTEXT_ANNOTATION];
    const deliberate = typeof annotation === 'string' && annotation.trim() !== '';
    if (object.kind === 'ConfigMap') {
      for (const found of inValues(asRecord(object.data))) out.push(`ConfigMap data ${found}`);
    } else if (object.kind === 'ExternalSecret') {
      const template = asRecord(asRecord(asRecord(object.spec)?.target)?.template);
      for (const found of inValues(asRecord(template?.data))) out.push(`template data ${found}`);
    } else if (object.kind === 'SealedSecret') {
      for (const found of inValues(asRecord(asRecord(asRecord(object.spec)?.template)?.data))) out.push(`template data ${found}`);
    } else {
      // Any other object: the containers of a workload (none for a Service or a Secret).
      for (const c of index.workloadOf(input)?.containers ?? []) {
        // Every inline config flag (--objstore.config, --alertmanagers.config with basic_auth,
        // --tracing.config, cache configs with a password...), not only the object store's.
        for (const flag of new Set(c.flags.names)) {
          if (!/[.-]config$/.test(flag)) continue;
          // A whole value of $(VAR) holds no credential-like key and is passed over like any other text without one.
          for (const inline of c.flags.values(flag)) {
            for (const found of inValues({ [flag]: inline })) out.push(`container ${c.name} ${found}`);
          }
        }
        for (const e of asArray(c.raw.env)) {
          const env = asRecord(e);
          const name = asString(env?.name);
          const value = asString(env?.value);
          if (
            name &&
            value &&
            SECRET_ENV.test(name) &&
            !SECRET_LOCATION_ENV.test(name) &&
            !ID_KEY.test(name) &&
            value.trim() !== '' &&
            !PLACEHOLDER.test(value) &&
            !VARIABLE_REFERENCE.test(value)
          )
            out.push(`container ${c.name} env ${name} (a literal value)`);
        }
      }
    }
    if (out.length === 0) return [];
    const d: Diagnostic = {
      message: `literal credentials in Git: ${out.join('; ')}${deliberate ? ` (annotated ${PLAINTEXT_ANNOTATION}: ${String(annotation).trim()})` : ''}`,
      ...(deliberate ? { severity: 'warning' as const } : {}),
    };
    return [d];
  },
};
