#!/usr/bin/env node
/**
 * Compiles the CLI (cli/start.ts, the entry, and what it imports, policies included) with esbuild:
 * ES modules with shared chunks, JSON inlined, packages left as imports except the few read on
 * every check (BUNDLED). Each build goes to its own
 * folder dist/b-<time>-<pid>/ and dist/current names the newest, written last and atomically, so a
 * run starting while another rebuilds never sees half a build.
 * Run by `npm ci` (prepare) and by scripts/run.mjs when a source file is newer than the build.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(root, 'dist');
export const CURRENT = join(DIST, 'current');

/**
 * Packages compiled into the build rather than imported from node_modules at every start: the pure
 * JavaScript ones every check reads with. One chunk loads in a fraction of the time the same code
 * takes as dozens of modules resolved one by one (the YAML reader alone is sixty). The others stay
 * imports: yargs finds its locales and the package it runs for next to its own files, and the
 * models, ts-morph and the Grafana SDK are large and loaded only by the commands that use them.
 */
const BUNDLED = new Set(['yaml', 'js-yaml', 'fast-glob']);

/** An esbuild plugin: every package import stays an import except those of `bundled`. */
function externalExcept(bundled) {
  return {
    name: 'external-except',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:')) return { path: args.path, external: true };
        const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
        // Inside a bundled package, its own dependencies are bundled with it.
        const within = /[\\/]node_modules[\\/]/.test(args.importer);
        return bundled.has(name) || within ? undefined : { path: args.path, external: true };
      });
    },
  };
}

/** Where the generator's output is: the kinds found there are the ones checks validate. */
const GENERATED = ['base', 'overlays', 'gitops', 'clusters'];

/** apiVersion/kind of every document in the generated YAML files (top-level lines, as the writer writes them). */
function generatedKinds() {
  const kinds = new Set();
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name)) {
        for (const doc of readFileSync(path, 'utf8').split(/^---\s*$/m)) {
          const apiVersion = /^apiVersion:\s*['"]?([^\s'"]+)/m.exec(doc)?.[1];
          const kind = /^kind:\s*['"]?([^\s'"]+)/m.exec(doc)?.[1];
          if (apiVersion && kind) kinds.add(`${apiVersion}/${kind}`);
        }
      }
    }
  };
  for (const dir of GENERATED) walk(join(root, dir));
  return [...kinds].sort();
}

/**
 * dist/<build>/models.cjs: the schema models of the kinds the generated manifests hold, in one
 * CommonJS file (core/kube/validate-objects.ts takes them from it). Found where core/kube/validate-objects.ts looks
 * for them, so a kind's model is the same one either way; a kind not in the file is loaded from
 * node_modules as before.
 */
async function bundleModels(outdir) {
  const requireHere = createRequire(join(root, 'package.json'));
  // A kind with no model (a CRD no model package has) is validated as before: it is reported unknown.
  // A package that exports its modules for `import` only (@kubernetes-models/gateway-api) is bundled
  // from its file: esbuild then reads its own imports with the `import` condition.
  const resolved = (path) => {
    try {
      requireHere.resolve(path);
      return path;
    } catch {
      try {
        return fileURLToPath(import.meta.resolve(path));
      } catch {
        return undefined;
      }
    }
  };
  const { build: esbuild } = await import('esbuild');
  const { modelModule, schemaKey } = await import(pathToFileURL(join(outdir, 'schema.js')).href);
  const entries = new Map();
  for (const apiVersionKind of generatedKinds()) {
    const separator = apiVersionKind.lastIndexOf('/');
    const key = schemaKey(apiVersionKind.slice(0, separator), apiVersionKind.slice(separator + 1));
    const keySeparator = key.lastIndexOf('/');
    const path = modelModule(key.slice(0, keySeparator), key.slice(keySeparator + 1));
    const from = path && resolved(path);
    if (from) entries.set(key, from);
  }
  const lines = [...entries].map(([key, path]) => `  ${JSON.stringify(key)}: () => require(${JSON.stringify(path)}),`);
  await esbuild({
    stdin: { contents: `module.exports = {\n${lines.join('\n')}\n};\n`, resolveDir: root, sourcefile: 'models.cjs', loader: 'js' },
    outfile: join(outdir, 'models.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
}

export async function build() {
  const { build: esbuild } = await import('esbuild');
  const name = `b-${Date.now()}-${process.pid}`;
  await esbuild({
    // schema: for bundleModels below, which asks it where each kind's model is.
    entryPoints: { start: join(root, 'cli/start.ts'), schema: join(root, 'core/kube/validate-objects.ts') },
    outdir: join(DIST, name),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [externalExcept(BUNDLED)],
    // Bundled CommonJS code (the YAML reader's Node build) requires Node's own modules by name.
    banner: { js: "import { createRequire as __bundledRequire } from 'node:module';\nconst require = __bundledRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  await bundleModels(join(DIST, name));
  const temp = join(DIST, `current.${process.pid}`);
  writeFileSync(temp, `${name}\n`);
  renameSync(temp, CURRENT);
  // Older builds go once nothing can still be starting from them.
  for (const entry of readdirSync(DIST)) {
    const path = join(DIST, entry);
    if (entry.startsWith('b-') && entry !== name && Date.now() - statSync(path).mtimeMs > 10 * 60_000)
      rmSync(path, { recursive: true, force: true });
  }
  return name;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(DIST, { recursive: true });
  await build();
}
