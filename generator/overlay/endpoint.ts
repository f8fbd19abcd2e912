import { UserError } from '../../core/errors.js';
import type { ProviderName, ProviderSettings } from '../../settings/schema/overlay-entry.js';

/** Providers whose endpoint a user may set, and what it is for each. */
export const ENDPOINT_PROVIDERS: Readonly<Partial<Record<ProviderName, string>>> = {
  s3: 'the S3 API URL',
  cos: 'the COS API URL',
  oss: 'the OSS API URL',
  swift: 'the Keystone auth URL',
};

/**
 * `--endpoint <url>` in each provider's own form. The S3 client (minio-go) rejects a scheme, so
 * S3 gets host[:port] and `insecure` from the scheme; OSS, COS and Swift get the full URL (the OSS
 * SDK falls back to plain HTTP without a scheme). `option` and `overlay` are named in messages.
 */
export function endpointSettings(
  provider: ProviderName,
  value: string,
  overlay: string,
  option = '--endpoint',
): Pick<ProviderSettings, 'endpoint' | 'insecure'> {
  const at = `${option} '${value}' of overlay '${overlay}'`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`${at} is not a URL; give the scheme too, e.g. https://${value.replace(/^\/+/, '')}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UserError(`${at}: the scheme must be https:// (or http:// on a dev cluster), not ${url.protocol}//.`);
  if (url.username || url.password)
    throw new UserError(`${at}: credentials do not go in the URL (nor in Git); they come from the secret store.`);
  if (url.search || url.hash) throw new UserError(`${at}: give the endpoint without a query or fragment.`);
  const path = url.pathname.replace(/\/+$/, '');
  if (provider === 's3') {
    if (path) throw new UserError(`${at}: an S3 endpoint is a host[:port] without a path; the bucket is --bucket.`);
    return { endpoint: url.host, ...(url.protocol === 'http:' ? { insecure: true } : {}) };
  }
  if (provider === 'swift') return { endpoint: `${url.protocol}//${url.host}${path}` };
  if (path) throw new UserError(`${at}: a ${provider.toUpperCase()} endpoint is a scheme and host without a path.`);
  return { endpoint: `${url.protocol}//${url.host}` };
}
