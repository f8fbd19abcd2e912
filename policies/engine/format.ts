import { suppressionAnnotation } from './suppress.js';
import type { CheckReport, Finding, Policy } from '../lib/types.js';
import { formatMarkdown } from './format-markdown.js';

export const FORMATS = ['text', 'json', 'sarif', 'junit', 'github', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export interface FormatOptions {
  readonly color?: boolean;
  readonly policies: readonly Policy[];
  readonly toolVersion?: string;
}

export function format(report: CheckReport, kind: Format, options: FormatOptions): string {
  switch (kind) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report, options);
    case 'junit':
      return formatJunit(report);
    case 'github':
      return formatGithub(report);
    case 'markdown':
      return formatMarkdown(report);
    default:
      return formatText(report, options);
  }
}

function publicFinding(f: Finding): Record<string, unknown> {
  const { rule, severity, kind, name, namespace, message, overlay, practice, file, line, suppressed } = f;
  return {
    rule,
    severity,
    ...(practice ? { practice } : {}),
    kind,
    name,
    namespace,
    message,
    ...(overlay !== undefined ? { overlay } : {}),
    ...(file ? { file, line } : {}),
    ...(suppressed ? { suppressed: true, reason: suppressed.reason } : {}),
  };
}

export function formatJson(report: CheckReport): string {
  return `${JSON.stringify(
    {
      findings: report.findings.map(publicFinding),
      suppressed: report.suppressed.map(publicFinding),
      inputErrors: report.inputErrors,
      summary: report.summary,
    },
    null,
    2,
  )}\n`;
}

