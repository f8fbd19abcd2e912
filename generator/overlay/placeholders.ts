import { PROVIDER_SPECS } from '../model/providers.js';
import { SOPS_AGE_PLACEHOLDER } from './secrets.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';

/** A registry field that still holds (or defaults to) a CHANGE-ME placeholder. */
export interface Placeholder {
  /** Path of the field in the registry entry, e.g. `settings.appId`. */
  readonly field: string;
  /** What the generator writes for it today. */
  readonly value: string;
  /** What to put there, one phrase. */
  readonly meaning: string;
}

const PLACEHOLDER = 'CHANGE-ME';

/**
 * Every field of an overlay that is still a placeholder: set explicitly to a CHANGE-ME value, or
 * left out where the provider's default is one. new-overlay names them in its next steps, and the
 * fork-play check fills them, so both agree on what "configured" means.
 */
export function overlayPlaceholders(overlay: OverlayDefinition): Placeholder[] {
  const found = new Map<string, Placeholder>();
  const add = (field: string, value: string, meaning: string) => found.set(field, { field, value, meaning });
  const s = overlay.settings ?? {};
  if (overlay.provider === 'azure' && !s.storageAccount)
    add('settings.storageAccount', 'CHANGE-ME-storage-account', 'the Azure storage account that holds the container');
  if (overlay.provider === 'cos' && !s.endpoint && !s.appId)
    add('settings.appId', 'CHANGE-ME-app-id', 'the Tencent Cloud APPID that suffixes the bucket name');
  if (overlay.provider === 'swift') {
    if (!s.endpoint) add('settings.endpoint', 'https://CHANGE-ME-keystone.example.com/v3', 'the Keystone auth URL (https://...)');
    if (!s.project) add('settings.project', 'CHANGE-ME-project', 'the Keystone project');
  }
  const wi = PROVIDER_SPECS[overlay.provider].workloadIdentity;
  if (overlay.secrets === 'workload-identity' && wi && !overlay.identity)
    add('identity', wi.placeholder, `the value of the ServiceAccount annotation ${wi.annotation}`);
  if (overlay.secrets === 'sops' && !overlay.sops?.age?.length)
    add('sops.age', SOPS_AGE_PLACEHOLDER, 'the age public keys .sops.yaml encrypts for (age-keygen -y <key file>)');
  // Anything set to a placeholder explicitly, wherever it is in the entry.
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string' && value.includes(PLACEHOLDER))
      add(path, value, path === 'bucket' ? 'the real bucket (container) name' : 'a real value');
    else if (value && typeof value === 'object')
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
  };
  walk(overlay, '');
  return [...found.values()].sort((a, b) => a.field.localeCompare(b.field));
}
