import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { asRecord } from './engine/model.js';
import type { Diagnostic, Policy } from './engine/types.js';

const availability = new Map<string, boolean>();

/** Whether `promtool` runs from this PATH (asked once per PATH value). */
export function promtoolAvailable(): boolean {
  const path = process.env.PATH ?? '';
  let ok = availability.get(path);
  if (ok === undefined) {
    const result = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
    ok = !result.error && result.status === 0;
    availability.set(path, ok);
  }
  return ok;
}

/** What `check` prints once when the rules could not be checked. */
export const PROMTOOL_SKIPPED = 'check: promtool is not on PATH; skipped `promtool check rules` on the rendered rules files (apt-get install prometheus)';

/** ConfigMap keys whose value is a Prometheus/Thanos rules file (a mapping with a `groups` list). */
export function ruleFilesIn(data: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(data).filter((entry): entry is [string, string] => {
    const [key, value] = entry;
    if (typeof value !== 'string' || !/\.ya?ml$/.test(key) || !/^groups\s*:/m.test(value)) return false;
    try {
      return Array.isArray(asRecord(parseYaml(value, { logLevel: 'error' }))?.groups);
    } catch {
      return false;
    }
  });
}

export const prometheusRules: Policy = {
  id: 'prometheus-rules',
  severity: 'error',
  description:
    'Every Prometheus or Thanos rules file carried in a ConfigMap (a data key ending in .yaml whose value has `groups:`) passes `promtool check rules`: a file Prometheus or the Ruler rejects keeps the previous rules running, silently. Skipped, with one notice from `check`, when promtool is not on PATH.',
  remediation: 'Fix the rule the message names (run promtool check rules on the file), and unit-test it with promtool test rules.',
  kinds: ['ConfigMap'],
  check({ object }) {
    const files = ruleFilesIn(asRecord(object.data) ?? {});
    if (files.length === 0 || !promtoolAvailable()) return [];
    const dir = mkdtempSync(join(tmpdir(), 'thanos-ha-rules-'));
    try {
      const out: Diagnostic[] = [];
      for (const [key, text] of files) {
        writeFileSync(join(dir, key), text);
        const result = spawnSync('promtool', ['check', 'rules', join(dir, key)], { encoding: 'utf8' });
        if (result.status === 0) continue;
        const detail = `${result.stdout}${result.stderr}`
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line && !line.startsWith('Checking') && line !== 'FAILED:')
          .join('; ')
          .replaceAll(`${dir}/`, '');
        out.push({ message: `rules file ${key} fails promtool check rules: ${detail}` });
      }
      return out;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
