import { describe, expect, it } from 'vitest';
import { addRegistryEntry, parseRegistry } from '../../generator/model/registry-file.js';
import { validateOverlay } from '../../generator/model/validate-overlay.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';

const entry: OverlayDefinition = {
  name: 'dev-minio',
  profile: 'dev',
  provider: 'minio',
  cluster: 'dev-minio',
  namespace: 'm',
  secrets: 'plain',
  bucket: 'thanos',
};
const head = "import type { OverlayDefinition } from './schema/overlay-entry.js';\n\n// keep me\n";

describe('registry edits through the AST', () => {
  it.each([
    ['an empty array', `${head}export const overlays: OverlayDefinition[] = [];\n`],
    [
      'a last entry without a trailing comma',
      `${head}export const overlays: OverlayDefinition[] = [\n  { name: 'prod-oss', profile: 'prod', provider: 'oss', namespace: 'x', secrets: 'sops', bucket: 'bb' } // tail comment\n];\n`,
    ],
  ])('adds to %s, keeping the rest byte for byte', (_, text) => {
    const edited = addRegistryEntry(text, entry);
    expect(edited.startsWith(head)).toBe(true);
    expect(edited).toContain('// tail comment'.repeat(text.includes('tail') ? 1 : 0));
    const names = parseRegistry(edited).map((o) => o.name);
    expect(names[names.length - 1]).toBe('dev-minio');
    expect(parseRegistry(edited).find((o) => o.name === 'dev-minio')).toEqual(entry);
  });

  it('refuses a duplicate without replace, and names it', () => {
    const text = addRegistryEntry(`${head}export const overlays: OverlayDefinition[] = [];\n`, entry);
    expect(() => addRegistryEntry(text, entry)).toThrow(/overlay 'dev-minio' already exists; pass --force/);
  });

  it.each([
    ['code instead of data', `export const overlays = [makeOverlay()];`, /settings\/overlays\.ts:1: 'makeOverlay\(\)' is not a literal/],
    ['a spread', `export const overlays = [{ ...base }];`, /only plain `key: value` entries/],
    ['no overlays export', `export const others = [];`, /no `export const overlays/],
    ['a syntax error', `export const overlays = [{ name: 'a' ];`, /settings\/overlays\.ts:1:\d+: the overlay registry does not parse/],
    ['two entries of one name', `export const overlays = [{ name: 'a' }, { name: 'a' }];`, /overlay 'a' is declared twice/],
  ])('rejects %s with file and line', (_, text, message) => {
    expect(() => parseRegistry(text)).toThrow(message);
  });
});

describe('entry validation names the field', () => {
  it.each([
    ['a misspelt field', { ...entry, bukket: 'x' }, /unknown field 'bukket'/],
    ['a misspelt setting', { ...entry, settings: { regoin: 'x' } }, /unknown field 'settings\.regoin'. Allowed: region, endpoint/],
    ['a misspelt override', { ...entry, overrides: { prometheus: { replica: 3 } } }, /unknown field 'overrides\.prometheus\.replica'/],
    ['a provider that does not match the name', { ...entry, provider: 's3' }, /provider 's3' does not match the name's 'minio'/],
    [
      'Receive switched on without a named writer',
      { ...entry, components: { receive: true } },
      /components\.receive is on but no writer is named; list who remote-writes into it in 'writers'/,
    ],
    ['an empty writer name', { ...entry, writers: [''] }, /'writers' must be a list of non-empty names/],
    [
      'settings.internal where the provider has no internal endpoint',
      { ...entry, settings: { internal: true } },
      /'settings\.internal' is for oss only/,
    ],
    [
      'an OSS endpoint over http:// in prod',
      {
        ...entry,
        name: 'prod-oss',
        profile: 'prod',
        provider: 'oss',
        secrets: 'external-secrets',
        settings: { endpoint: 'http://oss-cn-hangzhou.aliyuncs.com' },
      },
      /settings\.endpoint: ALIYUNOSS endpoint .* is plain http:\/\/; use https:\/\/ \(only the dev profile may use plain HTTP\)/,
    ],
  ])('%s', (_, value, message) => {
    expect(() => validateOverlay(value as unknown as OverlayDefinition)).toThrow(message);
  });
  it('accepts the valid form', () => expect(() => validateOverlay(entry)).not.toThrow());
  it('accepts Receive with its writers', () =>
    expect(() => validateOverlay({ ...entry, components: { receive: true }, writers: ['edge Prometheus agent'] })).not.toThrow());
});
