/**
 * `npm run mutation [-- <rule-id> ...] [--concurrency N] [--incremental]`: StrykerJS over each rule
 * file, judged by that rule's own table test alone (policies/rules/<id>.test.ts). A rule passes when
 * its table test kills at least MUTATION_THRESHOLD percent of the mutants it could detect; the scores
 * go to policies/mutation-scores.json, which `npm run docs` shows in docs/policies.md.
 *
 * One Stryker run per rule, not one over every rule: a run's vitest sees that rule's test file only
 * (vitest.mutation.config.ts), so a mutant of one rule is never counted as killed by another rule's test.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RULES_DIR = 'policies/rules';
export const SCORES_PATH = join(ROOT, 'policies', 'mutation-scores.json');
const REPORT_DIR = 'reports/mutation';
/** The share of detectable mutants a rule's own table test must kill. */
export const MUTATION_THRESHOLD = 80;

export interface RuleScore {
  /** Day of the run (UTC), and the Stryker release that measured it. */
  readonly date: string;
  readonly stryker: string;
  /** Killed and timed out: a test noticed the change. */
  readonly detected: number;
  /** Survived, or no test ran the changed code. */
  readonly survived: number;
  readonly noCoverage: number;
  /** Mutants left out by a `// Stryker disable` comment (equivalent mutants, with the reason why). */
  readonly ignored: number;
  /** Mutants that do not run at all (a runtime error in every test): not counted either way. */
  readonly invalid: number;
  /** detected / (detected + survived + noCoverage), in percent with one decimal. */
  readonly score: number;
}

export interface MutationScores {
  readonly threshold: number;
  readonly rules: Readonly<Record<string, RuleScore>>;
}

export function readScores(path = SCORES_PATH): MutationScores {
  if (!existsSync(path)) return { threshold: MUTATION_THRESHOLD, rules: {} };
  return JSON.parse(readFileSync(path, 'utf8')) as MutationScores;
}

