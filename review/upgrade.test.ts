import { describe, expect, it } from 'vitest';
import { programFlags, programReleases } from '../core/prometheus/flags.js';
import { THANOS_RELEASES } from '../core/thanos/flags.js';
import type { Pin } from '../generator/model/versions-file.js';
import { releaseNotes, tagProblem } from './upgrade.js';

const pin = (name: string, tag: string, repository = `quay.io/example/${name}`): Pin => ({
  name,
  imageConstant: `${name.toUpperCase()}_IMAGE`,
  tagConstant: `${name.toUpperCase()}_VERSION`,
  repository,
  tag,
  line: 1,
});
const NEWEST = THANOS_RELEASES[THANOS_RELEASES.length - 1];

describe('upgrade: which tags a pin may move to', () => {
  it.each([
    ['thanos', 'v0.42.4', 'v0.41.0', undefined],
    ['thanos', 'v0.42.4', NEWEST, undefined],
    ['thanos', 'v0.41.0', 'v0.41.9', undefined], // a patch the reference did not record: the minor's flags
    ['thanos', 'v0.42.4', 'v0.99.0', /newer than the flag reference.*Regenerate the reference first/],
    ['thanos', 'v0.42.4', 'v0.19.0', /older than the flag reference/],
    ['thanos', 'v0.42.4', '0.41.0', /not a release tag of the form the pin uses \(v0\.42\.4\); give one like v1\.2\.3/],
    ['thanos', 'v0.42.4', 'v0.43.0-rc.0', /not a release tag of the form/],
    ['prometheus', 'v3.13.2', 'v3.7.3', undefined],
    ['prometheus', 'v3.13.2', 'v3.13.3', /newer than the configuration field reference/],
    ['prometheus', 'v3.13.2', 'v2.55.1', /not a v3 release/],
    ['memcached', '1.6.45-alpine', '1.6.46-alpine', undefined],
    ['memcached', '1.6.45-alpine', '1.6.46', /give one like 1\.2\.3-alpine/],
    ['memcached', '1.6.45-alpine', 'v1.6.46-alpine', /give one like 1\.2\.3-alpine/],
    ['alertmanager', 'v0.32.1', 'v0.33.1', undefined],
    ['alertmanager', 'v0.32.1', 'v0.99.0', /alertmanager v0\.99\.0 is newer than the flag reference.*read-prometheus-flags\.mjs/],
    ['prometheus', 'v3.13.2', 'v3.99.0', /newer than the configuration field reference/],
    ['node-exporter', 'v1.12.1', 'v1.99.0', undefined], // no reference data: any release of the form
  ])('%s %s -> %s', (name, from, to, problem) => {
    const found = tagProblem(pin(name, from), to);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });
});

describe('upgrade: what the reference data says changes between two releases', () => {
  // thanos-io/thanos: store.go:182 and receive.go:1084 at v0.41.0 register --debug.advertise-compatibility-label and
  // receive's own --shipper.ignore-unequal-block-size; at v0.42.4 neither is there (config.go:226's shipper flags are
  // registered by rule.go:131 and sidecar.go:640 only), and query_frontend.go:100 adds --query.max-retries-per-request.
  it('Thanos v0.41 -> v0.42: flags removed and new, the flags v0.42 deprecates with their replacement', () => {
    const notes = releaseNotes({ pin: pin('thanos', 'v0.41.0'), from: 'v0.41.0', to: 'v0.42.4' });
    expect(notes.filter((n) => /removed in/.test(n))).toEqual([
      'thanos store --debug.advertise-compatibility-label: removed in v0.42',
      'thanos receive --shipper.ignore-unequal-block-size: removed in v0.42',
    ]);
    expect(notes.find((n) => n.startsWith('thanos query-frontend:'))).toMatch(
      /flag\(s\) new in v0\.42: .*--query\.max-retries-per-request/,
    );
    expect(notes).toContain('thanos query --store.sd-files: deprecated in v0.42; use --endpoint.sd-config-file');
  });

  it('a downgrade says the newer flags are not in the older release, not that they were removed', () => {
    const notes = releaseNotes({ pin: pin('thanos', 'v0.42.4'), from: 'v0.42.4', to: 'v0.41.0' });
    expect(notes).toContain('thanos query-frontend --query.max-retries-per-request: not in v0.41 (added after it): the process refuses it');
  });

  it('an upgrade across a removal names the removed flag; across an objstore change, the change', () => {
    const notes = releaseNotes({ pin: pin('thanos', 'v0.21.1'), from: 'v0.21.1', to: 'v0.22.0' });
    expect(notes).toContain(
      'thanos objstore type AZURE is parsed strictly: an unknown or misplaced key stops the process from v0.22.0 (was lenient in v0.21.1)',
    );
  });

  it('a patch release of the same minor: the same flags', () => {
    expect(releaseNotes({ pin: pin('thanos', 'v0.41.0'), from: 'v0.41.0', to: 'v0.41.1' })).toEqual([
      'thanos v0.41.0 -> v0.41.1: same minor release, so the same flags and objstore config (Thanos changes flags in minor releases)',
    ]);
  });

  it('Prometheus across v3.8 and v3.11: where retention is read moves (core/prometheus/retention.ts)', () => {
    const retention = (from: string, to: string) =>
      releaseNotes({ pin: pin('prometheus', from), from, to }).filter((n) => n.startsWith('prometheus: retention'));
    expect(retention('v3.7.3', 'v3.13.2')).toEqual([
      expect.stringMatching(/retention is read as Prometheus v3\.11 and later reads it, no longer as Prometheus before v3\.8 does/),
    ]);
    expect(retention('v3.11.0', 'v3.13.2')).toEqual([]);
  });

  it('a pin without reference data says where to read', () => {
    expect(
      releaseNotes({ pin: pin('node-exporter', 'v1.12.1', 'quay.io/prometheus/node-exporter'), from: 'v1.12.1', to: 'v1.13.0' }),
    ).toEqual([
      'node-exporter: no reference data for quay.io/prometheus/node-exporter in this repository; read its release notes between v1.12.1 and v1.13.0',
    ]);
  });

  it('Alertmanager and Prometheus: the flags one release has and the other has not (core/reference/<program>-flags-by-version.json)', () => {
    for (const program of ['alertmanager', 'prometheus'] as const) {
      const releases = programReleases(program);
      const [from, to] =
        program === 'prometheus' ? ['v3.0.1', releases[releases.length - 1]] : [releases[0], releases[releases.length - 1]];
      const notes = releaseNotes({ pin: pin(program, from), from, to });
      const before = new Set(programFlags(program, from));
      const after = new Set(programFlags(program, to));
      const removed = [...before].filter((f) => !after.has(f));
      const added = [...after].filter((f) => !before.has(f)).sort();
      expect(removed.length + added.length, program).toBeGreaterThan(0);
      for (const flag of removed)
        expect(notes).toContain(`${program} ${flag}: removed in ${to.replace(/\.\d+$/, '')}: the process refuses it`);
      if (added.length) expect(notes.find((n) => n.startsWith(`${program}: ${added.length} flag(s) new in`))).toContain(added[0]);
    }
  });

  it('Thanos across v0.35: the config files it reads change with it (core/reference/thanos-config-files-by-version.json)', () => {
    expect(releaseNotes({ pin: pin('thanos', 'v0.34.1'), from: 'v0.34.1', to: 'v0.35.1' })).toContain(
      'thanos alertmanagers config: api_version defaults to v2 in v0.35.1 (v1 in v0.34.1)',
    );
  });
});
