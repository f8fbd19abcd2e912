import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as versions from '../../settings/versions.js';
import { REPO_ROOT } from '../../test/helpers/paths.js';
import { readPins, setPinTags, VERSIONS_PATH } from './versions-file.js';

const SAMPLE = `/** Pins. */
export const FOO_VERSION = 'v1.2.3'; // the release we test
export const FOO_IMAGE = \`quay.io/example/foo:\${FOO_VERSION}\`;

// A literal image, tag and all.
export const BAR_IMAGE = "docker.io/library/bar:1.6.45-alpine";
export const PORTED_IMAGE = 'registry.local:5000/team/ported:v0.1.0@sha256:${'a'.repeat(64)}';
const LOCAL_IMAGE = 'not/exported:v9';
`;

describe('versions-file: the pins of settings/versions.ts read and changed through the AST', () => {
  it('reads both forms (tag in a version constant, tag in the image literal), a registry port and a digest', () => {
    expect(readPins(SAMPLE)).toEqual([
      { name: 'foo', imageConstant: 'FOO_IMAGE', tagConstant: 'FOO_VERSION', repository: 'quay.io/example/foo', tag: 'v1.2.3', line: 2 },
      {
        name: 'bar',
        imageConstant: 'BAR_IMAGE',
        tagConstant: 'BAR_IMAGE',
        repository: 'docker.io/library/bar',
        tag: '1.6.45-alpine',
        line: 6,
      },
      {
        name: 'ported',
        imageConstant: 'PORTED_IMAGE',
        tagConstant: 'PORTED_IMAGE',
        repository: 'registry.local:5000/team/ported',
        tag: 'v0.1.0',
        digest: `sha256:${'a'.repeat(64)}`,
        line: 7,
      },
    ]);
  });

  it('the live pins are every exported *_IMAGE, each the repository and tag the module exports', () => {
    const pins = readPins(readFileSync(join(REPO_ROOT, VERSIONS_PATH), 'utf8'));
    const images = Object.entries(versions).filter(([name]) => name.endsWith('_IMAGE'));
    expect(pins.map((p) => p.imageConstant).sort()).toEqual(images.map(([name]) => name).sort());
    for (const pin of pins) expect((versions as Record<string, string>)[pin.imageConstant]).toBe(`${pin.repository}:${pin.tag}`);
  });

  it('changes only the characters of the literal that holds the tag: comments, quotes and other lines stay', () => {
    const out = setPinTags(SAMPLE, { foo: 'v1.3.0', bar: '1.6.46-alpine' });
    const before = SAMPLE.split('\n');
    const after = out.split('\n');
    expect(after.filter((line, i) => line !== before[i])).toEqual([
      "export const FOO_VERSION = 'v1.3.0'; // the release we test",
      'export const BAR_IMAGE = "docker.io/library/bar:1.6.46-alpine";',
    ]);
    expect(readPins(out).map((p) => p.tag)).toEqual(['v1.3.0', '1.6.46-alpine', 'v0.1.0']);
  });

  it('the same tag gives back the same bytes', () => {
    expect(setPinTags(SAMPLE, { foo: 'v1.2.3' })).toBe(SAMPLE);
  });

  it.each([
    ['an image without a tag', "export const X_IMAGE = 'quay.io/x/x';", /X_IMAGE = 'quay.io\/x\/x' has no tag/],
    [
      'a template over an unexported constant',
      "const X_VERSION = 'v1';\nexport const X_IMAGE = `quay.io/x/x:${X_VERSION}`;",
      /reads X_VERSION, which is not an exported string literal/,
    ],
    [
      'a template with text after the tag',
      "export const X_VERSION = 'v1';\nexport const X_IMAGE = `quay.io/x/x:${X_VERSION}-alpine`;",
      /must be a literal/,
    ],
    ['a syntax error', "export const X_IMAGE = 'quay.io/x/x:v1;", /settings\/versions.ts:1:\d+: the pins do not parse/],
  ])('refuses %s with file and line', (_name, text, message) => {
    expect(() => readPins(text)).toThrow(message);
  });

  it('refuses a pin that does not exist, naming the pins there are', () => {
    expect(() => setPinTags(SAMPLE, { baz: 'v1' })).toThrow(/no pin 'baz'; the pins are foo, bar, ported/);
  });
});
