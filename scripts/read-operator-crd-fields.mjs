// Reads the spec fields of every prometheus-operator custom resource from the CRDs each release ships
// (example/prometheus-operator-crd/*.yaml), from v0.70 to the newest tag in the git dir, and writes
// core/reference/prometheus-operator-fields-by-version.json: per kind, the field tree with the release
// that added each field (and the one that removed it, if any). Subtrees that print alike are stored once.
// Usage: node scripts/read-operator-crd-fields.mjs <prometheus-operator git dir>
// A one-off reader, not part of the build: re-run it when the pinned operator (settings/versions.ts) moves.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';

const FIRST_MINOR = 70;
const CRD_DIR = 'example/prometheus-operator-crd';
const OUT = new URL('../core/reference/prometheus-operator-fields-by-version.json', import.meta.url);

/** The newest patch of each minor release from v0.70 on (release candidates left out), oldest first. */
export function releasesOf(tags) {
  const latest = new Map();
  for (const tag of tags) {
    const m = /^v0\.(\d+)\.(\d+)$/.exec(tag);
    if (!m || Number(m[1]) < FIRST_MINOR) continue;
    const known = latest.get(m[1]);
    if (!known || Number(m[2]) > known.patch) latest.set(m[1], { tag, patch: Number(m[2]) });
  }
  return [...latest.entries()].sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v.tag);
}

/** The CRD files of each release as git blob ids: equal ids, equal CRDs (the drift test compares them with a clone). */
export function crdBlobs(git, releases) {
  const hash = createHash('sha256');
  for (const tag of releases) hash.update(`${tag}\n`).update(git('ls-tree', `${tag}:${CRD_DIR}`));
  return hash.digest('hex');
}

/** This reader's own text: a change to how the table is read is a change to the table. */
export function readerHash() {
  return createHash('sha256')
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .digest('hex');
}

/** A field tree: field name -> { since, until?, child }; `open` where the schema takes any key. */
function newNode() {
  return { fields: new Map(), open: false };
}

/** Merges the schema of one release into the node, marking the fields seen. */
function merge(node, schema, release, seen) {
  if (!schema || typeof schema !== 'object') return;
  seen.add(node);
  // An array's fields are its items'; a map's (additionalProperties) and a free-form object take any key.
  if (schema.type === 'array' && schema.items) return merge(node, schema.items, release, seen);
  if (schema['x-kubernetes-preserve-unknown-fields'] === true || (schema.additionalProperties && !schema.properties)) node.open = true;
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    let field = node.fields.get(name);
    if (!field) {
      field = { since: release, child: newNode() };
      node.fields.set(name, field);
    }
    // A field that comes back after a removal is present again.
    delete field.until;
    field.seenIn = release;
    merge(field.child, sub, release, seen);
  }
}

/** Fields of a node not seen in this release were removed in it. */
function markRemoved(node, release, seen) {
  if (!seen.has(node)) return;
  for (const field of node.fields.values()) {
    if (field.seenIn !== release && field.until === undefined) field.until = release;
    markRemoved(field.child, release, seen);
  }
}

function main() {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: node scripts/read-operator-crd-fields.mjs <prometheus-operator git dir>');
  const git = (...args) => execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const releases = releasesOf(git('tag').split('\n'));
  const kinds = new Map();
  for (const [r, tag] of releases.entries()) {
    const seen = new Set();
    const files = git('ls-tree', '--name-only', `${tag}:${CRD_DIR}`)
      .split('\n')
      .filter((f) => f.endsWith('.yaml'));
    for (const file of files) {
      const crd = load(git('show', `${tag}:${CRD_DIR}/${file}`));
      for (const version of crd.spec.versions ?? []) {
        if (version.served === false) continue;
        const key = `${crd.spec.group}/${version.name}/${crd.spec.names.kind}`;
        const spec = version.schema?.openAPIV3Schema?.properties?.spec;
        if (!spec) continue;
        if (!kinds.has(key)) kinds.set(key, { since: r, node: newNode() });
        merge(kinds.get(key).node, spec, r, seen);
      }
    }
    for (const { node } of kinds.values()) markRemoved(node, r, seen);
    process.stderr.write(`${tag}: ${files.length} CRDs\n`);
  }

  // Intern: a type is { field: [type, since] | [type, since, until] } or "open"; 0 is a leaf.
  const types = [null];
  const byText = new Map([['null', 0]]);
  const intern = (node) => {
    if (node.fields.size === 0) {
      if (!node.open) return 0;
      const text = '"open"';
      if (!byText.has(text)) {
        byText.set(text, types.length);
        types.push('open');
      }
      return byText.get(text);
    }
    const shape = {};
    for (const name of [...node.fields.keys()].sort()) {
      const f = node.fields.get(name);
      shape[name] = f.until === undefined ? [intern(f.child), f.since] : [intern(f.child), f.since, f.until];
    }
    // An open object with listed fields (properties beside additionalProperties) takes any other key too.
    if (node.open) shape['*'] = [0, 0];
    const text = JSON.stringify(shape);
    if (!byText.has(text)) {
      byText.set(text, types.length);
      types.push(shape);
    }
    return byText.get(text);
  };
  const roots = {};
  for (const key of [...kinds.keys()].sort()) roots[key] = [intern(kinds.get(key).node), kinds.get(key).since];

  const lines = [
    '{',
    `"note": ${JSON.stringify('Generated by `node scripts/read-operator-crd-fields.mjs <prometheus-operator git dir>` from example/prometheus-operator-crd/*.yaml of each release. Do not edit. kinds: "group/version/Kind" -> [type of spec, release index it is served from]; a type maps each field to [its type, the index in releases of the release that added it, and of the one that removed it if any]; type 0 is a leaf, "open" takes any key, "*" marks an object that takes other keys besides those listed.')},`,
    `"releases": ${JSON.stringify(releases)},`,
    `"crdBlobs": ${JSON.stringify(crdBlobs(git, releases))},`,
    `"reader": ${JSON.stringify(readerHash())},`,
    '"kinds": {',
    ...Object.entries(roots).map(([k, v], i, all) => `${JSON.stringify(k)}: ${JSON.stringify(v)}${i < all.length - 1 ? ',' : ''}`),
    '},',
    '"types": [',
    ...types.map((t, i) => `${JSON.stringify(t)}${i < types.length - 1 ? ',' : ''}`),
    ']',
    '}',
    '',
  ];
  writeFileSync(OUT, lines.join('\n'));
  process.stderr.write(`wrote ${OUT.pathname}: ${Object.keys(roots).length} kinds, ${types.length} types, ${releases.length} releases\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
