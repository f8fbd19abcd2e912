import { asRecord } from '../lib/model.js';
import { literalCredentials, PLAINTEXT_ANNOTATION } from '../lib/literal-credentials.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/**
 * Credentials: access keys, secret keys, passwords, tokens, private keys; they end up in Git. The annotation
 * marks a deliberate dev-only Secret.
 */
export const plaintextSecret: Policy = {
  id: 'plaintext-secret',
  severity: 'error',
  description: `A Secret holds literal credentials in \`data\` or \`stringData\`, directly or in an embedded config such as objstore.yml; annotated \`${PLAINTEXT_ANNOTATION}: "<reason>"\`, it is a warning.`,
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
