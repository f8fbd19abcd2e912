import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStream } from '../../policies/engine/parse.js';
import { checkObjects, runCheck } from '../../policies/engine/run.js';

/** Reads `text` as --file input and returns "Kind/name" of every object and the schema findings. */
function read(text: string): { objects: string[]; schema: string[]; errors: string[] } {
  const parsed = parseStream(text, { file: 'in.yaml' });
  const { findings } = checkObjects(parsed.objects, []);
  return {
    objects: parsed.objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`),
    schema: findings.filter((f) => f.rule === 'schema').map((f) => `${f.kind}/${f.name}: ${f.message}`),
    errors: parsed.errors.map((e) => e.message),
  };
}

const cm = (name: string, namespace = 'x') => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ${namespace}}\n`;

describe('reading input as kubectl reads it', () => {
  const cases: { name: string; text: string; objects: string[]; schema?: RegExp[] }[] = [
    {
      name: 'passes: YAML merge keys resolve',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  <<: {namespace: x, labels: {a: b}}\n  name: merged\n',
      objects: ['ConfigMap/merged'],
    },
    {
      name: 'passes: a concatenated JSON stream',
      text: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"x"}}{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b","namespace":"x"}}\n{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}',
      objects: ['ConfigMap/a', 'ConfigMap/b', 'ConfigMap/c'],
    },
    {
      name: 'passes: typed lists stand for their items',
      text: 'apiVersion: v1\nkind: ConfigMapList\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: x}}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBindingList\nitems: []\n',
      objects: ['ConfigMap/a'],
    },
    {
      name: 'passes: a typed list as the API serves it gives its kind and apiVersion to items without them',
      text: '{"apiVersion":"v1","kind":"ConfigMapList","items":[{"metadata":{"name":"a","namespace":"x"},"data":{"k":"v"}}]}',
      objects: ['ConfigMap/a'],
    },
    {
      name: 'passes: same name in two namespaces, or as two kinds, is no duplicate',
      text: `${cm('a', 'x')}---\n${cm('a', 'y')}---\napiVersion: v1\nkind: Secret\nmetadata: {name: a, namespace: x}\n`,
      objects: ['ConfigMap/a', 'ConfigMap/a', 'Secret/a'],
    },
    {
      name: 'fails: a duplicate key in one mapping',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\ndata:\n  k: one\n  k: two\n',
      objects: ['ConfigMap/a'],
      schema: [/ConfigMap\/a: in.yaml:6: duplicate key k in one mapping/],
    },
    {
      name: 'fails: a duplicate key in a concatenated JSON stream, as in YAML; keys in arrays and nested objects are their own',
      text: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"x"},"data":{"k":"v","k":"w"}}\n{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b","namespace":"x","labels":{"name":"n"}},"data":{"l":"[\\"k\\",\\"k\\"]"}}',
      objects: ['ConfigMap/a', 'ConfigMap/b'],
      schema: [/ConfigMap\/a: in.yaml:1: duplicate key k in one mapping/],
    },
    {
      name: 'fails: the same object twice is a duplicate (an error when the copies differ)',
      text: `${cm('a')}---\n${cm('a')}---\n${cm('a')}data: {k: v}\n`,
      objects: ['ConfigMap/a', 'ConfigMap/a', 'ConfigMap/a'],
      schema: [
        /ConfigMap\/a: duplicate: ConfigMap x\/a is in the input twice with the same content \(first at line 1\)/,
        /ConfigMap\/a: duplicate: .* with different content \(first at line 1\)/,
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = read(c.text);
      expect(got.errors).toEqual([]);
      expect(got.objects).toEqual(c.objects);
      expect(got.schema.length, got.schema.join('\n')).toBe(c.schema?.length ?? 0);
      for (const pattern of c.schema ?? [])
        expect(
          got.schema.some((s) => pattern.test(s)),
          got.schema.join('\n'),
        ).toBe(true);
    });
  }
});

describe('reading a folder as `kubectl apply -f <folder>` reads it', () => {
  const json = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'x' } });
  const withFolder = async (files: Record<string, string>, run: (dir: string) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'thanos-ha-read-'));
    try {
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const check = (dir: string) => runCheck({ policies: [], root: dir, files: [dir] });

  it('reads .json files beside .yaml and .yml ones (kubectl reads all three)', () =>
    withFolder({ 'a.json': json('a'), 'b.yaml': cm('b'), 'c.yml': cm('c'), 'notes.txt': 'not read' }, async (dir) => {
      const report = await check(dir);
      expect(report.inputErrors).toEqual([]);
      expect(report.summary.objects).toBe(3);
    }));

  it('a folder of .json files only is checked, not refused', () =>
    withFolder({ 'a.json': json('a') }, async (dir) => expect((await check(dir)).summary.objects).toBe(1)));

  it('a broken file is the same input error whatever its extension', () =>
    withFolder({ 'broken.json': '{"apiVersion": "v1", "kind": \n', 'broken.yaml': '{"apiVersion": "v1", "kind": \n' }, async (dir) => {
      const errors = (await check(dir)).inputErrors.map((e) => e.message.replace(dir, '<dir>'));
      expect(errors).toHaveLength(2);
      expect(errors[0].replace('broken.json', 'broken.<ext>')).toBe(errors[1].replace('broken.yaml', 'broken.<ext>'));
    }));
});
