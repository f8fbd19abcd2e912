/**
 * Builds the table of field names each kind allows (policies/lib/strict-fields.json) from the
 * installed kubernetes-models type declarations, with the TypeScript type checker (ts-morph).
 *
 * Why: the models' validate() allows unknown properties, and the packages ship compiled validators,
 * not JSON schemas; the API server with strict validation (kubectl apply --validate=strict, Argo
 * CD's server-side apply) rejects them. Run at build time only (`npm run docs`); the check reads the
 * committed JSON, and a test fails when it drifts from the installed packages.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Node, Project, type Type } from 'ts-morph';
import type { FieldTable, FieldType } from '../lib/strict-fields.js';

export const FIELDS_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'strict-fields.json');

/** The packages whose kinds are validated (kubernetes-models for built-in kinds, the CRD packages). */
const PACKAGES = [
  'kubernetes-models',
  '@kubernetes-models/argo-cd',
  '@kubernetes-models/external-secrets',
  '@kubernetes-models/flux-cd',
  '@kubernetes-models/prometheus-operator',
  '@kubernetes-models/sealed-secrets',
  '@kubernetes-models/cert-manager',
  '@kubernetes-models/gateway-api',
];

function packageDir(name: string): string {
  // Some packages export no ./package.json; their main entry sits at the package root.
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    // A package that exports its modules for `import` only (@kubernetes-models/gateway-api).
    entry = fileURLToPath(import.meta.resolve(name));
  }
  let dir = dirname(entry);
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

function declarationFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('_')) out.push(...declarationFiles(path));
    } else if (entry.name.endsWith('.d.ts') && entry.name !== 'index.d.ts') out.push(path);
  }
  return out.sort();
}

/** The installed packages' versions and declaration files, and a hash over the files' contents. */
export function installedSources(): { packages: Record<string, string>; files: string[]; sources: string } {
  const packages: Record<string, string> = {};
  const files: string[] = [];
  // The builder's own text counts too: a change to how the table is built is a change to the table.
  const hash = createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url)));
  for (const name of PACKAGES) {
    const dir = packageDir(name);
    packages[name] = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    for (const file of declarationFiles(dir)) {
      files.push(file);
      hash.update(`${name}/${relative(dir, file)}\n`).update(readFileSync(file));
    }
  }
  return { packages, files, sources: hash.digest('hex') };
}

/** Builds the table; deterministic for the same installed packages. */
export function buildFieldTable(): FieldTable {
  const project = new Project({ compilerOptions: { strict: true, skipLibCheck: true, noEmit: true }, skipAddingFilesFromTsConfig: true });
  const roots: { key: string; type: Type; node: Node }[] = [];
  const { packages, files, sources } = installedSources();
  for (const file of files) {
    {
      // A kind's module declares `interface I<Kind>` with literal apiVersion and kind.
      const text = readFileSync(file, 'utf8');
      if (!/"kind": "[A-Za-z]+";/.test(text) || !/"apiVersion": "[^"]+";/.test(text)) continue;
      const source = project.addSourceFileAtPath(file);
      for (const decl of source.getInterfaces()) {
        const kind = decl.getProperty('"kind"') ?? decl.getProperty('kind');
        const apiVersion = decl.getProperty('"apiVersion"') ?? decl.getProperty('apiVersion');
        const kindText = kind?.getTypeNode()?.getText();
        const versionText = apiVersion?.getTypeNode()?.getText();
        if (!kindText?.startsWith('"') || !versionText?.startsWith('"')) continue;
        const kindName = JSON.parse(kindText) as string;
        // *List kinds are read as their items (parse.ts); the items are checked as their own kinds.
        if (kindName.endsWith('List')) continue;
        roots.push({ key: `${JSON.parse(versionText) as string}/${kindName}`, type: decl.getType(), node: decl });
      }
    }
  }
  roots.sort((a, b) => (a.key < b.key ? -1 : 1));

  const types: FieldType[] = [];
  const ids = new Map<Type, number>();
  const byShape = new Map<string, number>();
  // Structurally equal types share an index, so the many copies of one inline CRD type are stored once.
  const intern = (shape: FieldType): number => {
    const key = JSON.stringify(shape);
    const found = byShape.get(key);
    if (found !== undefined) return found;
    types.push(shape);
    byShape.set(key, types.length - 1);
    return types.length - 1;
  };
  const LEAF = intern(null);
  const OPEN = intern('open');

  const visit = (type: Type, node: Node): number => {
    if (type.isAny() || type.isUnknown()) return OPEN;
    if (type.isUnion()) {
      const members = type.getUnionTypes().filter((t) => !t.isUndefined() && !t.isNull());
      const objects = members.filter((t) => t.isObject() || t.isArray());
      if (objects.length === 0) return LEAF;
      if (objects.length > 1) return OPEN;
      return visit(objects[0], node);
    }
    if (type.isArray()) return visit(type.getArrayElementTypeOrThrow(), node);
    if (!type.isObject()) return LEAF;
    const known = ids.get(type);
    if (known !== undefined) return known;
    if (type.getStringIndexType() || type.getNumberIndexType()) return OPEN;
    const properties = type.getProperties();
    if (properties.length === 0) return OPEN;
    // Reserve an index before descending: Kubernetes types are recursive (JSONSchemaProps).
    const index = types.length;
    types.push(null);
    ids.set(type, index);
    const fields: Record<string, number> = {};
    for (const property of properties.sort((a, b) => (a.getName() < b.getName() ? -1 : 1))) {
      fields[property.getName()] = visit(property.getTypeAtLocation(node), node);
    }
    types[index] = fields;
    return index;
  };

  const kinds: Record<string, number> = {};
  for (const root of roots) kinds[root.key] = visit(root.type, root.node);
  return compact({
    note: 'Generated by `npm run docs` from the installed kubernetes-models type declarations (policies/build/strict-fields.ts). Do not edit.',
    packages,
    sources,
    kinds,
    types,
  });
}

