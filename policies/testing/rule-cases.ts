import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkObjects } from '../engine/run.js';
import { parseStream } from '../engine/parse.js';
import type { CheckSettings, Policy, Severity } from '../lib/types.js';

/** object ("Kind/name") -> the findings one policy reports on it, as "severity: message". */
export function diagnose(policy: Policy, yaml: string, settings: CheckSettings = {}): Record<string, string[]> {
  const parsed = parseStream(yaml, { file: 'fixture.yaml' });
  if (parsed.errors.length) throw new Error(`fixture does not parse: ${parsed.errors.map((e) => e.message).join('; ')}`);
  const { findings } = checkObjects(parsed.objects, [policy], settings);
  const out: Record<string, string[]> = {};
  for (const f of findings) {
    if (f.rule !== policy.id) continue;
    out[`${f.kind}/${f.name}`] ??= [];
    out[`${f.kind}/${f.name}`].push(`${f.severity}: ${f.message}`);
  }
  return out;
}

export interface PolicyCase {
  readonly name: string;
  readonly yaml: string;
  /**
   * Object ("Kind/name") -> one pattern per expected finding, matched against "severity: message".
   * Objects not listed must have no finding.
   */
  readonly expect: Record<string, readonly (RegExp | string)[]>;
  /** Command-line choices for this case (--upgrade-to, --fail-on-placeholder). */
  readonly settings?: CheckSettings;
}

/** Table test: every case lists exactly the findings expected per object. */
export function policyTable(policy: Policy, cases: readonly PolicyCase[]): void {
  describe(policy.id, () => {
    // What docs/policies.md, the suppression annotation and the registry read: a rule that lost its
    // id or its sentences would be listed, and silenced, under the wrong name.
    it('is named after its file, with a severity and its description and remediation as sentences', () => {
      const testFile = expect.getState().testPath;
      if (testFile?.includes('/policies/rules/')) expect(policy.id).toBe(basename(testFile, '.test.ts'));
      expect(['error', 'warning']).toContain(policy.severity);
      expect(policy.description).toMatch(/^\S.*[.!?]$/s);
      expect(policy.remediation).toMatch(/^\S.*\.$/s);
    });
    it('has a passing and a failing case', () => {
      expect(cases.some((c) => Object.keys(c.expect).length === 0)).toBe(true);
      expect(cases.some((c) => Object.keys(c.expect).length > 0)).toBe(true);
    });
    for (const c of cases) {
      it(c.name, () => {
        const got = diagnose(policy, c.yaml, c.settings);
        expect(Object.keys(got).sort(), JSON.stringify(got, null, 1)).toEqual(Object.keys(c.expect).sort());
        for (const [object, patterns] of Object.entries(c.expect)) {
          const messages = got[object] ?? [];
          expect(messages.length, `${object}: ${JSON.stringify(messages, null, 1)}`).toBe(patterns.length);
          patterns.forEach((pattern, i) => {
            const matcher = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
            expect(
              messages.some((m) => matcher.test(m)),
              `${object}: no finding matches ${matcher} in ${JSON.stringify(messages, null, 1)} (pattern ${i})`,
            ).toBe(true);
          });
        }
      });
    }
  });
}

export type { Severity };
