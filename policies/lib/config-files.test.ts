import { describe, expect, it } from 'vitest';
import byVersion from '../../core/reference/thanos-flags-by-version.json' with { type: 'json' };
import reference from '../../core/reference/thanos-config-files-by-version.json' with { type: 'json' };
import { hasFlag, THANOS_RELEASES } from '../../core/thanos/flags.js';
import { configDocAt, readConfigDoc } from './config-files.js';

// The config-file reference (scripts/read-thanos-config-files.mjs) agrees with the flag reference read from the same releases.
describe('thanos-config-files-by-version.json', () => {
  it('covers every release of the flag reference', () => {
    expect(Object.keys(reference.releases)).toEqual(byVersion.releases);
  });
  it('has a config wherever the release has its flag, and none where it has not', () => {
    const flags = {
      alertmanagers: ['rule', '--alertmanagers.config'],
      query: ['rule', '--query.config'],
      endpoints: ['query', '--endpoint.sd-config'],
    } as const;
    for (const release of THANOS_RELEASES)
      for (const [doc, [command, flag]] of Object.entries(flags))
        expect(configDocAt(doc as keyof typeof flags, release).parser !== 'absent', `${doc} at ${release}`).toBe(
          hasFlag(command, flag, release),
        );
  });
  it('names only structs its schema declares', () => {
    for (const schema of reference.schemas as unknown as Record<string, Record<string, string>>[])
      for (const fields of Object.values(schema))
        for (const type of Object.values(fields)) {
          const struct = /#(\w+)$/.exec(type)?.[1];
          if (struct) expect(schema[struct], type).toBeDefined();
        }
  });
  it('reads a list where a list is expected and says so where it is not', () => {
    expect(readConfigDoc('alertmanagers', { alertmanagers: [{ static_configs: ['a:1'] }] }, 'v0.42.4')).toEqual([]);
    expect(readConfigDoc('alertmanagers', { alertmanagers: [{ static_configs: 'a:1' }] }, 'v0.42.4')[0].message).toMatch(
      /static_configs is "a:1" where a list is expected/,
    );
    expect(readConfigDoc('alertmanagers', { alertmanagers: { static_configs: ['a:1'] } }, 'v0.42.4')[0].kind).toBe('type');
  });
});
