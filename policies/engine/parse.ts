import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { asRecord } from '../lib/model.js';
import type { InputError, InputObject, KObject, SourceLocation } from '../lib/types.js';
import { YAML_SCHEMA } from '../lib/yaml-read.js';

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';

export interface ParseOptions {
  /** The file name to show for this text (a rendered overlay's name, a --file path, "-"). */
  readonly file: string;
  readonly overlay?: string;
  /** First position number, so positions stay unique across several inputs. */
  readonly startPosition?: number;
  /** Where the rendering kustomization was: origin paths are relative to it. */
  readonly originBase?: string;
  /** The repository root: origin paths are shown relative to it. */
  readonly root?: string;
  /**
   * The text is kustomize's own output: read it with the faster js-yaml, document by document,
   * falling back to the full reader (exact error positions) on the first document it rejects.
   */
  readonly trusted?: boolean;
}

export interface ParseResult {
  readonly objects: InputObject[];
  readonly errors: InputError[];
  /** Documents read, empty ones excluded. */
  readonly documents: number;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/**
 * Reads a YAML stream into objects, each with the file and line it came from. A document that cannot
 * be read (syntax error, not a mapping) becomes an input error naming file and line; the rest are kept.
 * An object without kind, apiVersion or metadata.name is kept with `malformed` set (a schema finding).
 */
export function parseStream(text: string, options: ParseOptions): ParseResult {
  const objects: InputObject[] = [];
  const errors: InputError[] = [];
  let position = options.startPosition ?? 0;
  let documents = 0;
  // Binary input: YAML would read most bytes as one long scalar; say what it is instead.
  if (text.includes('\u0000')) {
    const line = text.slice(0, text.indexOf('\u0000')).split('\n').length;
    return {
      objects,
      errors: [
        {
          message: `${options.file}:${line}: the input contains NUL bytes; it is binary data, not YAML`,
          file: options.file,
          line,
          overlay: options.overlay,
        },
      ],
      documents: 0,
    };
  }
  if (options.trusted) {
    const fast = parseTrusted(text, options);
    if (fast) return fast;
  }
  // A stream of JSON objects one after another (`kubectl get -o json` output concatenated) is no YAML stream.
  const json = parseJsonStream(text, options);
  if (json) return json;
  const lineCounter = new LineCounter();
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    // merge: YAML merge keys (<<) resolve as kubectl's reader resolves them.
    docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false, merge: true });
  } catch (error) {
    return {
      objects,
      errors: [{ message: `${options.file}: cannot read YAML: ${(error as Error).message}`, file: options.file, overlay: options.overlay }],
      documents: 0,
    };
  }
  const list = Array.isArray(docs) ? docs : [docs];
  const duplicates = new Map<unknown, string[]>();
  for (const doc of list) duplicates.set(doc, duplicateKeys(doc.contents, lineCounter, options.file));
  for (const doc of list) {
    const start = doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0;
    const line = lineCounter.linePos(start).line;
    if (doc.errors.length > 0) {
      documents++;
      const first = doc.errors[0];
      const errLine = first.linePos?.[0]?.line ?? line;
      errors.push({
        message: `${options.file}:${errLine}: YAML syntax error: ${first.message.split('\n')[0]}`,
        file: options.file,
        line: errLine,
        overlay: options.overlay,
      });
      continue;
    }
    if (doc.contents === null) continue;
    const collectionKey = collectionKeyLine(doc.contents, lineCounter);
    if (collectionKey !== undefined) {
      // `name: {{ .Values.name }}` reads as a mapping whose key is a mapping; kubectl cannot turn that into JSON.
      documents++;
      errors.push({
        message: `${options.file}:${collectionKey}: a mapping key is itself a mapping or list, as an unrendered Helm or Go template ({{ ... }}) reads; give the rendered manifests (helm template, kubectl kustomize)`,
        file: options.file,
        line: collectionKey,
        overlay: options.overlay,
      });
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      documents++;
      errors.push({
        message: `${options.file}:${line}: cannot read document: ${(error as Error).message}`,
        file: options.file,
        line,
        overlay: options.overlay,
      });
      continue;
    }
    if (value === null || value === undefined) continue;
    documents++;
    const record = asRecord(value);
    if (!record) {
      errors.push({
        message: `${options.file}:${line}: the document is ${describe(value)}, not a Kubernetes object (a mapping with apiVersion, kind and metadata)`,
        file: options.file,
        line,
        overlay: options.overlay,
      });
      continue;
    }
    if (typeof record.apiVersion === 'string' && record.apiVersion.startsWith('kustomize.config.k8s.io/')) {
      // A kustomization.yaml beside the manifests it lists (kube-thanos v0.29.0's root, any base): kustomize's
      // input, which no API server serves (kubectl apply -f finds no such kind). Not judged as an object.
      errors.push({
        message: `${options.file}:${line}: the document is a ${String(record.kind ?? 'Kustomization')}, kustomize's input rather than an object it renders; check what it renders: kubectl kustomize <folder> | npm run check -- --file -`,
        file: options.file,
        line,
        overlay: options.overlay,
      });
      continue;
    }
    for (const item of listItems(record))
      objects.push(toInput(item, { file: options.file, line }, options, position++, duplicates.get(doc)));
  }
  return { objects, errors, documents };
}

