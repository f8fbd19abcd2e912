import { asRecord } from '../lib/model.js';
import { readYamlValue, YAML_SCHEMA } from '../lib/yaml-read.js';
import { checkRuleFile, promtoolAvailable } from '../lib/promtool.js';
import type { Diagnostic, Policy } from '../lib/types.js';
import { dump, load } from 'js-yaml';

export { promtoolAvailable };

/** What `check` prints once when the rules could not be checked. */
export const PROMTOOL_SKIPPED =
  'check: promtool is not on PATH; skipped `promtool check rules` on the rendered rules files (apt-get install prometheus)';

/** ConfigMap keys whose value is a Prometheus/Thanos rules file (a mapping with a `groups` list). */
export function ruleFilesIn(data: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(data).filter((entry): entry is [string, string] => {
    const [key, value] = entry;
    if (typeof value !== 'string' || !/\.ya?ml$/.test(key) || !/^groups\s*:/m.test(value)) return false;
    try {
      return Array.isArray(asRecord(readYamlValue(value))?.groups);
    } catch {
      // A `groups:` file that is no YAML (an unquoted {{ $labels.x }} in an annotation): Prometheus cannot
      // load it either, and promtool names the line.
      return true;
    }
  });
}

/**
 * The file as Prometheus' parser sees it: the Thanos Ruler reads a group's
 * `partial_response_strategy` and removes it before handing the group on (thanos v0.42.4
 * pkg/rules/manager.go:216-236), so promtool checks the file without it.
 */
function withoutThanosGroupFields(text: string): string {
  if (!text.includes('partial_response_strategy')) return text;
  let doc: { groups: unknown[] };
  try {
    // A rules file: ruleFilesIn read its groups list.
    doc = load(text, { schema: YAML_SCHEMA }) as { groups: unknown[] };
  } catch {
    return text; // no YAML: promtool says where
  }
  for (const group of doc.groups) delete asRecord(group)?.partial_response_strategy;
  return dump(doc);
}

/**
 * A rules file is a data key ending in .yaml whose value has `groups:`. A file Prometheus or the Ruler
 * rejects keeps the previous rules running, silently.
 */
export const prometheusRules: Policy = {
  id: 'prometheus-rules',
  severity: 'error',
  description:
    'Every Prometheus or Thanos rules file in a ConfigMap passes `promtool check rules`; skipped, with one notice, when promtool is not on PATH.',
  remediation: 'Fix the rule the message names (run promtool check rules on the file), and unit-test it with promtool test rules.',
  kinds: ['ConfigMap'],
  check({ object }) {
    if (!promtoolAvailable()) return [];
    const files = ruleFilesIn(asRecord(object.data) ?? {});
    const out: Diagnostic[] = [];
    for (const [key, text] of files) {
      const result = checkRuleFile(withoutThanosGroupFields(text), key);
      if (result.ok) continue;
      // promtool prints a YAML error twice: said once here.
      const lines = result.output
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('Checking') && line !== 'FAILED:');
      const detail = [...new Set(lines)].join('; ');
      out.push({ message: `rules file ${key} fails promtool check rules: ${detail}` });
    }
    return out;
  },
};
