import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { readPins, VERSIONS_PATH } from '../generator/model/versions-file.js';
import { RENOVATE_BRANCH_PREFIX } from '../generator/gitops/workflows.js';
import { REPO_ROOT } from './helpers/paths.js';

// A plain script (run by .ci/tools), imported by a computed name so TypeScript does not look for its types.
const fetcher = '../scripts/fetch-renovate-schema.mjs';
const { RENOVATE_VERSION, SCHEMA_PATH } = (await import(fetcher)) as { RENOVATE_VERSION: string; SCHEMA_PATH: string };

/**
 * renovate.json is what a fork gets: Renovate's regex manager proposes bumps of the pins in
 * settings/versions.ts. Renovate itself does not run here (it needs Node.js 24), so the config is
 * validated against the JSON schema of a pinned Renovate release, and its regexes run on the real
 * pins file: a pin they miss, or read wrongly, fails this test.
 */
interface CustomManager {
  readonly customType: string;
  readonly managerFilePatterns: string[];
  readonly matchStrings: string[];
  readonly datasourceTemplate?: string;
  readonly versioningTemplate?: string;
}
interface PackageRule {
  readonly matchDepNames?: string[];
  readonly matchUpdateTypes?: string[];
  readonly separateMinorPatch?: boolean;
  readonly groupName?: string;
}
interface RenovateConfig {
  readonly enabledManagers: string[];
  readonly branchPrefix: string;
  readonly customManagers: CustomManager[];
  readonly packageRules: PackageRule[];
  readonly [key: string]: unknown;
}

const config = JSON.parse(readFileSync(join(REPO_ROOT, 'renovate.json'), 'utf8')) as RenovateConfig;
const versionsText = readFileSync(join(REPO_ROOT, VERSIONS_PATH), 'utf8');

/** Renovate's `/.../` form of a file pattern as a JavaScript RegExp. */
function filePattern(pattern: string): RegExp {
  const m = /^\/(.*)\/([a-z]*)$/.exec(pattern);
  if (!m) throw new Error(`${pattern} is not a /regex/ file pattern`);
  return new RegExp(m[1], m[2]);
}

interface Match {
  readonly depName?: string;
  readonly currentValue?: string;
  readonly currentDigest?: string;
  readonly index: number;
}

/** Every match of every matchString, as Renovate's regex manager runs them (each globally over the file). */
function extract(manager: CustomManager, text: string): Match[] {
  return manager.matchStrings.flatMap((source) =>
    [...text.matchAll(new RegExp(source, 'g'))].map((m) => ({ ...(m.groups as Record<string, string | undefined>), index: m.index ?? 0 })),
  );
}

