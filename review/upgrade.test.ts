import { describe, expect, it } from 'vitest';
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
    ['alertmanager', 'v0.32.1', 'v0.99.0', undefined], // no reference data: any release of the form
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
    expect(releaseNotes({ pin: pin('prometheus', 'v3.7.3'), from: 'v3.7.3', to: 'v3.13.2' })).toEqual([
      expect.stringMatching(/retention is read as Prometheus v3\.11 and later reads it, no longer as Prometheus before v3\.8 does/),
    ]);
    expect(releaseNotes({ pin: pin('prometheus', 'v3.11.0'), from: 'v3.11.0', to: 'v3.13.2' })).toEqual([]);
  });

  it('a pin without reference data says where to read', () => {
    expect(
      releaseNotes({ pin: pin('alertmanager', 'v0.32.1', 'quay.io/prometheus/alertmanager'), from: 'v0.32.1', to: 'v0.33.0' }),
    ).toEqual([
      'alertmanager: no reference data for quay.io/prometheus/alertmanager in this repository; read its release notes between v0.32.1 and v0.33.0',
    ]);
  });
});
