/**
 * How an objstore.yml reaches its object store: whether the connection is encrypted and on which
 * TCP port. Shared by the generator (NetworkPolicy egress, input validation) and the
 * `objstore-config` policy, so both read a provider's config the same way.
 *
 * Each provider says "TLS" in its own terms (thanos-io/objstore):
 * - S3: `endpoint` is host[:port] (minio-go rejects a scheme); `insecure: true` turns TLS off.
 * - ALIYUNOSS: `endpoint` goes to the OSS SDK, which speaks plain HTTP when it has no scheme.
 * - COS: `endpoint` is a URL; without one the SDK builds an https:// bucket URL from bucket, app_id, region.
 * - SWIFT: `auth_url` is the Keystone URL.
 * - GCS and AZURE: the SDKs always use https.
 */

/** Config keys that hold a URL or host, per provider type. */
const ENDPOINT_KEY: Readonly<Record<string, string>> = {
  S3: 'endpoint',
  ALIYUNOSS: 'endpoint',
  COS: 'endpoint',
  SWIFT: 'auth_url',
  OBS: 'endpoint',
  BOS: 'endpoint',
};

const HTTPS = 443;
const HTTP = 80;

export interface EndpointProblem {
  /** The config key at fault (`endpoint`, `auth_url`, `insecure`). */
  readonly key: string;
  readonly message: string;
}

/** The endpoint value of a config, when the provider has one and it is set. */
export function endpointOf(type: string, config: Readonly<Record<string, unknown>>): { key: string; value: string } | undefined {
  const key = ENDPOINT_KEY[type.toUpperCase()];
  const value = key ? config[key] : undefined;
  return key && typeof value === 'string' && value !== '' ? { key, value } : undefined;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** The explicit port of a host[:port] or URL, if any. */
function explicitPort(value: string): number | undefined {
  const authority = value.replace(SCHEME, '').split('/')[0];
  const match = /:(\d+)$/.exec(authority);
  return match ? Number(match[1]) : undefined;
}

/**
 * Ways the config sends credentials and data unencrypted (or cannot connect at all, for an S3
 * endpoint with a scheme). Values that are still templates (`{{ ... }}`) are not judged.
 */
export function endpointProblems(type: string, config: Readonly<Record<string, unknown>>): EndpointProblem[] {
  const t = type.toUpperCase();
  const out: EndpointProblem[] = [];
  const endpoint = endpointOf(t, config);
  if (t === 'S3') {
    if (config.insecure === true || config.insecure === 'true')
      out.push({ key: 'insecure', message: 'S3 `insecure: true` sends credentials and blocks over plain HTTP; set `insecure: false`' });
    if (endpoint && SCHEME.test(endpoint.value)) {
      out.push({
        key: 'endpoint',
        message: `S3 endpoint '${endpoint.value}' has a scheme, which the S3 client rejects; give host[:port] and \`insecure: false\``,
      });
    }
    return out;
  }
  if (!endpoint || endpoint.value.includes('{{')) return out;
  const scheme = SCHEME.exec(endpoint.value)?.[1].toLowerCase();
  if (scheme === 'http') {
    out.push({ key: endpoint.key, message: `${t} ${endpoint.key} '${endpoint.value}' is plain http://; use https://` });
  } else if (scheme === undefined && t === 'ALIYUNOSS') {
    out.push({
      key: endpoint.key,
      message: `ALIYUNOSS endpoint '${endpoint.value}' has no scheme, so the OSS SDK speaks plain HTTP; write https://${endpoint.value}`,
    });
  }
  return out;
}

/**
 * TCP ports the object-store clients connect to: the endpoint's explicit port, else the port of its
 * scheme (443 unless the config turns TLS off). Empty for FILESYSTEM, which uses no network.
 */
export function endpointPorts(type: string, config: Readonly<Record<string, unknown>>): number[] {
  const t = type.toUpperCase();
  if (t === 'FILESYSTEM') return [];
  const endpoint = endpointOf(t, config);
  if (!endpoint) return [HTTPS];
  const port = explicitPort(endpoint.value);
  if (port !== undefined) return [port];
  const plain = t === 'S3' ? config.insecure === true : !endpoint.value.toLowerCase().startsWith('https://');
  return [plain ? HTTP : HTTPS];
}
