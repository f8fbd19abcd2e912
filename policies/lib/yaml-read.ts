import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';

/** Texts read lately, most recent last: what many sets share is read again soon, the rest falls out. */
const recent = new Map<string, { value: unknown } | { error: unknown }>();
const KEPT = 64;

/**
 * A YAML (or JSON) text read with js-yaml's core schema, as `load` reads it: a fresh value every
 * call, or the error `load` throws. Many overlays carry the same rule files, dashboards and embedded
 * configs, and each set's rules read them: the text is read once and each caller gets its own copy
 * (a copy costs a fraction of a read), so what one rule does with its value reaches no one else.
 */
export function readYamlValue(text: string): unknown {
  let read = recent.get(text);
  if (read) recent.delete(text);
  else {
    try {
      read = { value: loadYaml(text, { schema: CORE_SCHEMA }) };
    } catch (error) {
      read = { error };
    }
    if (recent.size >= KEPT) recent.delete(recent.keys().next().value as string);
  }
  recent.set(text, read);
  if ('error' in read) throw read.error;
  return typeof read.value === 'object' && read.value !== null ? structuredClone(read.value) : read.value;
}
