import { describe, expect, it } from 'vitest';
import { checkObjects } from '../engine/run.js';
import { parseStream } from '../engine/parse.js';
import type { CheckedSet, Policy } from '../lib/types.js';

/** Rendered sets as `check` holds them after a run over several overlays: overlay name -> YAML. */
export function checkedSets(sets: Record<string, string>): CheckedSet[] {
  return Object.entries(sets).map(([name, yaml]) => {
    const parsed = parseStream(yaml, { file: name, overlay: name });
    if (parsed.errors.length) throw new Error(`fixture ${name} does not parse: ${parsed.errors.map((e) => e.message).join('; ')}`);
    return { name, index: checkObjects(parsed.objects, []).index };
  });
}

export interface CrossSetCase {
  readonly name: string;
  readonly sets: Record<string, string>;
  /** "set Kind/name" -> one pattern per expected finding ("severity: message"); anything unlisted must have none. */
  readonly expect: Record<string, readonly RegExp[]>;
}

/** Table test of a policy's check across the overlays of one run; needs a passing and a failing case. */
export function crossSetTable(policy: Policy, cases: readonly CrossSetCase[]): void {
  describe(`${policy.id} across overlays`, () => {
    it('has a passing and a failing case', () => {
      expect(cases.some((c) => Object.keys(c.expect).length === 0)).toBe(true);
      expect(cases.some((c) => Object.keys(c.expect).length > 0)).toBe(true);
    });
    for (const c of cases) {
      it(c.name, () => {
        const got: Record<string, string[]> = {};
        for (const d of policy.checkAcrossSets!(checkedSets(c.sets))) {
          (got[`${d.set} ${d.input.object.kind}/${d.input.object.metadata.name}`] ??= []).push(
            `${d.severity ?? policy.severity}: ${d.message}`,
          );
        }
        expect(Object.keys(got).sort(), JSON.stringify(got, null, 1)).toEqual(Object.keys(c.expect).sort());
        for (const [where, patterns] of Object.entries(c.expect)) {
          expect(got[where].length, `${where}: ${JSON.stringify(got[where], null, 1)}`).toBe(patterns.length);
          for (const pattern of patterns)
            expect(
              got[where].some((m) => pattern.test(m)),
              `${where}: no finding matches ${pattern} in ${JSON.stringify(got[where], null, 1)}`,
            ).toBe(true);
        }
      });
    }
  });
}
