import { asArray, asRecord, asString } from '../lib/model.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/** The secret keys a v2 template reads: `.key` after `{{`, a pipe, a parenthesis or a space, and `index . "key"`. */
function referencedKeys(template: string): string[] {
  const out = new Set<string>();
  for (const [, body] of template.matchAll(/\{\{-?([\s\S]*?)-?\}\}/g)) {
    for (const m of body.matchAll(/\bindex\s+\.\s+"([^"]+)"/g)) out.add(m[1]);
    // A string inside the action is no reference: `printf ".x"`. What replaces it does not matter: a field
    // never follows a string literal (Go text/template/parse/parse.go operand(): "unexpected . after term").
    // Stryker disable next-line StringLiteral: equivalent, see above
    const code = body.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, '""');
    for (const m of code.matchAll(/(?:^|[\s(|,])\.([A-Za-z_][A-Za-z0-9_]*)/g)) out.add(m[1]);
  }
  return [...out];
}

/**
 * External Secrets Operator renders `spec.target.template` (engine v2, the default) with the keys of
 * `spec.data` (their `secretKey`) and stops on a key it does not have ("referencing a non-existing key in the
 * template will raise an error", external-secrets docs/guides/templating.md): the ExternalSecret stays
 * SecretSyncedError and the Secret is never written, so the pods that mount it do not start. `dataFrom`
 * brings keys the input cannot know: such an ExternalSecret is not judged.
 */
export const externalSecretTemplate: Policy = {
  id: 'external-secret-template',
  severity: 'error',
  description: 'An ExternalSecret template reads only keys its `spec.data` defines; a missing key stops the sync.',
  remediation:
    'Add a spec.data entry whose secretKey is the key the template reads, or read a key that exists; write `{{ index . "key-with-dash" }}` for a key with a dash.',
  kinds: ['ExternalSecret'],
  check({ object }) {
    const spec = asRecord(object.spec);
    const template = asRecord(asRecord(spec?.target)?.template);
    if (!spec || !template) return [];
    if (asArray(spec.dataFrom).length > 0) return [];
    const engine = asString(template.engineVersion) ?? 'v2';
    if (engine !== 'v2') return [];
    const defined = new Set(
      asArray(spec.data)
        .map((d) => asString(asRecord(d)?.secretKey))
        .filter((k): k is string => k !== undefined),
    );
    const out: Diagnostic[] = [];
    for (const [name, value] of Object.entries(asRecord(template.data) ?? {})) {
      if (typeof value !== 'string') continue;
      for (const key of referencedKeys(value))
        if (!defined.has(key))
          out.push({
            message: `template key ${name} reads .${key}, and spec.data defines no secretKey ${key} (it defines ${[...defined].join(', ') || 'none'}): External Secrets Operator fails the sync ("map has no entry for key") and never writes the Secret, so pods mounting it do not start; add a spec.data entry with secretKey: ${key} or read one of the defined keys`,
          });
    }
    return out;
  },
};
