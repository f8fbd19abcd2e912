import { CORE_SCHEMA, load as loadYaml, mergeTag } from 'js-yaml';

/**
 * js-yaml's core schema with merge keys (`<<: *defaults`), as the Go YAML libraries the processes
 * read their files with apply them: Alertmanager and Thanos configs (gopkg.in/yaml.v2 v2.4.0
 * decode.go:662-663, :746-747, :786-811) and Prometheus rules (go.yaml.in/yaml/v3 v3.0.4
 * decode.go:827-828, :977-1013). Keys written beside `<<` win over merged ones and, in a list of
 * merged mappings, the earlier wins: yaml.v3's order and js-yaml's. (yaml.v2 applies `<<` where it stands, so a key
 * written before `<<` loses to a merged one there: rare, and not modelled.)
 */
export const YAML_SCHEMA = CORE_SCHEMA.withTags(mergeTag);

/** Texts read lately, most recent last: what many sets share is read again soon, the rest falls out. */
const recent = new Map<string, { value: unknown } | { error: unknown }>();
const KEPT = 64;

/**
 * A YAML (or JSON) text read with js-yaml's core schema and merge keys (YAML_SCHEMA), as `load` reads it: a fresh value every
 * call, or the error `load` throws. Many overlays carry the same rule files, dashboards and embedded
 * configs, and each set's rules read them: the text is read once and each caller gets its own copy
 * (a copy costs a fraction of a read), so what one rule does with its value reaches no one else.
 */
export function readYamlValue(text: string): unknown {
  let read = recent.get(text);
  if (read) recent.delete(text);
  else {
    try {
      read = { value: loadYaml(text, { schema: YAML_SCHEMA }) };
    } catch (error) {
      read = { error };
    }
    if (recent.size >= KEPT) recent.delete(recent.keys().next().value as string);
  }
  recent.set(text, read);
  if ('error' in read) throw read.error;
  return typeof read.value === 'object' && read.value !== null ? structuredClone(read.value) : read.value;
}
