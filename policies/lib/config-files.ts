import reference from '../../core/reference/thanos-config-files-by-version.json' with { type: 'json' };
import { closest } from '../../core/suggest.js';
import { minor, THANOS_RELEASES } from '../../core/thanos/flags.js';
import { isGoDuration } from '../../core/units/duration.js';

/**
 * The config files a Thanos process reads besides objstore and caches, as each release reads them
 * (core/reference/thanos-config-files-by-version.json, read from the Go types of every release by
 * scripts/read-thanos-config-files.mjs): the ruler's alertmanagers and query configs, Query's endpoint
 * SD config, the tracing and request-logging configs.
 */
/** `tracing/<TYPE>`: a tracing provider's `config:` (JAEGER, OTLP...), read by that provider's package. */
export type ConfigDoc = 'alertmanagers' | 'query' | 'endpoints' | 'tracing' | 'request-logging' | `tracing/${string}`;

type Schema = Record<string, Record<string, string>>;
interface DocAt {
  readonly parser: 'strict' | 'lenient' | 'absent';
  readonly yaml?: string;
  readonly root?: string;
  readonly schema?: number;
  readonly defaultApiVersion?: string;
  readonly types?: string[];
}
const RELEASES = reference.releases as unknown as Record<string, Record<string, DocAt>>;
const SCHEMAS = reference.schemas as unknown as Schema[];

export function configDocAt(doc: ConfigDoc, release: string): DocAt {
  return RELEASES[release]?.[doc] ?? { parser: 'absent' };
}

/** One thing a release's parser says about a document: an unknown key, or a value of the wrong type (the parser errors). */
export interface ConfigProblem {
  readonly kind: 'unknown' | 'type';
  /** Where in the document: `alertmanagers[0].http_config.tls_config.ca`. */
  readonly path: string;
  readonly message: string;
}

/** The keys of a struct with its inline structs' keys lifted into it, as yaml reads `,inline`. */
function fieldsOf(schema: Schema, struct: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, type] of Object.entries(schema[struct] ?? {})) {
    if (key.startsWith('...')) Object.assign(out, fieldsOf(schema, type.slice(1)));
    else out[key] = type;
  }
  return out;
}

/** The type at a key path (indices dropped) in a release's schema, or undefined when the release has no such key. */
function typeAtPath(doc: ConfigDoc, release: string, keys: readonly string[]): string | undefined {
  const at = configDocAt(doc, release);
  if (at.schema === undefined || !at.root) return undefined;
  const schema = SCHEMAS[at.schema];
  let type = at.root;
  for (const key of keys) {
    while (type.startsWith('[]')) type = type.slice(2);
    if (!type.startsWith('#')) return undefined;
    const next = fieldsOf(schema, type.slice(1))[key];
    if (next === undefined) return undefined;
    type = next;
  }
  return type;
}

/** " (first in v0.42)" or " (last in v0.33)": which releases have a key this release does not. */
function otherReleases(doc: ConfigDoc, release: string, keys: readonly string[]): string {
  const having = THANOS_RELEASES.filter((r) => typeAtPath(doc, r, keys) !== undefined);
  if (having.length === 0) return '';
  const i = THANOS_RELEASES.indexOf(release);
  const later = having.find((r) => THANOS_RELEASES.indexOf(r) > i);
  if (later) return ` (it first appears in ${minor(later)})`;
  return ` (the last release that has it is ${minor(having[having.length - 1])})`;
}

