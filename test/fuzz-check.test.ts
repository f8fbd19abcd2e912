import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { exitCodeOf, runCheck } from '../policies/engine/run.js';
import { policies } from '../policies/registry.js';
import { REPO_ROOT, fixtureRoot } from './helpers/repo-copy.js';

/** mulberry32: a small seeded PRNG, so every run feeds the same documents. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20261125;
const DOCUMENTS = 10_000;
const BATCH = 100;
const TIME_BUDGET_MS = 90_000;

describe('fuzzing the policy input', () => {
  it(`${DOCUMENTS} malformed and mutated documents (seed ${SEED}) never crash check`, async () => {
    const random = prng(SEED);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const real = parseAllDocuments(
      execFileSync('kubectl', ['kustomize', join(fixtureRoot(), 'overlays/dev-minio')], { encoding: 'utf8' }),
    ).map((d) => d.toJS());
    const junk = (): unknown =>
      pick<() => unknown>([
        () => null,
        () => Math.floor(random() * 1e6) - 5e5,
        () => random() < 0.5,
        () =>
          pick([
            '',
            'latest',
            '$(POD_NAME)',
            '--store=x',
            'dnssrv+_grpc._tcp.a.b.svc',
            '0',
            '-1h',
            '2h',
            'NaN',
            '{{ x }}',
            '\u0000\u0001',
            'ü'.repeat(50),
          ]),
        () => [junk(), junk()],
        () => ({ [pick(['name', 'kind', 'spec', 'args', 'replicas', 'containers', 'data', 'metadata'])]: junk() }),
      ])();
    const mutate = (value: unknown, depth: number): unknown => {
      if (depth > 6 || random() < 0.08) return junk();
      if (Array.isArray(value)) {
        const copy = value.map((v) => mutate(v, depth + 1));
        if (random() < 0.1) copy.push(junk());
        if (random() < 0.1) copy.splice(0, 1);
        return copy;
      }
      if (value && typeof value === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) if (random() > 0.05) out[k] = mutate(v, depth + 1);
        return out;
      }
      if (typeof value === 'string' && random() < 0.1) return value.slice(0, Math.floor(random() * value.length));
      return value;
    };
    const document = (): string =>
      pick<() => string>([
        () => stringify(mutate(pick(real), 0)),
        () => stringify(mutate(pick(real), 0)),
        () => stringify(mutate(pick(real), 0)),
        () => stringify(junk()),
        () =>
          `kind: ${pick(['Deployment', 'StatefulSet', 'Service', 'ConfigMap', 'Secret', 'NetworkPolicy'])}\nmetadata: ${pick(['[', '{a: }', 'x', '{name: 1}', '~'])}\nspec: ${pick([': :', '- - -', '{', '|\n  x'])}\n`,
        () => Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256))).toString('latin1'),
        () => stringify(pick(real)).slice(0, Math.floor(random() * 400)),
      ])();

    const started = Date.now();
    const outcomes = { 0: 0, 1: 0, 2: 0 } as Record<number, number>;
    let documents = 0;
    for (let batch = 0; documents < DOCUMENTS && Date.now() - started < TIME_BUDGET_MS; batch++) {
      const stream = Array.from({ length: BATCH }, document).join('\n---\n');
      documents += BATCH;
      const report = await runCheck({ policies, root: REPO_ROOT, files: ['-'], stdin: stream });
      const code = exitCodeOf(report);
      expect([0, 1, 2], `batch ${batch}`).toContain(code);
      outcomes[code]++;
      for (const error of report.inputErrors) expect(error.message.length, `batch ${batch}`).toBeGreaterThan(0);
      for (const finding of report.findings) {
        // The engine turns a rule that throws into a warning; on this input that would be a rule crashing.
        expect(finding.message, `batch ${batch}: ${finding.rule} on ${finding.kind}/${finding.name}`).not.toMatch(
          /the rule could not check this object/,
        );
      }
    }
    // The budget is a bound, not a target: the whole stream should fit in it on these machines.
    expect(documents).toBe(DOCUMENTS);
    expect(outcomes[1] + outcomes[2]).toBeGreaterThan(0);
  }, 150_000);
});