/**
 * kustomize output read fast: split at `---` lines (kustomize writes no other document markers),
 * each document read by js-yaml. Undefined when any document is rejected: the caller then reads the
 * whole text the careful way, so errors keep their exact positions.
 */
function parseTrusted(text: string, options: ParseOptions): ParseResult | undefined {
  const objects: InputObject[] = [];
  let position = options.startPosition ?? 0;
  let documents = 0;
  let line = 1;
  for (const chunk of text.split(/^---[ \t]*$/m)) {
    const startLine = line + (chunk.startsWith('\n') ? 1 : 0);
    line += chunk.split('\n').length - 1;
    let value: unknown;
    try {
      // Merge keys resolved as on the careful path below.
      value = loadYaml(chunk, { schema: YAML_SCHEMA });
    } catch {
      return undefined;
    }
    if (value === null || value === undefined) continue;
    documents++;
    const record = asRecord(value);
    if (!record) return undefined;
    for (const item of listItems(record)) objects.push(toInput(item, { file: options.file, line: startLine }, options, position++));
  }
  return { objects, errors: [], documents };
}

/**
 * The objects of one document, as kubectl reads them: a `List` or a typed list (`ConfigMapList`,
 * `RoleBindingList`: any kind ending in List with an items array) stands for its items.
 */
function listItems(record: Record<string, unknown>): unknown[] {
  if (typeof record.kind === 'string' && record.kind.endsWith('List') && Array.isArray(record.items)) {
    // A typed list as the API serves it (`GET /api/v1/configmaps`) leaves kind and apiVersion off its
    // items: they are the list's, and the decoder kubectl uses fills them in.
    const kind = record.kind.slice(0, -'List'.length);
    if (kind === '' || typeof record.apiVersion !== 'string') return record.items;
    return record.items.map((item) => {
      const r = asRecord(item);
      if (!r || (r.kind !== undefined && r.apiVersion !== undefined)) return item;
      return { ...r, apiVersion: r.apiVersion ?? record.apiVersion, kind: r.kind ?? kind };
    });
  }
  return [record];
}

function toInput(
  value: unknown,
  read: SourceLocation,
  options: ParseOptions,
  position: number,
  readProblems?: readonly string[],
): InputObject {
  const record = asRecord(value);
  if (!record) {
    return {
      object: placeholder(),
      read,
      overlay: options.overlay,
      position,
      malformed: `a List item is ${describe(value)}, not an object`,
    };
  }
  const metadata = asRecord(record.metadata);
  const problems: string[] = [];
  if (typeof record.apiVersion !== 'string' || record.apiVersion === '') problems.push('apiVersion');
  if (typeof record.kind !== 'string' || record.kind === '') problems.push('kind');
  if (!metadata) problems.push('metadata');
  else if (typeof metadata.name !== 'string' || metadata.name === '') problems.push('metadata.name');
  if (problems.length > 0) {
    const object = {
      ...record,
      apiVersion: typeof record.apiVersion === 'string' ? record.apiVersion : '',
      kind: typeof record.kind === 'string' && record.kind ? record.kind : '(no kind)',
      metadata: { ...(metadata ?? {}), name: typeof metadata?.name === 'string' && metadata.name ? metadata.name : '(no name)' },
    } as KObject;
    if (typeof object.metadata.namespace !== 'string') delete object.metadata.namespace;
    return { object, read, overlay: options.overlay, position, malformed: `the object has no ${problems.join(', ')}` };
  }
  const object = record as KObject;
  if (object.metadata.namespace !== undefined && typeof object.metadata.namespace !== 'string') {
    object.metadata.namespace = String(object.metadata.namespace);
  }
  const origin = takeOrigin(object, options);
  return { object, read, origin, overlay: options.overlay, position, ...(readProblems?.length ? { problems: readProblems } : {}) };
}

function placeholder(): KObject {
  return { apiVersion: '', kind: '(no kind)', metadata: { name: '(no name)' } };
}

