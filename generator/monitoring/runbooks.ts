import { mergeStack, type StackConfig } from '../model/stack.js';
import { generatedMarkdownFile, type GeneratedFile } from '../write/writer.js';
import { EXAMPLE_FLEET, prometheusRuleFiles, rulerRuleFiles, type AlertRule, type RuleFile } from './rules/index.js';

export const RUNBOOKS_DIR = 'docs/runbooks';
const SOURCE = 'generator/monitoring/rules/';

function isCommand(line: string): boolean {
  return /^(kubectl|thanos|amtool|promtool|curl)\b/.test(line);
}

/** "{{ $labels.pod }}" reads as "<pod>" on a page about every pod. */
const placeholders = (text: string) => text.replace(/\{\{\s*\$labels\.([a-zA-Z_]+)\s*\}\}/g, '<$1>');

/** One runbook page: what it means, how to confirm, how to fix, when to escalate. */
export function renderRunbook(rule: AlertRule, file: RuleFile, evaluatedBy: string): string {
  const confirm = rule.runbook.confirm
    .map((line) =>
      isCommand(line)
        ? `\`\`\`sh\n${line}\n\`\`\``
        : /^[A-Za-z_:]+[({[]|^[a-z_]+\(|^ALERTS/.test(line)
          ? `\`\`\`promql\n${line}\n\`\`\``
          : `- ${line}`,
    )
    .join('\n\n');
  return [
    `# ${rule.alert}`,
    '',
    `**Severity:** ${rule.severity} · **Rules file:** \`${file.name}.yaml\` (${evaluatedBy}) · **Window:** ${rule.window}`,
    '',
    `> ${placeholders(rule.summary)}`,
    '',
    '## What it means',
    '',
    rule.runbook.meaning,
    '',
    placeholders(rule.description),
    '',
    '## How to confirm',
    '',
    confirm,
    '',
    '## How to fix',
    '',
    ...rule.runbook.fix.map((step, index) => `${index + 1}. ${step}`),
    '',
    '## When to escalate',
    '',
    rule.runbook.escalate,
    '',
    '## The rule',
    '',
    '```yaml',
    `alert: ${rule.alert}`,
    `expr: ${rule.expr}`,
    ...(rule.for ? [`for: ${rule.for}`] : []),
    `severity: ${rule.severity}`,
    '```',
    '',
  ].join('\n');
}

/**
 * The stack runbooks describe: the base with every alert an overlay can add, so every runbook_url of
 * every overlay resolves. The memcached backend adds the cache alerts (an external cache only the
 * client's, a subset); the example fleet adds the observer's.
 */
export function documentedStack(stack: StackConfig): StackConfig {
  return mergeStack(stack, { cache: { backend: 'memcached' } });
}

/** docs/runbooks/<Alert>.md for every alert the stack ships, and an index. */
export function runbookFiles(base: StackConfig): GeneratedFile[] {
  const stack = documentedStack(base);
  const sources: Array<[RuleFile, string]> = [
    ...prometheusRuleFiles(stack).map((f): [RuleFile, string] => [f, 'evaluated by each Prometheus replica']),
    ...rulerRuleFiles(stack, EXAMPLE_FLEET).map((f): [RuleFile, string] => [f, 'evaluated by the Thanos Ruler through Query']),
  ];
  const files: GeneratedFile[] = [];
  const index: string[] = [
    '# Runbooks',
    '',
    'One page per alert the stack ships: what it means, how to confirm it, how to fix it, when to escalate.',
    'Every alert links here through its `runbook_url` annotation; [docs/alerting.md](../alerting.md) explains',
    'where alerts go. Pages are generated from the rule definitions in `generator/monitoring/rules/`.',
    '',
    '| alert | severity | rules file | window |',
    '| --- | --- | --- | --- |',
  ];
  for (const [file, evaluatedBy] of sources) {
    for (const group of file.groups) {
      for (const rule of group.rules) {
        files.push(generatedMarkdownFile(`${RUNBOOKS_DIR}/${rule.alert}.md`, renderRunbook(rule, file, evaluatedBy), SOURCE));
        index.push(`| [${rule.alert}](${rule.alert}.md) | ${rule.severity} | ${file.name}.yaml | ${rule.window} |`);
      }
    }
  }
  files.push(generatedMarkdownFile(`${RUNBOOKS_DIR}/README.md`, `${index.join('\n')}\n`, SOURCE));
  return files;
}
