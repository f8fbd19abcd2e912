/**
 * Values a person still has to fill in: the project's own `CHANGE-ME...` markers (bucket names,
 * repository URL, secret templates), `REPLACE-ME`, `<your-...>` and upstream examples' `<MEMCACHED_SERVICE>` forms.
 */
const PLACEHOLDER = /\bCHANGE[-_]?ME\b|\bREPLACE[-_]?ME\b|<your[-_ ][^>]*>/i;
/** Upstream examples' markers (kube-thanos' `<MEMCACHED_SERVICE>`): upper case only, so HTML or `<my_tag>` is not one. */
const UPPER_MARKER = /<[A-Z][A-Z0-9]*_[A-Z0-9_]+>/;

/** A value still at a placeholder of the project (CHANGE-ME-...): the placeholder rule reports it, the credential rules leave it. */
export const PROJECT_PLACEHOLDER = /\bCHANGE[-_]?ME\b|\bREPLACE[-_]?ME\b/i;

/** Whether `text` still holds a placeholder (other rules leave such a value to the placeholder rule). */
export function hasPlaceholder(text: string): boolean {
  return findPlaceholder(text) !== null;
}

/** The first placeholder in `text`, either form. */
export function findPlaceholder(text: string): RegExpExecArray | null {
  const a = PLACEHOLDER.exec(text);
  const b = UPPER_MARKER.exec(text);
  if (!a || !b) return a ?? b;
  return a.index <= b.index ? a : b;
}