/** Reads and removes kustomize's origin annotation; the path becomes relative to the repository root. */
function takeOrigin(object: KObject, options: ParseOptions): SourceLocation | undefined {
  const annotations = asRecord(object.metadata.annotations);
  const raw = annotations?.[ORIGIN_ANNOTATION];
  if (!annotations || typeof raw !== 'string') return undefined;
  delete annotations[ORIGIN_ANNOTATION];
  if (Object.keys(annotations).length === 0) delete object.metadata.annotations;
  // The annotation is a small fixed-format YAML map; a regex avoids a YAML parse per object.
  // A generated object (secretGenerator, configMapGenerator) names the kustomization it is configured in.
  const match = /^path: (.+)$/m.exec(raw) ?? /^configuredIn: (.+)$/m.exec(raw);
  const path = match ? match[1].trim().replace(/^(['"])(.*)\1$/, '$2') : undefined;
  if (typeof path !== 'string' || !options.originBase) return undefined;
  const absolute = resolve(options.originBase, path);
  const file = options.root ? relative(options.root, absolute) : absolute;
  return { file, line: lineInSource(absolute, object) };
}

const sourceCache = new Map<string, string | null>();

/** The line where the object starts in its source file: the `kind:` line of the document naming it. */
function lineInSource(path: string, object: KObject): number {
  if (!sourceCache.has(path)) {
    try {
      sourceCache.set(path, readFileSync(path, 'utf8'));
    } catch {
      sourceCache.set(path, null);
    }
  }
  const text = sourceCache.get(path);
  if (!text) return 1;
  const lines = text.split('\n');
  const nameLine = new RegExp(`^\\s+name: ["']?${object.metadata.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*$`);
  let kindLine = -1;
  let firstNamed = -1;
  let named = false;
  for (let i = 0; i <= lines.length; i++) {
    const line = lines[i];
    if (line === undefined || line.startsWith('---')) {
      if (kindLine >= 0 && named) return kindLine + 1;
      kindLine = -1;
      named = false;
      continue;
    }
    if (line === `kind: ${object.kind}`) kindLine = i;
    if (nameLine.test(line)) {
      named = true;
      if (firstNamed < 0) firstNamed = i;
    }
  }
  return firstNamed >= 0 ? firstNamed + 1 : 1;
}

/**
 * Keys given twice in one mapping, as "file:line: duplicate key x" (kustomize and kubectl refuse
 * such a document; a YAML reader that keeps the last value would hide the first silently).
 */
/** The line of the first mapping key that is a mapping or a list (no JSON object has one), or undefined. */
function collectionKeyLine(node: unknown, lineCounter: LineCounter): number | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isMap(pair.key) || isSeq(pair.key)) return lineCounter.linePos(pair.key.range?.[0] ?? 0).line;
      const inner = collectionKeyLine(pair.value, lineCounter);
      if (inner !== undefined) return inner;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const inner = collectionKeyLine(item, lineCounter);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

function duplicateKeys(node: unknown, lineCounter: LineCounter, file: string): string[] {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (isMap(n)) {
      const seen = new Set<string>();
      for (const pair of n.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined && key !== '<<') {
          if (seen.has(key)) {
            const at = pair.key && isScalar(pair.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]).line : undefined;
            out.push(
              `${file}${at ? `:${at}` : ''}: duplicate key ${key} in one mapping; kustomize and kubectl refuse the document (only one value can win)`,
            );
          }
          seen.add(key);
        }
        walk(pair.value);
      }
    } else if (isSeq(n)) {
      for (const item of n.items) walk(item);
    }
  };
  walk(node);
  return out;
}

/**
 * Reads a stream of JSON objects written one after another (`{...}{...}` or one per line), as kubectl
 * does. Undefined when the text is not such a stream: the YAML reader then reads it (a single JSON
 * object is YAML too) and reports any syntax error with its line.
 */
function parseJsonStream(text: string, options: ParseOptions): ParseResult | undefined {
  const start = text.search(/\S/);
  if (start < 0 || text[start] !== '{') return undefined;
  const values: { value: unknown; line: number; duplicates: string[] }[] = [];
  let depth = 0;
  let inString = false;
  let stringStart = -1;
  let from = -1;
  // Keys seen per open object (JSON.parse keeps the last of a duplicate silently; kubectl refuses it).
  const scopes: ({ keys: Set<string>; expectKey: boolean } | undefined)[] = [];
  let duplicates: string[] = [];
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        const scope = scopes[scopes.length - 1];
        if (scope?.expectKey) {
          const key = text.slice(stringStart + 1, i);
          if (scope.keys.has(key))
            duplicates.push(
              `${options.file}:${text.slice(0, stringStart).split('\n').length}: duplicate key ${key} in one mapping; kubectl refuses the document (only one value can win)`,
            );
          scope.keys.add(key);
          scope.expectKey = false;
        }
      }
      continue;
    }
    if (c === '"') {
      inString = true;
      stringStart = i;
    } else if (c === ',' && depth > 0) {
      const scope = scopes[scopes.length - 1];
      if (scope) scope.expectKey = true;
    } else if (c === '{' || c === '[') {
      if (depth === 0) {
        if (c !== '{') return undefined;
        from = i;
        duplicates = [];
      }
      // An array is a scope without keys, so a string in it is never taken for one.
      scopes.push(c === '{' ? { keys: new Set(), expectKey: true } : undefined);
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      scopes.pop();
      if (depth < 0) return undefined;
      if (depth === 0) {
        try {
          values.push({ value: JSON.parse(text.slice(from, i + 1)), line: text.slice(0, from).split('\n').length, duplicates });
        } catch {
          return undefined;
        }
      }
    } else if (depth === 0 && !/\s/.test(c)) return undefined;
  }
  if (depth !== 0 || values.length < 2) return undefined;
  const objects: InputObject[] = [];
  let position = options.startPosition ?? 0;
  for (const { value, line, duplicates: problems } of values) {
    const record = asRecord(value)!;
    for (const item of listItems(record)) objects.push(toInput(item, { file: options.file, line }, options, position++, problems));
  }
  return { objects, errors: [], documents: values.length };
}
