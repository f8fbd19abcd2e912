import { asRecord } from '../lib/model.js';
import { findPlaceholder } from '../lib/placeholders.js';
import type { Policy } from '../lib/types.js';

/** "path: value" of every string under `value` holding a placeholder, at most `limit`. */
function placeholders(value: unknown, path: string, out: string[], limit: number): void {
  if (out.length >= limit) return;
  if (typeof value === 'string') {
    const m = findPlaceholder(value);
    if (m) {
      const line = value
        .split('\n')
        .find((l) => findPlaceholder(l))!
        .trim();
      const at = findPlaceholder(line)!.index;
      // A long line (a URL template in a rules file) is shown around the marker, so the value is recognisable.
      out.push(`${path}: ${line.length > 80 ? `...${line.slice(Math.max(0, at - 40), at + m[0].length + 30)}...` : line}`);
    }
    return;
  }
  if (Array.isArray(value))
    value.forEach((v, i) => {
      placeholders(v, `${path}[${i}]`, out, limit);
    });
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) placeholders(v, path ? `${path}.${k}` : k, out, limit);
}

/**
 * `CHANGE-ME...` are the markers this project writes for buckets, the repository URL and secret templates;
 * `<SOME_NAME>` is how upstream examples write them. Warnings, so a fresh clone passes; a fork that has been
 * configured turns on `--fail-on-placeholder` (the pull-request workflow does).
 */
export const placeholder: Policy = {
  id: 'placeholder',
  severity: 'warning',
  description:
    'Values still at a placeholder (`CHANGE-ME...`, `REPLACE-ME`, `<your-...>`, an upper-case `<SOME_NAME>`) are warnings, or errors with `check --fail-on-placeholder`.',
  remediation:
    'Set the real value where the message points (the overlay registry for buckets, settings/gitops.ts for the repository, your secret store for credentials) and run `npm run generate`.',
  check({ object, settings }) {
    const found: string[] = [];
    const { metadata, ...rest } = object;
    placeholders({ ...rest, metadata: { ...metadata, annotations: undefined } }, '', found, 10);
    // Secret data is base64: what would reach the pod is the decoded text.
    const data = object.kind === 'Secret' ? asRecord(object.data) : undefined;
    for (const [k, v] of Object.entries(data ?? {}))
      if (typeof v === 'string') placeholders(Buffer.from(v, 'base64').toString('utf8'), `data.${k} (decoded)`, found, 10);
    if (found.length === 0) return [];
    return [{ message: `still at a placeholder: ${found.join('; ')}`, severity: settings.failOnPlaceholder ? 'error' : 'warning' }];
  },
};
