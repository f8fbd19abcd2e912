import reference from '../../core/reference/prometheus-operator-fields-by-version.json' with { type: 'json' };
import { closest } from '../../core/suggest.js';
import { CONFIG_RELOADER_IMAGE } from '../../settings/versions.js';

/**
 * prometheus-operator's custom resources judged against the CRDs of the operator release this project
 * pins, from core/reference/prometheus-operator-fields-by-version.json (scripts/read-operator-crd-fields.mjs
 * reads the CRDs of each release from v0.70 to the newest).
 */

/** A field: [its type, the release index that added it, and the one that removed it]. */
type Field = readonly [number, number] | readonly [number, number, number];
type FieldType = null | 'open' | { readonly [field: string]: Field };

export interface OperatorFieldTable {
  readonly releases: readonly string[];
  /** "group/version/Kind" -> [type of spec, release index it is served from]. */
  readonly kinds: Record<string, readonly [number, number]>;
  readonly types: readonly FieldType[];
}

export const OPERATOR_FIELDS = reference as unknown as OperatorFieldTable;

/** The operator release this project pins: the tag of the config reloader image, which the operator's release ships. */
export const PINNED_OPERATOR = CONFIG_RELOADER_IMAGE.slice(CONFIG_RELOADER_IMAGE.lastIndexOf(':') + 1);

export interface OperatorField {
  readonly path: string;
  /** unknown: no release has it (up to the newest read); newer: only releases after the pinned one; removed: gone by the pinned one. */
  readonly verdict: 'unknown' | 'newer' | 'removed';
  /** The release that added (newer) or removed (removed) it. */
  readonly release?: string;
  /** The field of the pinned release nearest to an unknown one's name. */
  readonly suggestion?: string;
}

/** Whether the table knows this apiVersion and kind. */
export function hasOperatorFields(apiVersion: string, kind: string, table: OperatorFieldTable = OPERATOR_FIELDS): boolean {
  return `${apiVersion}/${kind}` in table.kinds;
}

/**
 * The spec fields of an operator resource that the pinned release's CRD does not have, at most `limit`;
 * a field only a newer release has is reported and not descended into.
 */
export function operatorFieldProblems(
  object: Record<string, unknown>,
  pinned: string = PINNED_OPERATOR,
  table: OperatorFieldTable = OPERATOR_FIELDS,
  limit = 20,
): OperatorField[] {
  const root = table.kinds[`${String(object.apiVersion)}/${String(object.kind)}`];
  if (!root) return [];
  // The pinned release's index; a pin between two read releases is judged as the older one.
  const at = table.releases.findLastIndex((r) => compareVersions(r, pinned) <= 0);
  const out: OperatorField[] = [];
  const walk = (value: unknown, type: FieldType, path: string): void => {
    if (out.length >= limit || type === null || type === 'open' || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        walk(item, type, `${path}[${i}]`);
      });
      return;
    }
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const where = `${path}.${key}`;
      const field = type[key];
      if (!field) {
        if (type['*']) continue;
        const known = Object.entries(type).filter(([name, f]) => name !== '*' && f[1] <= at && (f[2] === undefined || f[2] > at));
        out.push({
          path: where,
          verdict: 'unknown',
          suggestion: closest(
            key,
            known.map(([name]) => name),
          ),
        });
      } else if (field[1] > at) {
        out.push({ path: where, verdict: 'newer', release: table.releases[field[1]] });
      } else if (field[2] !== undefined && field[2] <= at) {
        out.push({ path: where, verdict: 'removed', release: table.releases[field[2]] });
      } else {
        walk(child, table.types[field[0]], where);
      }
      if (out.length >= limit) return;
    }
  };
  walk(object.spec, table.types[root[0]], 'spec');
  return out;
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.replace(/^v/, '').split('.').map(Number));
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}