describe('renovate.json', () => {
  it(`is valid against the schema of Renovate ${RENOVATE_VERSION}`, () => {
    expect(existsSync(SCHEMA_PATH), `${SCHEMA_PATH} is missing: run .ci/tools (or node scripts/fetch-renovate-schema.mjs)`).toBe(true);
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
    // The schema carries Renovate's own keywords (allowComments, markdownDescription, x-*): not strict.
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);

    // The schema allows unknown keys; a misspelt option would pass it and do nothing, so every key must be one it names.
    const known = (node: { properties?: Record<string, unknown> }) => new Set(Object.keys(node.properties ?? {}));
    const definition = (name: string) => schema.definitions[name];
    const itemProperties = (name: string) =>
      new Set(
        (definition(name).items.allOf ?? [definition(name).items]).flatMap((part: { properties?: Record<string, unknown> }) =>
          Object.keys(part.properties ?? {}),
        ),
      );
    const top = known(schema);
    expect(Object.keys(config).filter((key) => key !== '$schema' && !top.has(key))).toEqual([]);
    const managerKeys = itemProperties('customManagers');
    for (const manager of config.customManagers) expect(Object.keys(manager).filter((key) => !managerKeys.has(key))).toEqual([]);
    // A package rule holds matchers (its item properties) and the options it sets (top-level options).
    const ruleKeys = itemProperties('packageRules');
    for (const rule of config.packageRules) expect(Object.keys(rule).filter((key) => !ruleKeys.has(key) && !top.has(key))).toEqual([]);
  });

  it('opens its branches where the pull-request workflow regenerates (generator/gitops/workflows.ts)', () => {
    expect(config.branchPrefix).toBe(RENOVATE_BRANCH_PREFIX);
  });

  it('enables only the regex manager over settings/versions.ts, with the docker datasource', () => {
    expect(config.enabledManagers).toEqual(['custom.regex']);
    expect(config.customManagers).toHaveLength(1);
    const [manager] = config.customManagers;
    expect(manager.customType).toBe('regex');
    expect(manager.managerFilePatterns.map(filePattern).some((p) => p.test(VERSIONS_PATH))).toBe(true);
    expect(manager.managerFilePatterns.map(filePattern).some((p) => p.test(`other/${VERSIONS_PATH}`))).toBe(false);
    expect(manager.datasourceTemplate).toBe('docker');
    expect(manager.versioningTemplate).toBe('docker');
  });

  it('its regexes use nothing RE2 lacks (Renovate runs them with RE2: no lookaround, no backreference)', () => {
    for (const source of config.customManagers.flatMap((m) => m.matchStrings)) {
      expect(source).not.toMatch(/\(\?<?[=!]|\\[1-9]|\\k</);
      for (const group of source.matchAll(/\(\?<([A-Za-z]+)>/g)) expect(['depName', 'currentValue', 'currentDigest']).toContain(group[1]);
    }
  });

  it('matches every pin of settings/versions.ts once, capturing its image as depName and its tag as currentValue', () => {
    const pins = readPins(versionsText);
    const matches = extract(config.customManagers[0], versionsText);
    expect(pins.length).toBeGreaterThanOrEqual(8);
    expect(
      matches
        .map(({ depName, currentValue, currentDigest }) => ({ depName, currentValue, currentDigest }))
        .sort((a, b) => a.depName!.localeCompare(b.depName!)),
    ).toEqual(
      pins
        .map((pin) => ({ depName: pin.repository, currentValue: pin.tag, currentDigest: pin.digest }))
        .sort((a, b) => a.depName.localeCompare(b.depName)),
    );
  });

  // Renovate 44.121.2 dist/modules/versioning/docker/index.js (lib/modules/versioning/docker/index.ts): a tag is
  // read after a leading 'v' is dropped, as dot-separated numbers then letters, and the part after the first '-' is a
  // suffix that must stay the same for an update to be proposed (1.6.45-alpine only moves to other -alpine tags; an
  // -rc tag is never proposed for a release). A tag of another shape would never be updated.
  it('every pinned tag is one docker versioning reads: numbers after an optional v, then an optional -suffix', () => {
    for (const pin of readPins(versionsText)) expect(pin.tag, pin.imageConstant).toMatch(/^v?\d+(\.\d+)*[A-Za-z]*(-[^-\s]\S*)?$/);
  });

  it('reads a digest and a registry with a port too, and misses a pin in neither form (which readPins refuses as well)', () => {
    const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
    const text = `export const FOO_VERSION = 'v1.2.3@${digest}';\nexport const FOO_IMAGE = \`quay.io/example/foo:\${FOO_VERSION}\`;\nexport const BAR_IMAGE = 'registry.local:5000/team/bar:1.6.45-alpine@${digest}';\n`;
    const found = extract(config.customManagers[0], text).map(({ depName, currentValue, currentDigest }) => ({
      depName,
      currentValue,
      currentDigest,
    }));
    expect(found).toEqual([
      { depName: 'quay.io/example/foo', currentValue: 'v1.2.3', currentDigest: digest },
      { depName: 'registry.local:5000/team/bar', currentValue: '1.6.45-alpine', currentDigest: digest },
    ]);
    // The version constant away from its image: Renovate would not see the pin, so the pins file keeps them together.
    const apart =
      "export const FOO_VERSION = 'v1.2.3';\nexport const OTHER = 1;\nexport const FOO_IMAGE = `quay.io/example/foo:${FOO_VERSION}`;\n";
    expect(extract(config.customManagers[0], apart)).toEqual([]);
  });

  it('its package rules name only images the pins have; Thanos minor and patch releases come apart', () => {
    const repositories = new Set(readPins(versionsText).map((p) => p.repository));
    for (const rule of config.packageRules) for (const name of rule.matchDepNames ?? []) expect(repositories).toContain(name);
    const thanos = config.packageRules.find((rule) => rule.matchDepNames?.includes('quay.io/thanos/thanos'));
    expect(thanos?.separateMinorPatch).toBe(true);
    expect(thanos?.groupName).toBeUndefined();
  });
});
