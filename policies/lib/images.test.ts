import { describe, expect, it } from 'vitest';
import { THANOS_RELEASES } from '../../core/thanos/flags.js';
import { THANOS_VERSION } from '../../settings/versions.js';
import { imageRelease, parseImage, referenceNote } from './images.js';

describe('parseImage', () => {
  it.each([
    ['quay.io/thanos/thanos:v0.42.4', { name: 'quay.io/thanos/thanos', tag: 'v0.42.4' }],
    ['registry.local:5000/thanos/thanos:v0.42.4', { name: 'registry.local:5000/thanos/thanos', tag: 'v0.42.4' }],
    ['localhost:5000/tool@sha256:abc', { name: 'localhost:5000/tool', digest: 'sha256:abc' }],
    ['quay.io/thanos/thanos:v0.37.2@sha256:abc', { name: 'quay.io/thanos/thanos', tag: 'v0.37.2', digest: 'sha256:abc' }],
    ['registry:5000/busybox', { name: 'registry:5000/busybox' }],
  ])('%s: a registry port is no tag', (image, parts) => {
    expect(parseImage(image)).toEqual(parts);
  });
});

describe('imageRelease: the flag reference release an image is checked against', () => {
  it("takes the tag's minor release, Bitnami's form and a tag beside a digest included", () => {
    expect(imageRelease('quay.io/thanos/thanos:v0.37.0')).toEqual({ release: 'v0.37.2' });
    expect(imageRelease('docker.io/bitnami/thanos:0.36.1-debian-12-r3')).toEqual({ release: 'v0.36.1' });
    expect(imageRelease('quay.io/thanos/thanos:v0.39.2@sha256:abc')).toEqual({ release: 'v0.39.2' });
  });
  it('past either end of the reference, the nearest release with a note', () => {
    const newest = THANOS_RELEASES[THANOS_RELEASES.length - 1];
    expect(imageRelease('thanos:v9.0.0')).toEqual({ release: newest, note: expect.stringContaining('is newer than the flag reference') });
    expect(imageRelease('thanos:v0.1.0')).toEqual({ release: THANOS_RELEASES[0], note: expect.stringContaining('is older'), older: true });
  });
  it('the pinned release, saying why, when the image names no version', () => {
    expect(imageRelease('quay.io/thanos/thanos@sha256:abc')).toEqual({
      release: THANOS_VERSION,
      note: expect.stringContaining('it is pinned by digest only'),
    });
    expect(imageRelease('thanos:main').note).toContain('its tag main names no Thanos version');
    expect(imageRelease('thanos').note).toContain('it has no tag');
  });
});

/** After a bump of THANOS_VERSION (docs/day-two.md, "Upgrading Thanos or Prometheus"), warnings say what they checked against. */
describe('referenceNote: thanos-flags after an upgrade', () => {
  it('while the pin and the flag reference agree, the warning says the version is the pinned one', () => {
    expect(referenceNote(THANOS_VERSION, THANOS_VERSION)).toBe('the version the project pins');
  });
  it('once the pin moved past the reference, it names both and the reference file to add', () => {
    const note = referenceNote('v9.9.9', THANOS_VERSION);
    expect(note).not.toContain('the version the project pins');
    expect(note).toContain('the project now pins v9.9.9');
    expect(note).toContain('core/reference/thanos-flags-v9.9.9.json');
  });
});
