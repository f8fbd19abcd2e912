/** One changed field of an object, as a reviewer reads it: where, and old -> new. */
export interface FieldChange {
  /** Dotted path; list items that carry a `name` are addressed by it: containers[thanos-compact].args. */
  readonly path: string;
  /** Absent: the field (or flag) was added. */
  readonly before?: string;
  /** Absent: the field (or flag) was removed. */
  readonly after?: string;
}

type Value = unknown;
const isMap = (v: Value): v is Record<string, Value> => typeof v === 'object' && v !== null && !Array.isArray(v);
const FLAG = /^--?[A-Za-z0-9][\w.-]*(=.*)?$/;

/** A value on one line, short enough for a summary. */
export function brief(value: Value): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const line = text.replace(/\s*\n\s*/g, ' ⏎ ').trim();
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
}

/**
 * A list of command-line arguments as flag -> value ("--a=b", or "--a" "b" as two items, or a bare
 * "--a"), after any leading positionals (a sub-command such as "compact", kept under "(command)");
 * undefined when the list is not of that shape, so it is compared item by item instead.
 */
function flagMap(list: readonly Value[]): Map<string, string> | undefined {
  if (list.length === 0 || !list.every((item) => typeof item === 'string')) return undefined;
  const items = list as string[];
  const first = items.findIndex((item) => FLAG.test(item));
  if (first < 0) return undefined;
  const flags = new Map<string, string>();
  if (first > 0) flags.set('(command)', items.slice(0, first).join(' '));
  for (let i = first; i < items.length; i++) {
    const item = items[i];
    if (!FLAG.test(item)) return undefined; // a positional in the middle: item by item
    const eq = item.indexOf('=');
    if (eq > 0) flags.set(item.slice(0, eq), item.slice(eq + 1));
    else if (i + 1 < items.length && !items[i + 1].startsWith('-')) flags.set(item, items[++i]);
    else flags.set(item, '');
  }
  return flags;
}

const named = (list: readonly Value[]) =>
  list.length > 0 &&
  list.every((item) => isMap(item) && typeof item.name === 'string') &&
  new Set(list.map((item) => (item as { name: string }).name)).size === list.length;

/**
 * The fields that differ between two versions of one object, deterministic and readable:
 * maps key by key, lists of named items (containers, env, ports, volumes) by name, argument lists
 * flag by flag ("args --retention.resolution-raw: 30d -> 90d"), other lists item by item when their
 * length is kept, else whole.
 */
export function fieldChanges(before: Value, after: Value, path = ''): FieldChange[] {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (isMap(before) && isMap(after)) {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])].sort().flatMap((key) => {
      if (!(key in after)) return [{ path: at(key), before: brief(before[key]) }];
      if (!(key in before)) return [{ path: at(key), after: brief(after[key]) }];
      return fieldChanges(before[key], after[key], at(key));
    });
  }
  if (typeof before === 'string' && typeof after === 'string' && (before.includes('\n') || after.includes('\n')))
    return lineChanges(before, after, path);
  if (Array.isArray(before) && Array.isArray(after)) {
    const [fb, fa] = [flagMap(before), flagMap(after)];
    if (fb && fa) {
      const changes: FieldChange[] = [];
      for (const flag of [...new Set([...fb.keys(), ...fa.keys()])]) {
        const [b, a] = [fb.get(flag), fa.get(flag)];
        if (b === a) continue;
        changes.push({ path: `${path} ${flag}`, ...(b !== undefined ? { before: b } : {}), ...(a !== undefined ? { after: a } : {}) });
      }
      return changes.length > 0 ? changes : [{ path: `${path} (order)`, before: brief(before), after: brief(after) }];
    }
    if (named(before) && named(after)) {
      const byName = (list: Value[]) => new Map(list.map((item) => [(item as { name: string }).name, item]));
      const [mb, ma] = [byName(before), byName(after)];
      const changes = [...new Set([...mb.keys(), ...ma.keys()])].flatMap((name) => {
        const key = `${path}[${name}]`;
        if (!ma.has(name)) return [{ path: key, before: brief(mb.get(name)) }];
        if (!mb.has(name)) return [{ path: key, after: brief(ma.get(name)) }];
        return fieldChanges(mb.get(name), ma.get(name), key);
      });
      return changes.length > 0
        ? changes
        : [{ path: `${path} (order)`, before: [...mb.keys()].join(', '), after: [...ma.keys()].join(', ') }];
    }
    if (before.length === after.length) return before.flatMap((item, i) => fieldChanges(item, after[i], `${path}[${i}]`));
  }
  return [{ path: path || '(whole object)', before: brief(before), after: brief(after) }];
}

/** Lines shown per multi-line value (an embedded config file); the unified diff has the rest. */
const LINES_SHOWN = 3;

/**
 * A multi-line string (a config file in a ConfigMap) by the lines that differ: "data.x.yaml line 12:
 * old -> new", after the common head and tail are set aside.
 */
function lineChanges(before: string, after: string, path: string): FieldChange[] {
  const [b, a] = [before.split('\n'), after.split('\n')];
  let head = 0;
  while (head < b.length && head < a.length && b[head] === a[head]) head++;
  let tail = 0;
  while (tail < b.length - head && tail < a.length - head && b[b.length - 1 - tail] === a[a.length - 1 - tail]) tail++;
  const [mb, ma] = [b.slice(head, b.length - tail), a.slice(head, a.length - tail)];
  const changes: FieldChange[] = [];
  if (mb.length === ma.length) {
    mb.forEach((line, i) => {
      if (line !== ma[i]) changes.push({ path: `${path} line ${head + i + 1}`, before: brief(line.trim()), after: brief(ma[i].trim()) });
    });
  } else {
    const lines = (list: string[]) => (list.length ? brief(list.map((l) => l.trim()).join(' ⏎ ')) : undefined);
    const range = `${path} lines ${head + 1}-${head + Math.max(mb.length, ma.length)}`;
    changes.push({
      path: range,
      ...(lines(mb) !== undefined ? { before: lines(mb) } : {}),
      ...(lines(ma) !== undefined ? { after: lines(ma) } : {}),
    });
  }
  if (changes.length <= LINES_SHOWN) return changes;
  return [
    ...changes.slice(0, LINES_SHOWN),
    { path: `${path} (${changes.length - LINES_SHOWN} more changed lines)`, before: '…', after: '…' },
  ];
}

/** "path: old -> new", "path: added new", "path: removed (was old)". */
export function describeField(change: FieldChange): string {
  if (change.before === undefined) return `${change.path}: added ${change.after === '' ? '' : change.after}`.trimEnd();
  if (change.after === undefined) return `${change.path}: removed${change.before === '' ? '' : ` (was ${change.before})`}`;
  return `${change.path}: ${change.before} -> ${change.after}`;
}

/** The short form for a headline: the last path segment only, e.g. "args: --retention.resolution-raw 30d -> 90d". */
export function headlineField(change: FieldChange): string {
  const [field, flag] = change.path.split(' ');
  const last = field.replace(/^.*\.(?=[^.]*$)/, '');
  const value =
    change.before === undefined
      ? `added${change.after ? ` ${change.after}` : ''}`
      : change.after === undefined
        ? 'removed'
        : `${change.before} -> ${change.after}`;
  return flag ? `${last}: ${flag} ${value}` : `${last}: ${value}`;
}
