import reference from '../reference/thanos-config-files-by-version.json' with { type: 'json' };

interface ConfigFile {
  readonly parser: 'strict' | 'lenient' | 'absent';
  readonly schema?: number;
  readonly defaultApiVersion?: string;
  readonly types?: readonly string[];
}
type Schema = Record<string, Record<string, string>>;
const RELEASES = reference.releases as unknown as Record<string, Record<string, ConfigFile>>;
const SCHEMAS = reference.schemas as unknown as Schema[];

/**
 * What changes in the config files Thanos reads (alertmanagers, query, endpoints, tracing,
 * request-logging; core/reference/thanos-config-files-by-version.json) between two reference
 * releases: how a file is parsed, its keys and their types per Go struct, the tracing types, and
 * the default Alertmanager API version.
 */
export function thanosConfigFileChangesBetween(from: string, to: string): string[] {
  const before = RELEASES[from];
  const after = RELEASES[to];
  if (!before || !after) return [];
  const out: string[] = [];
  for (const [name, b] of Object.entries(after)) {
    const a = before[name] ?? { parser: 'absent' };
    const file = `${name} config`;
    if (a.parser !== b.parser) {
      const how = {
        strict: 'parsed strictly (an unknown key stops the process)',
        lenient: 'parsed leniently (an unknown key is ignored)',
        absent: 'not read',
      };
      out.push(`${file}: ${how[b.parser]} in ${to}, ${how[a.parser]} in ${from}`);
    }
    if (a.defaultApiVersion && b.defaultApiVersion && a.defaultApiVersion !== b.defaultApiVersion)
      out.push(`${file}: api_version defaults to ${b.defaultApiVersion} in ${to} (${a.defaultApiVersion} in ${from})`);
    const lostTypes = (a.types ?? []).filter((t) => !(b.types ?? []).includes(t));
    const newTypes = (b.types ?? []).filter((t) => !(a.types ?? []).includes(t));
    if (lostTypes.length) out.push(`${file}: type ${lostTypes.join(', ')} is gone in ${to}`);
    if (newTypes.length && a.parser !== 'absent') out.push(`${file}: type ${newTypes.join(', ')} is new in ${to}`);
    if (a.schema === undefined || b.schema === undefined || a.schema === b.schema) continue;
    const sa = SCHEMAS[a.schema];
    const sb = SCHEMAS[b.schema];
    for (const struct of Object.keys(sa).filter((s) => sb[s])) {
      for (const [key, type] of Object.entries(sa[struct])) {
        if (!(key in sb[struct])) out.push(`${file}: ${struct} key ${key} is gone in ${to}`);
        else if (sb[struct][key] !== type) out.push(`${file}: ${struct} key ${key} is ${sb[struct][key]} in ${to} (${type} in ${from})`);
      }
      for (const key of Object.keys(sb[struct]).filter((k) => !(k in sa[struct])))
        out.push(`${file}: ${struct} key ${key} is new in ${to}`);
    }
  }
  return out;
}
