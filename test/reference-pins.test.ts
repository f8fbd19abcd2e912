import { describe, expect, it } from 'vitest';
import flagsByVersion from '../core/reference/thanos-flags-by-version.json' with { type: 'json' };
import flagTypes from '../core/reference/thanos-flag-types-by-version.json' with { type: 'json' };
import semantics from '../core/reference/thanos-flags-semantics-v0.42.4.json' with { type: 'json' };
import objstore from '../core/reference/objstore-strict-by-version.json' with { type: 'json' };
import prometheusFields from '../core/reference/prometheus-config-fields.json' with { type: 'json' };
import configFiles from '../core/reference/thanos-config-files-by-version.json' with { type: 'json' };
import { programReleases } from '../core/prometheus/flags.js';
import { compareVersions, minor } from '../core/thanos/flags.js';
import { ALERTMANAGER_VERSION, PROMETHEUS_VERSION, THANOS_VERSION } from '../settings/versions.js';

/**
 * The reference data keeps step with the pins: the generator refuses flags and check judges
 * flags, values, objstore configs and Prometheus config fields by the release each file was read
 * from. A pin newer than a file's newest release (a hand edit, or a Renovate branch) would be
 * checked against an older release without anyone noticing; this fails instead, naming the file to
 * regenerate (core/reference/README.md says how). `npm run upgrade` refuses such a pin up front.
 */
const newest = (releases: readonly string[]) => [...releases].sort(compareVersions)[releases.length - 1];

describe('reference data covers the pinned releases', () => {
  it.each([
    ['thanos-flags-by-version.json (flags per release)', flagsByVersion.releases],
    ['thanos-flag-types-by-version.json (flag value types, kingpin duration parser)', Object.keys(flagTypes.kingpinDuration)],
    ['objstore-strict-by-version.json (objstore config parsing and keys)', Object.keys(objstore.releases)],
    ['thanos-config-files-by-version.json (the config files each command reads)', Object.keys(configFiles.releases)],
  ])(`Thanos ${THANOS_VERSION} is not newer than the newest release of core/reference/%s`, (_file, releases) => {
    const last = newest(releases);
    expect(
      compareVersions(THANOS_VERSION, last),
      `THANOS_VERSION ${THANOS_VERSION} is newer than ${last}: add ${minor(THANOS_VERSION)} to the reference`,
    ).toBeLessThanOrEqual(0);
    // The pin's minor release is one the file has: flags change in minor releases only.
    expect(releases.map(minor)).toContain(minor(THANOS_VERSION));
  });

  it(`Thanos ${THANOS_VERSION} is not newer than the release the deprecations were read from (thanos-flags-semantics-${semantics.version}.json)`, () => {
    expect(
      compareVersions(THANOS_VERSION, semantics.version),
      `re-read the deprecations from ${THANOS_VERSION}'s source`,
    ).toBeLessThanOrEqual(0);
  });

  it(`Prometheus ${PROMETHEUS_VERSION} is not newer than the releases prometheus-config-fields.json was read from`, () => {
    const last = newest(prometheusFields.releases);
    expect(
      compareVersions(PROMETHEUS_VERSION, last),
      `PROMETHEUS_VERSION ${PROMETHEUS_VERSION} is newer than ${last}: add its fields`,
    ).toBeLessThanOrEqual(0);
    // The file says in prose which tags it was read from; the list the code reads must agree with it.
    for (const release of prometheusFields.releases) expect(prometheusFields.source).toContain(release);
  });

  it.each([
    ['Prometheus', PROMETHEUS_VERSION, 'prometheus'],
    ['Alertmanager', ALERTMANAGER_VERSION, 'alertmanager'],
  ] as const)('%s %s is not newer than the newest release of core/reference/%s-flags-by-version.json', (_name, version, program) => {
    const releases = programReleases(program);
    const last = newest(releases);
    expect(
      compareVersions(version, last),
      `${version} is newer than ${last}: node scripts/read-prometheus-flags.mjs on its tag`,
    ).toBeLessThanOrEqual(0);
    expect(releases.map(minor)).toContain(minor(version));
  });

  it('the comparison this rests on: a newer patch, minor or major sorts after', () => {
    expect(compareVersions('v0.42.5', 'v0.42.4')).toBeGreaterThan(0);
    expect(compareVersions('v0.43.0', 'v0.42.4')).toBeGreaterThan(0);
    expect(compareVersions('v1.0.0', 'v0.99.9')).toBeGreaterThan(0);
    expect(compareVersions('v0.42.4', 'v0.42.4')).toBe(0);
    expect(compareVersions('v3.9.0', 'v3.13.2')).toBeLessThan(0);
  });
});
