/**
 * `npm run mutation [-- <rule-id> ...] [--concurrency N] [--incremental]`: StrykerJS over each rule
 * file, judged by that rule's own table test alone (policies/rules/<id>.test.ts). A rule passes when
 * its table test kills at least MUTATION_THRESHOLD percent of the mutants it could detect; the scores
 * go to policies/mutation-scores.json, which `npm run docs` shows in docs/policies.md.
 *
 * One Stryker run per rule, not one over every rule: a run's vitest sees that rule's test file only
 * (vitest.mutation.config.ts), so a mutant of one rule is never counted as killed by another rule's test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/**
 * A rule whose own table test fails with no mutant in place: Stryker's initial run stops there, so no
 * mutant is judged and there is no score. It counts as below the threshold until the test passes.
 */
export interface TableTestFailure {
  readonly date: string;
  readonly stryker: string;
  /** What failed: the failing tests of the table, or the error that stopped the test file. */
  readonly tableTestFails: string;
}

export type RuleResult = RuleScore | TableTestFailure;

export interface MutationScores {
  readonly threshold: number;
  readonly rules: Readonly<Record<string, RuleResult>>;
}

/** Whether a rule fails the threshold: a score below it, or a table test that fails without mutants. */
export function belowThreshold(result: RuleResult, threshold = MUTATION_THRESHOLD): boolean {
  return !('score' in result) || result.score < threshold;
}

/**
 * Why Stryker stopped before judging any mutant because of the table test, or undefined for any other
 * error. StrykerJS 9.6.1 process/3-dry-run-executor.js validateResultCompleted: a ConfigError "There were
 * failed tests in the initial test run." when tests fail, an Error "Something went wrong in the initial
 * test run" when the test file does not run at all (an error while loading it) or times out.
 */
export function initialRunFailure(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes('failed tests in the initial test run')) return 'tests fail without any mutant';
  if (message.includes('went wrong in the initial test run')) return 'the test file does not run without any mutant';
  return undefined;
}

interface VitestJsonReport {
  readonly testResults?: readonly {
    readonly name?: string;
    readonly status?: string;
    readonly message?: string;
    readonly assertionResults?: readonly { readonly fullName?: string; readonly title?: string; readonly status?: string }[];
  }[];
}

/**
 * What fails in a vitest JSON report (`--reporter=json`): the name of each failed test, quoted, or the
 * file's own error when it failed before running any test (an import or syntax error).
 */
export function failedTestsOf(report: VitestJsonReport): string[] {
  const failed: string[] = [];
  for (const file of report.testResults ?? []) {
    const tests = (file.assertionResults ?? []).filter((t) => t.status === 'failed').map((t) => `'${t.fullName ?? t.title}'`);
    if (tests.length) failed.push(...tests);
    else if (file.status === 'failed') failed.push(file.message?.trim().split('\n')[0] || 'the file fails');
  }
  return failed;
}

/** The markdown row of reports/mutation/summary.md for one rule. */
export function summaryRow(id: string, r: RuleResult): string {
  if (!('score' in r)) return `| \`${id}\` | **table test fails** | – | – | – | – |`;
  const mark = belowThreshold(r) ? '**' : '';
  return `| \`${id}\` | ${mark}${r.score}%${mark} | ${r.detected} | ${r.survived} | ${r.noCoverage} | ${r.ignored} |`;
}

/** Runs one rule's table test as Stryker's runs do (vitest.mutation.config.ts) to name what fails. */
function failingTests(id: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'mutation-'));
  const output = join(dir, 'report.json');
  try {
    spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--config',
        'vitest.mutation.config.ts',
        '--reporter=json',
        '--outputFile',
        output,
      ],
      { cwd: ROOT, stdio: 'ignore', env: { ...process.env, MUTATION_RULE: id } },
    );
    return failedTestsOf(JSON.parse(readFileSync(output, 'utf8')) as VitestJsonReport);
  } catch {
    return [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
  const rules: Record<string, RuleResult> = { ...readScores().rules };
  const merged: Record<string, unknown> = {};
  const below: string[] = [];
  for (const id of selected) {
    const ruleStarted = Date.now();
    const file = `${RULES_DIR}/${id}.ts`;
    const test = `${RULES_DIR}/${id}.test.ts`;
    if (!existsSync(join(ROOT, test))) usage(`${file} has no table test ${test}`);
    // Read by vitest.mutation.config.ts in the test processes this run starts.
    process.env.MUTATION_RULE = id;
    let results: Awaited<ReturnType<InstanceType<typeof Stryker>['runMutationTest']>>;
    try {
      results = await new Stryker({
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
        // Also after an error: a rule whose table test fails must not leave its sandbox behind for the next.
        cleanTempDir: 'always',
        logLevel: 'warn' as StrykerOptions['logLevel'],
      }).runMutationTest();
    } catch (error) {
      const why = initialRunFailure(error);
      if (why === undefined) throw error;
      // Stryker's log above names the failing tests, its error does not: one plain run of the table names them for the record.
      const failing = failingTests(id);
      const failure: TableTestFailure = {
        date,
        stryker: strykerVersion,
        tableTestFails: failing.length ? `${why}: ${failing.join('; ')}` : why,
      };
      rules[id] = failure;
      writeFileSync(SCORES_PATH, renderScores({ threshold: MUTATION_THRESHOLD, rules: { ...readScores().rules, [id]: failure } }));
      below.push(id);
      console.error(
        `mutation ${id}: not measured, its table test ${test} ${failure.tableTestFails}; counted below ${MUTATION_THRESHOLD}% (make the test pass and run again); going on with the next rule`,
      );
      continue;
    }
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
    if (belowThreshold(score)) below.push(id);
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
      ...selected.map((id) => summaryRow(id, rules[id])),
      '',
    ].join('\n'),
  );
  console.log(
    `\nmutation: ${selected.length} rule(s) in ${minutes} min; scores in ${relative(ROOT, SCORES_PATH)}, reports in ${REPORT_DIR}/`,
  );
  if (below.length) {
    console.error(
      `mutation: below ${MUTATION_THRESHOLD}% killed by their own table test, or not measured as it fails: ${below.join(', ')}`,
    );
    process.exitCode = 1;
  }
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) await main();
