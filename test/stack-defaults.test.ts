import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Node, Project, type InterfaceDeclaration, type JSDocTag } from 'ts-morph';
import { DEFAULT_STACK } from '../generator/model/stack.js';
import { REPO_ROOT } from './helpers/paths.js';

/**
 * settings/schema/stack.ts documents each field's default with `@default <value>` (what a fork reads
 * in its editor); DEFAULT_STACK (generator/model/stack.ts) is what the generator uses. The two are
 * typed apart, so this reads every tag, walks from StackConfig to its field, and compares.
 */
const SCHEMA = 'settings/schema/stack.ts';

interface Tag {
  readonly path: string;
  readonly text: string;
}

/** Every `@default` tag of the schema, with the StackConfig path of its field; tags no field of StackConfig reaches come back apart. */
function defaultTags(): { tags: Tag[]; unreached: string[] } {
  const file = new Project({ skipAddingFilesFromTsConfig: true }).addSourceFileAtPath(join(REPO_ROOT, SCHEMA));
  const reached = new Set<JSDocTag>();
  const tags: Tag[] = [];
  const visit = (declaration: InterfaceDeclaration, path: string) => {
    for (const property of declaration.getProperties()) {
      const fieldPath = path ? `${path}.${property.getName()}` : property.getName();
      for (const tag of property.getJsDocs().flatMap((doc) => doc.getTags())) {
        if (tag.getTagName() !== 'default') continue;
        reached.add(tag);
        tags.push({ path: fieldPath, text: tag.getCommentText()?.trim() ?? '' });
      }
      const type = property.getTypeNode();
      const named = type && Node.isTypeReference(type) ? file.getInterface(type.getTypeName().getText()) : undefined;
      if (named) visit(named, fieldPath);
    }
  };
  visit(file.getInterfaceOrThrow('StackConfig'), '');
  const unreached = file
    .getInterfaces()
    .flatMap((i) => i.getProperties().map((p) => [`${i.getName()}.${p.getName()}`, p] as const))
    .filter(([, p]) => p.getJsDocs().some((doc) => doc.getTags().some((t) => t.getTagName() === 'default' && !reached.has(t))))
    .map(([name]) => name);
  return { tags, unreached };
}

/** A tag's value: JSON, with bare object keys allowed ({ requestSeries: 0 }); undefined when it is not one value. */
function tagValue(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text.replace(/([{,]\s*)([A-Za-z_]\w*)\s*:/g, '$1"$2":')) };
  } catch {
    return undefined;
  }
}

function valueAt(path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], DEFAULT_STACK);
}

/** What is wrong with each tag, by field path; empty when every tag says what DEFAULT_STACK holds. */
function defaultMismatches(tags: readonly Tag[]): string[] {
  return tags.flatMap(({ path, text }) => {
    const parsed = tagValue(text);
    if (!parsed) return [`${path}: @default ${text} is not one value (JSON, e.g. "24h", 2, true, [], { key: 0 })`];
    const actual = valueAt(path);
    if (actual === undefined) return [`${path}: @default ${text}, but DEFAULT_STACK has no ${path}`];
    return JSON.stringify(parsed.value) === JSON.stringify(actual)
      ? []
      : [`${path}: @default ${text}, but DEFAULT_STACK has ${JSON.stringify(actual)}`];
  });
}

describe(`@default tags in ${SCHEMA}`, () => {
  const { tags, unreached } = defaultTags();

  it('are read from the fields StackConfig reaches, every one of them', () => {
    expect(tags.length).toBeGreaterThan(50);
    expect(unreached).toEqual([]);
  });

  it('say what DEFAULT_STACK holds', () => {
    expect(defaultMismatches(tags)).toEqual([]);
  });

  it('a tag that disagrees is reported by its field path', () => {
    expect(
      defaultMismatches([
        { path: 'prometheus.replicas', text: '3' },
        { path: 'receive.retention', text: '"15d" before blocks live only in the bucket' },
        { path: 'fleet.exposure.port', text: '443' },
      ]),
    ).toEqual([
      'prometheus.replicas: @default 3, but DEFAULT_STACK has 2',
      'receive.retention: @default "15d" before blocks live only in the bucket is not one value (JSON, e.g. "24h", 2, true, [], { key: 0 })',
      'fleet.exposure.port: @default 443, but DEFAULT_STACK has no fleet.exposure.port',
    ]);
  });
});