/** Stable bytes: rules sorted by id, so a run over a few rules changes only their lines. */
export function renderScores(scores: MutationScores): string {
  const rules = Object.fromEntries(Object.entries(scores.rules).sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify({ threshold: scores.threshold, rules }, null, 2)}\n`;
}

/** Every rule file: policies/rules/<id>.ts beside its table test. */
export function ruleIds(root = ROOT): string[] {
  return readdirSync(join(root, RULES_DIR))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
}

type StrykerOptions = NonNullable<ConstructorParameters<typeof import('@stryker-mutator/core').Stryker>[0]>;

type Status = 'Killed' | 'Timeout' | 'Survived' | 'NoCoverage' | 'Ignored' | 'RuntimeError' | 'CompileError' | 'Pending';

/** Stryker's mutation score, over the mutants its tests could have detected. */
export function scoreOf(statuses: readonly Status[], date: string, stryker: string): RuleScore {
  const count = (...wanted: Status[]) => statuses.filter((s) => wanted.includes(s)).length;
  const detected = count('Killed', 'Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const valid = detected + survived + noCoverage;
  return {
    date,
    stryker,
    detected,
    survived,
    noCoverage,
    ignored: count('Ignored'),
    invalid: count('RuntimeError', 'CompileError'),
    score: valid === 0 ? 100 : Math.round((1000 * detected) / valid) / 10,
  };
}

function usage(message: string): never {
  console.error(`npm run mutation: ${message}`);
  console.error('usage: npm run mutation [-- <rule-id> ...] [--concurrency N] [--incremental]');
  process.exit(2);
}

async function main(): Promise<void> {
  let parsed: ReturnType<
    typeof parseArgs<{ options: { concurrency: { type: 'string' }; incremental: { type: 'boolean' } }; allowPositionals: true }>
  >;
  try {
    parsed = parseArgs({ options: { concurrency: { type: 'string' }, incremental: { type: 'boolean' } }, allowPositionals: true });
  } catch (error) {
    usage((error as Error).message);
  }
  const known = ruleIds();
  const unknown = parsed.positionals.filter((id) => !known.includes(id));
  if (unknown.length) usage(`no rule file ${unknown.map((id) => `${RULES_DIR}/${id}.ts`).join(', ')}; rules are: ${known.join(' ')}`);
  const concurrency = parsed.values.concurrency === undefined ? undefined : Number(parsed.values.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0))
    usage(`--concurrency takes a whole number of test processes above 0, not '${parsed.values.concurrency}'`);
  const selected = parsed.positionals.length ? [...new Set(parsed.positionals)] : known;

  // Loaded here, not at the top: `npm run docs` reads the scores through this module without Stryker.
  const { Stryker } = await import('@stryker-mutator/core');
  const require = createRequire(import.meta.url);
  const strykerVersion = (require('@stryker-mutator/core/package.json') as { version: string }).version;
  const date = new Date().toISOString().slice(0, 10);

  const started = Date.now();
  const rules: Record<string, RuleScore> = { ...readScores().rules };
  const merged: Record<string, unknown> = {};
  const below: string[] = [];
  for (const id of selected) {
    const ruleStarted = Date.now();
    const file = `${RULES_DIR}/${id}.ts`;
    const test = `${RULES_DIR}/${id}.test.ts`;
    if (!existsSync(join(ROOT, test))) usage(`${file} has no table test ${test}`);
    // Read by vitest.mutation.config.ts in the test processes this run starts.
    process.env.MUTATION_RULE = id;
    const results = await new Stryker({
      testRunner: 'vitest',
      vitest: { configFile: 'vitest.mutation.config.ts', related: false },
      mutate: [file],
      coverageAnalysis: 'perTest',
      ...(concurrency ? { concurrency } : {}),
      incremental: parsed.values.incremental ?? false,
      incrementalFile: `${REPORT_DIR}/incremental/${id}.json`,
      reporters: ['clear-text', 'json', 'html'],
      clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
      jsonReporter: { fileName: `${REPORT_DIR}/rules/${id}.json` },
      htmlReporter: { fileName: `${REPORT_DIR}/rules/${id}.html` },
      thresholds: { high: 90, low: MUTATION_THRESHOLD, break: null },
      // The rule tests read nothing on disk outside the sources: the rendered trees stay out of the sandbox.
      ignorePatterns: ['base', 'overlays', 'clusters', 'gitops', 'docs', 'dist', 'bench', 'test', 'reports', '.github', '.ci', '*.log'],
      tempDirName: '.stryker-tmp',
      logLevel: 'warn' as StrykerOptions['logLevel'],
    }).runMutationTest();
    const score = scoreOf(
      results.map((r) => r.status as Status),
      date,
      strykerVersion,
    );
    rules[id] = score;
    // Read again before writing: another run over other rules may have written its scores meanwhile.
    writeFileSync(SCORES_PATH, renderScores({ threshold: MUTATION_THRESHOLD, rules: { ...readScores().rules, [id]: score } }));
    const report = JSON.parse(readFileSync(join(ROOT, REPORT_DIR, 'rules', `${id}.json`), 'utf8')) as { files: Record<string, unknown> };
    Object.assign(merged, report.files);
    if (score.score < MUTATION_THRESHOLD) below.push(id);
    const seconds = Math.round((Date.now() - ruleStarted) / 1000);
    console.log(
      `mutation ${id}: ${score.score}% (${score.detected} detected, ${score.survived} survived, ${score.noCoverage} not covered, ${score.ignored} ignored) in ${seconds}s`,
    );
  }
  mkdirSync(join(ROOT, REPORT_DIR), { recursive: true });
  writeFileSync(
    join(ROOT, REPORT_DIR, 'mutation.json'),
    `${JSON.stringify({ schemaVersion: '2', thresholds: { high: 90, low: MUTATION_THRESHOLD }, files: merged }, null, 2)}\n`,
  );
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  writeFileSync(
    join(ROOT, REPORT_DIR, 'summary.md'),
    [
      `### Mutation score per rule (threshold ${MUTATION_THRESHOLD}%, ${minutes} min)`,
      '',
      '| Rule | Score | Detected | Survived | Not covered | Ignored |',
      '| --- | --- | --- | --- | --- | --- |',
      ...selected.map((id) => {
        const r = rules[id];
        return `| \`${id}\` | ${r.score < MUTATION_THRESHOLD ? '**' : ''}${r.score}%${r.score < MUTATION_THRESHOLD ? '**' : ''} | ${r.detected} | ${r.survived} | ${r.noCoverage} | ${r.ignored} |`;
      }),
      '',
    ].join('\n'),
  );
  console.log(
    `\nmutation: ${selected.length} rule(s) in ${minutes} min; scores in ${relative(ROOT, SCORES_PATH)}, reports in ${REPORT_DIR}/`,
  );
  if (below.length) {
    console.error(`mutation: below ${MUTATION_THRESHOLD}% killed by their own table test: ${below.join(', ')}`);
    process.exitCode = 1;
  }
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) await main();