const paint = (on: boolean) => (code: string, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

export function formatText(report: CheckReport, options: FormatOptions): string {
  const c = paint(options.color ?? false);
  const lines: string[] = [];
  for (const e of report.inputErrors) lines.push(`${c('31;1', 'input error')} ${e.message}`);
  if (report.inputErrors.length) lines.push('');
  const groups = new Map<string, Map<string, Finding[]>>();
  for (const f of [...report.findings, ...report.suppressed]) {
    const set = f.overlay ?? 'files';
    const object = `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}${f.file ? `  (${f.file}${f.line ? `:${f.line}` : ''})` : ''}`;
    const bySet = groups.get(set) ?? new Map<string, Finding[]>();
    bySet.set(object, [...(bySet.get(object) ?? []), f]);
    groups.set(set, bySet);
  }
  for (const [set, objects] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(c('1', set === 'files' ? 'files' : `overlay ${set}`));
    for (const [object, findings] of [...objects.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`  ${c('1', object)}`);
      for (const f of findings) {
        const tag = f.suppressed ? c('2', 'suppressed') : f.severity === 'error' ? c('31', 'error  ') : c('33', 'warning');
        lines.push(
          `    ${tag} ${c('36', f.rule)}${f.practice ? ' (practice)' : ''}: ${f.message}${f.suppressed ? c('2', ` (reason: ${f.suppressed.reason})`) : ''}`,
        );
      }
    }
    lines.push('');
  }
  const s = report.summary;
  const verdict = s.errors > 0 || report.inputErrors.length > 0 ? c('31;1', 'FAIL') : c('32;1', 'OK');
  lines.push(
    `${verdict} ${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}, ${s.suppressed} suppressed, ${s.objects} object${s.objects === 1 ? '' : 's'} in ${report.sets.length} set${report.sets.length === 1 ? '' : 's'} (${report.sets.join(', ')})${report.inputErrors.length ? `, ${report.inputErrors.length} input error${report.inputErrors.length === 1 ? '' : 's'}` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

function locationOf(f: Finding): { uri: string; line: number } {
  if (f.file && !f.file.startsWith('kubectl kustomize') && f.file !== '-') return { uri: f.file, line: f.line ?? 1 };
  if (f.overlay) return { uri: f.overlay === 'base' ? 'base/kustomization.yaml' : `overlays/${f.overlay}/kustomization.yaml`, line: 1 };
  return { uri: 'stdin.yaml', line: f.line ?? 1 };
}

/** SARIF 2.1.0 as GitHub code scanning reads it: rules with help, results with a physical location. */
export function formatSarif(report: CheckReport, options: FormatOptions): string {
  const rules = options.policies.map((p) => ({
    id: p.id,
    name: p.id.replace(/(^|-)([a-z])/g, (_m, _d, ch: string) => ch.toUpperCase()),
    shortDescription: { text: p.description.split(/(?<=\.)\s/)[0] },
    fullDescription: { text: p.description },
    help: {
      text: `${p.remediation} Suppress on one object with the annotation ${suppressionAnnotation(p.id)}: "<reason>".`,
      markdown: `${p.remediation}\n\nSuppress on one object with the annotation \`${suppressionAnnotation(p.id)}: "<reason>"\`.`,
    },
    defaultConfiguration: { level: p.severity },
    properties: { tags: ['kubernetes', 'thanos', ...(p.practice ? ['practice'] : [])] },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = [...report.findings, ...report.suppressed].map((f) => {
    const loc = locationOf(f);
    // SARIF wants URIs: repository-relative paths resolve against %SRCROOT%, absolute ones become file: URIs.
    const artifactLocation = loc.uri.startsWith('/')
      ? { uri: `file://${encodeURI(loc.uri)}` }
      : { uri: encodeURI(loc.uri), uriBaseId: '%SRCROOT%' };
    return {
      ruleId: f.rule,
      ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
      level: f.severity,
      message: {
        text: `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}${f.overlay ? ` (overlay ${f.overlay})` : ''}: ${f.message}`,
      },
      locations: [{ physicalLocation: { artifactLocation, region: { startLine: loc.line } } }],
      ...(f.practice ? { properties: { practice: true } } : {}),
      partialFingerprints: { 'thanosHaFinding/v1': [f.overlay ?? '', f.kind, f.namespace, f.name, f.rule, f.message].join('|') },
      ...(f.suppressed ? { suppressions: [{ kind: 'inSource', justification: f.suppressed.reason }] } : {}),
    };
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'thanos-ha-check',
            informationUri: 'https://github.com/thanos-io/thanos',
            version: options.toolVersion ?? '0.1.0',
            rules,
          },
        },
        results,
        invocations: [
          {
            executionSuccessful: report.inputErrors.length === 0,
            toolExecutionNotifications: report.inputErrors.map((e) => ({ level: 'error', message: { text: e.message } })),
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function xml(text: string): string {
  return (
    text
      .replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

/** JUnit XML: one suite per rendered set, one test case per object and rule with findings; errors fail. */
export function formatJunit(report: CheckReport): string {
  const sets = new Map<string, Finding[]>();
  for (const name of report.sets) sets.set(name, []);
  for (const f of report.findings) {
    const set = f.overlay ?? 'files';
    sets.set(set, [...(sets.get(set) ?? []), f]);
  }
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="thanos-ha-check" tests="${report.findings.length + report.inputErrors.length}" failures="${report.summary.errors}" errors="${report.inputErrors.length}">`,
  );
  for (const e of report.inputErrors) {
    out.push(`  <testsuite name="${xml(e.overlay ?? 'input')}" tests="1" failures="0" errors="1">`);
    out.push(`    <testcase classname="input" name="read"><error message="${xml(e.message)}"/></testcase>`);
    out.push('  </testsuite>');
  }
  for (const [set, findings] of sets) {
    const cases = new Map<string, Finding[]>();
    for (const f of findings) {
      const key = `${f.rule}: ${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}`;
      cases.set(key, [...(cases.get(key) ?? []), f]);
    }
    const failures = [...cases.values()].filter((fs) => fs.some((f) => f.severity === 'error')).length;
    out.push(`  <testsuite name="${xml(set)}" tests="${Math.max(cases.size, 1)}" failures="${failures}" errors="0">`);
    if (cases.size === 0) out.push(`    <testcase classname="${xml(set)}" name="all policies"/>`);
    for (const [name, fs] of cases) {
      const errors = fs.filter((f) => f.severity === 'error');
      const warnings = fs.filter((f) => f.severity === 'warning');
      out.push(
        `    <testcase classname="${xml(set)}.${xml(fs[0].rule)}" name="${xml(name)}"${fs[0].file ? ` file="${xml(fs[0].file)}"` : ''}>`,
      );
      if (errors.length)
        out.push(
          `      <failure message="${xml(errors[0].message)}" type="${xml(fs[0].rule)}">${xml(errors.map((f) => f.message).join('\n'))}</failure>`,
        );
      if (warnings.length) out.push(`      <system-out>${xml(warnings.map((f) => `warning: ${f.message}`).join('\n'))}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow commands: one ::error or ::warning annotation per finding. */
export function formatGithub(report: CheckReport): string {
  const lines: string[] = [];
  for (const e of report.inputErrors)
    lines.push(
      `::error ${e.file ? `file=${escapeProperty(e.file)},line=${e.line ?? 1},` : ''}title=${escapeProperty('input error')}::${escapeData(e.message)}`,
    );
  for (const f of report.findings) {
    const loc = locationOf(f);
    const title = `${f.rule}${f.practice ? ' (practice)' : ''}: ${f.kind} ${f.name}${f.overlay ? ` (${f.overlay})` : ''}`;
    lines.push(`::${f.severity} file=${escapeProperty(loc.uri)},line=${loc.line},title=${escapeProperty(title)}::${escapeData(f.message)}`);
  }
  for (const f of report.suppressed) {
    lines.push(
      `::notice file=${escapeProperty(locationOf(f).uri)},line=${locationOf(f).line},title=${escapeProperty(`${f.rule} suppressed`)}::${escapeData(`${f.kind} ${f.name}: ${f.message} (reason: ${f.suppressed?.reason ?? ''})`)}`,
    );
  }
  const s = report.summary;
  lines.push(`${s.errors} errors, ${s.warnings} warnings, ${s.suppressed} suppressed, ${s.objects} objects`);
  return `${lines.join('\n')}\n`;
}
