import { describe, expect, it } from 'vitest';
import reference from '../reference/alertmanager-config-by-version.json' with { type: 'json' };
import { alertmanagerConfigProblems } from './alertmanager-config.js';

type Run = { releases: string[]; keys: string[]; open: boolean };
const structs = reference.structs as Record<string, Run[]>;
const keysAt = (struct: string, release: string) => {
  const i = reference.releases.indexOf(release);
  return (
    structs[struct]?.find((r) => reference.releases.indexOf(r.releases[0]) <= i && i <= reference.releases.indexOf(r.releases[1]))?.keys ??
    []
  );
};

describe('the configuration keys read from each release (scripts/read-prometheus-flags.mjs)', () => {
  it('every release parses strictly (A@v0.25.1 and v0.32.1 config/config.go config.Load: yaml.UnmarshalStrict)', () => {
    expect(Object.values(reference.strict).every(Boolean)).toBe(true);
    expect(Object.keys(reference.strict)).toEqual(reference.releases);
  });
  it('runs are ordered, inside the releases read, and every struct config.Load reads is known from v0.25', () => {
    for (const name of ['Config', 'GlobalConfig', 'Route', 'InhibitRule', 'Receiver', 'TimeInterval', 'MuteTimeInterval'])
      expect(structs[name]?.[0]?.releases[0], name).toBe('v0.25.1');
    for (const runs of Object.values(structs))
      runs.forEach((r, i) => {
        expect(reference.releases.indexOf(r.releases[0])).toBeLessThanOrEqual(reference.releases.indexOf(r.releases[1]));
        if (i > 0) expect(reference.releases.indexOf(r.releases[0])).toBeGreaterThan(reference.releases.indexOf(runs[i - 1].releases[1]));
      });
  });
  it('what amtool 0.25 (Debian, on PATH) does not know and the pinned v0.32 has: tracing, inhibit rule name, six receivers', () => {
    const newer = (struct: string) => keysAt(struct, 'v0.32.3').filter((k) => !keysAt(struct, 'v0.25.1').includes(k));
    expect(newer('Config')).toEqual(['tracing']);
    expect(newer('InhibitRule')).toEqual(['name']);
    expect(newer('Receiver')).toEqual([
      'incidentio_configs',
      'jira_configs',
      'mattermost_configs',
      'msteams_configs',
      'msteamsv2_configs',
      'rocketchat_configs',
    ]);
    expect(keysAt('Route', 'v0.32.3')).toEqual(expect.arrayContaining(['match', 'match_re', 'matchers', 'active_time_intervals']));
  });
});

describe('alertmanagerConfigProblems', () => {
  it('a minimal configuration loads in every release', () => {
    for (const release of reference.releases)
      expect(alertmanagerConfigProblems({ route: { receiver: 'x' }, receivers: [{ name: 'x' }] }, release)).toEqual([]);
  });
  it('a receiver defined nowhere, however deep the route', () => {
    const doc = { route: { receiver: 'x', routes: [{ routes: [{ receiver: 'y' }] }] }, receivers: [{ name: 'x' }] };
    expect(alertmanagerConfigProblems(doc, 'v0.32.3')).toEqual([
      'route.routes[0].routes[0]: receiver y is not defined ("undefined receiver "y" used in route", config.go:676-678); define it under receivers or use one of x',
    ]);
  });
  it('unknown keys only where the release is known; other checks always', () => {
    const doc = { route: { receiver: 'x', groupby: ['a'] }, receivers: [{ name: 'x' }] };
    expect(alertmanagerConfigProblems(doc, 'v0.32.3')).toHaveLength(1);
    expect(alertmanagerConfigProblems(doc, undefined)).toEqual([]);
  });
});