/** Renumbers the table so structurally equal types (found only after their fields were filled in) share one entry. */
function compact(table: FieldTable): FieldTable {
  const canonical: number[] = [];
  let changed = true;
  let types = table.types;
  let kinds = table.kinds;
  // Repeat until no two entries print alike: merging two types can make their parents equal.
  while (changed) {
    changed = false;
    const seen = new Map<string, number>();
    const next: FieldType[] = [];
    canonical.length = 0;
    for (const t of types) {
      const key = JSON.stringify(t);
      const at = seen.get(key);
      if (at !== undefined) {
        canonical.push(at);
        changed = true;
      } else {
        seen.set(key, next.length);
        canonical.push(next.length);
        next.push(t);
      }
    }
    const remap = (t: FieldType): FieldType =>
      t === null || t === 'open' ? t : Object.fromEntries(Object.entries(t).map(([k, v]) => [k, canonical[v]]));
    types = next.map(remap);
    kinds = Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, canonical[v]]));
  }
  return { ...table, kinds, types };
}

/** The file's text: one kind and one type per line, so a package upgrade reads as a diff. */
export function renderFieldTable(table: FieldTable): string {
  const lines = [
    '{',
    `"note": ${JSON.stringify(table.note)},`,
    `"packages": ${JSON.stringify(table.packages)},`,
    `"sources": ${JSON.stringify(table.sources)},`,
    '"kinds": {',
  ];
  const kinds = Object.entries(table.kinds);
  kinds.forEach(([k, v], i) => {
    lines.push(`${JSON.stringify(k)}: ${v}${i < kinds.length - 1 ? ',' : ''}`);
  });
  lines.push('},', '"types": [');
  table.types.forEach((t, i) => {
    lines.push(`${JSON.stringify(t)}${i < table.types.length - 1 ? ',' : ''}`);
  });
  lines.push(']', '}', '');
  return lines.join('\n');
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  // Building takes most of a minute; skip it while the declarations and this builder are unchanged.
  const current = existsSync(FIELDS_PATH) ? (JSON.parse(readFileSync(FIELDS_PATH, 'utf8')) as { sources?: string }).sources : undefined;
  if (current === installedSources().sources && !process.argv.includes('--force')) {
    console.log(`${relative(process.cwd(), FIELDS_PATH)} is up to date`);
  } else {
    writeFileSync(FIELDS_PATH, renderFieldTable(buildFieldTable()));
    console.log(`wrote ${relative(process.cwd(), FIELDS_PATH)}`);
  }
}
