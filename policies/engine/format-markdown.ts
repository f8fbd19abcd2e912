import type { CheckReport, Finding } from '../lib/types.js';

/** Rows in the findings table; the SARIF upload and the annotations carry every finding. */
const ROWS = 50;
/** The summary shares a pull-request comment with the rendered diff (review/rendered-diff.ts keeps to the rest of GitHub's limit). */
export const POLICY_MARKDOWN_LIMIT = 16_000;

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const objectOf = (f: Finding) => `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}`;

/**
 * The policy summary of a pull-request comment: the verdict with its counts, a table of the
 * findings (errors first), input errors, and the suppressed findings folded away.
 */
export function formatMarkdown(report: CheckReport): string {
  const s = report.summary;
  const failed = s.errors > 0 || report.inputErrors.length > 0;
  const sets =
    report.sets.length === 0
      ? 'nothing to check (no overlay is affected)'
      : `${plural(report.sets.length, 'set')} (${report.sets.join(', ')}), ${plural(s.objects, 'object')}`;
  const lines = [
    '### Policy check',
    '',
    `**${failed ? 'FAIL' : 'OK'}**: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.suppressed} suppressed; ${sets}.`,
    '',
  ];
  for (const e of report.inputErrors) lines.push(`- **input error** ${cell(e.message)}`);
  if (report.inputErrors.length) lines.push('');
  const findings = [...report.findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  if (findings.length > 0) {
    lines.push('| severity | rule | overlay | object | message |', '| --- | --- | --- | --- | --- |');
    let shown = 0;
    let size = lines.join('\n').length;
    for (const f of findings.slice(0, ROWS)) {
      const row = `| ${f.severity} | \`${f.rule}\`${f.practice ? ' (practice)' : ''} | ${cell(f.overlay ?? '')} | ${cell(objectOf(f))} | ${cell(f.message)} |`;
      if (size + row.length > POLICY_MARKDOWN_LIMIT - 2_000) break;
      lines.push(row);
      size += row.length + 1;
      shown++;
    }
    if (findings.length > shown) lines.push('', `_${findings.length - shown} more finding(s): see the annotations and code scanning._`);
    lines.push('');
  }
  if (report.suppressed.length > 0) {
    lines.push(`<details><summary>${plural(report.suppressed.length, 'suppressed finding')}</summary>`, '');
    for (const f of report.suppressed.slice(0, 10))
      lines.push(`- \`${f.rule}\` ${cell(objectOf(f))}: ${cell(f.suppressed?.reason ?? '').slice(0, 200)}`);
    if (report.suppressed.length > 10) lines.push(`- and ${report.suppressed.length - 10} more`);
    lines.push('', '</details>', '');
  }
  return `${lines.join('\n')}\n`;
}