const BOOL = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n']);
/** Prometheus' model.ParseDuration: whole numbers of y, w, d, h, m, s, ms in that order; bare 0. */
const MODEL_DURATION = /^(0|(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?)$/;

/** Why a scalar does not decode into the Go type, or undefined. `$(VAR)` and templates are substituted later: not judged. */
function scalarProblem(type: string, value: unknown): string | undefined {
  if (typeof value === 'string' && (value.includes('$(') || value.includes('{{') || value === 'templated')) return undefined;
  const shown = JSON.stringify(value);
  if (value !== null && typeof value === 'object')
    return type === 'string' || type.startsWith('enum:') || type.endsWith('duration')
      ? `is a ${Array.isArray(value) ? 'list' : 'map'} where a single value is expected`
      : `is a ${Array.isArray(value) ? 'list' : 'map'} where ${type === 'bool' ? 'true or false' : 'a number'} is expected`;
  if (value === null) return undefined;
  switch (type) {
    case 'bool':
      return typeof value === 'boolean' || (typeof value === 'string' && BOOL.has(value.toLowerCase()))
        ? undefined
        : `${shown} is not true or false`;
    case 'int':
    case 'uint':
      if (typeof value === 'number' && Number.isInteger(value) && (type === 'int' || value >= 0)) return undefined;
      return typeof value === 'string' && /^\d+(\.\d+)?(ns|us|ms|s|m|h|d)+$/.test(value)
        ? `${shown} is a duration where the Go field is an integer (nanoseconds): write ${Math.round(goNanos(value) ?? 0)} or leave it out`
        : `${shown} is not ${type === 'uint' ? 'a non-negative integer' : 'an integer'}`;
    case 'float':
      return typeof value === 'number' ? undefined : `${shown} is not a number`;
    case 'model-duration':
      return MODEL_DURATION.test(String(value))
        ? undefined
        : `${shown} is not a duration (whole numbers of y, w, d, h, m, s, ms, e.g. 10s or 1m30s)`;
    case 'go-duration':
      return isGoDuration(String(value)) ? undefined : `${shown} is not a Go duration (units ns, us, ms, s, m, h; no days)`;
    default:
      if (type.startsWith('enum:')) {
        const values = type.slice(5).split('|');
        return values.includes(String(value)) ? undefined : `${shown} is not one of ${values.join(', ')}`;
      }
      return undefined;
  }
}

/** A Go duration in nanoseconds (for the hint when one is written into an integer field). */
function goNanos(text: string): number | undefined {
  const unit: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12, d: 8.64e13 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|ms|s|m|h|d)/g)) total += Number(m[1]) * unit[m[2]];
  return total || undefined;
}

/** " (it belongs under http_config)" for a key one level too high, else " (did you mean timeout?)". */
function hint(schema: Schema, fields: Record<string, string>, key: string): string {
  for (const [parent, type] of Object.entries(fields)) {
    const struct = /#(\w+)$/.exec(type)?.[1];
    if (struct && fieldsOf(schema, struct)[key] !== undefined) return ` (it belongs under ${parent})`;
  }
  const near = closest(key, Object.keys(fields));
  return near ? ` (did you mean ${near}?)` : '';
}

/**
 * Every unknown key and every value of the wrong type in `value` (the parsed YAML of a `doc`) as
 * `release` reads it. Whether an unknown key stops the process is the caller's to say (configDocAt().parser).
 */
export function readConfigDoc(doc: ConfigDoc, value: unknown, release: string): ConfigProblem[] {
  const at = configDocAt(doc, release);
  if (at.schema === undefined || !at.root) return [];
  const schema = SCHEMAS[at.schema];
  const out: ConfigProblem[] = [];
  const walk = (v: unknown, type: string, path: string, keys: string[]): void => {
    if (v === null || v === undefined || type === 'open') return;
    if (type.startsWith('[]')) {
      // yaml.v2 and v3 refuse a single value where a list is expected.
      if (!Array.isArray(v)) {
        out.push({
          kind: 'type',
          path,
          message: `${path} is ${typeof v === 'object' ? 'a map' : JSON.stringify(v)} where a list is expected`,
        });
        return;
      }
      v.forEach((item, i) => {
        walk(item, type.slice(2), `${path}[${i}]`, keys);
      });
      return;
    }
    if (type.startsWith('#')) {
      if (typeof v !== 'object' || Array.isArray(v)) {
        out.push({
          kind: 'type',
          path,
          message: `${path || 'the document'} is ${Array.isArray(v) ? 'a list' : JSON.stringify(v)} where a map of settings is expected`,
        });
        return;
      }
      const fields = fieldsOf(schema, type.slice(1));
      for (const [key, child] of Object.entries(v as Record<string, unknown>)) {
        const at = path ? `${path}.${key}` : key;
        const childType = fields[key];
        if (childType === undefined) {
          out.push({
            kind: 'unknown',
            path: at,
            message: `${at} is no setting of ${minor(release)}${otherReleases(doc, release, [...keys, key])}${hint(schema, fields, key)}`,
          });
          continue;
        }
        walk(child, childType, at, [...keys, key]);
      }
      return;
    }
    const problem = scalarProblem(type, v);
    if (problem) out.push({ kind: 'type', path, message: `${path}: ${problem}` });
  };
  walk(value, at.root, '', []);
  return out;
}
