import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { AffectedOverlays } from './changes.js';
import { git, resolveRef } from './git.js';
import { selectChanges } from './selection.js';
import { renderKustomize } from './kubectl.js';
import { stringify } from './lib/yaml.js';

type Obj = Record<string, any>;

export interface OverlayDiff {
  readonly overlay: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  /** Unified diff of the rendered YAML (Secrets' values redacted), empty when nothing changed. */
  readonly unified: string;
}

export interface DiffReport {
  readonly baseRef: string;
  readonly selection: AffectedOverlays;
  readonly overlays: readonly OverlayDiff[];
}

const objectKey = (o: Obj) => `${o.kind ?? '?'} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? '?'}`;

async function renderObjects(dir: string): Promise<Map<string, Obj>> {
  if (!existsSync(dir)) return new Map();
  const { yaml } = await renderKustomize(dir);
  const objects = parseAllDocuments(yaml)
    .map((doc) => doc.toJS() as Obj)
    .filter((o) => o && typeof o === 'object');
  return new Map(objects.map((o) => [objectKey(o), o]));
}

/**
 * Secrets never reach a diff or a PR comment: each value becomes a marker that still says
 * whether it changed between the two sides.
 */
export function redactSecrets(before: Obj | undefined, after: Obj | undefined): [Obj | undefined, Obj | undefined] {
  const redact = (side: Obj | undefined, other: Obj | undefined, label: string) => {
    if (!side || side.kind !== 'Secret') return side;
    const copy: Obj = structuredClone(side);
    for (const field of ['data', 'stringData']) {
      if (!copy[field] || typeof copy[field] !== 'object') continue;
      for (const key of Object.keys(copy[field])) {
        const same = other?.kind === 'Secret' && other?.[field]?.[key] === side[field][key];
        copy[field][key] = same ? '<redacted>' : `<redacted: ${label}>`;
      }
    }
    return copy;
  };
  return [redact(before, after, 'previous value'), redact(after, before, 'new value')];
}

function unifiedDiff(overlay: string, before: string, after: string): string {
  if (before === after) return '';
  const dir = mkdtempSync(join(tmpdir(), 'thanos-ha-diff-'));
  try {
    writeFileSync(join(dir, 'before.yaml'), before);
    writeFileSync(join(dir, 'after.yaml'), after);
    let output = '';
    try {
      execFileSync('git', ['diff', '--no-index', '--no-color', '-U3', 'before.yaml', 'after.yaml'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      // git diff --no-index exits 1 when the files differ; its output is the diff.
      output = (error as { stdout?: string }).stdout ?? '';
    }
    const body = output.split('\n').filter((line) => !/^(diff --git|index |--- |\+\+\+ )/.test(line));
    return [`--- ${overlay} (base)`, `+++ ${overlay} (working tree)`, ...body].join('\n').trimEnd() + '\n';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Compares two renders of one overlay object by object, then as text. */
export function compareRenders(overlay: string, before: Map<string, Obj>, after: Map<string, Obj>): OverlayDiff {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  const beforeText: string[] = [];
  const afterText: string[] = [];
  for (const key of keys) {
    const [b, a] = redactSecrets(before.get(key), after.get(key));
    if (!b) added.push(key);
    else if (!a) removed.push(key);
    else if (stringify(b) !== stringify(a)) changed.push(key);
    if (b) beforeText.push(`# ${key}\n${stringify(b)}`);
    if (a) afterText.push(`# ${key}\n${stringify(a)}`);
  }
  return { overlay, added, removed, changed, unified: unifiedDiff(overlay, beforeText.join('---\n'), afterText.join('---\n')) };
}

/** Renders every overlay the change affects at `baseRef` (a temporary worktree) and in the working tree. */
export async function diffAgainst(root: string, baseRef: string): Promise<DiffReport> {
  const what = 'diff';
  const commit = resolveRef(root, baseRef, what);
  // Not exact: every selected overlay is rendered at both sides below anyway.
  const selection = await selectChanges(root, baseRef, what, 'render', { exact: false });
  const names = [...selection.overlays.map((o) => o.name), ...selection.removed].sort();
  if (names.length === 0) return { baseRef, selection, overlays: [] };
  const worktree = mkdtempSync(join(tmpdir(), 'thanos-ha-base-'));
  rmSync(worktree, { recursive: true, force: true });
  git(root, ['worktree', 'add', '--detach', '--quiet', worktree, commit], what);
  try {
    const overlays = await Promise.all(
      names.map(async (name) => {
        const [before, after] = await Promise.all([
          renderObjects(join(worktree, 'overlays', name)),
          renderObjects(join(root, 'overlays', name)),
        ]);
        return compareRenders(name, before, after);
      }),
    );
    return { baseRef, selection, overlays };
  } finally {
    git(root, ['worktree', 'remove', '--force', worktree], what);
  }
}

const MARKDOWN_DIFF_LIMIT = 60_000;

export function formatDiff(report: DiffReport, format: 'text' | 'markdown'): string {
  if (format === 'markdown') {
    const lines = [`### Rendered changes against \`${report.baseRef}\``, ''];
    if (report.overlays.length === 0) lines.push('No overlay renders differently.');
    for (const o of report.overlays) {
      lines.push(`<details><summary><b>${o.overlay}</b>: ${o.added.length} added, ${o.removed.length} removed, ${o.changed.length} changed</summary>`, '');
      for (const [label, list] of [['Added', o.added], ['Removed', o.removed], ['Changed', o.changed]] as const) {
        if (list.length) lines.push(`**${label}:** ${list.map((k) => `\`${k}\``).join(', ')}`, '');
      }
      if (o.unified) {
        const text = o.unified.length > MARKDOWN_DIFF_LIMIT ? `${o.unified.slice(0, MARKDOWN_DIFF_LIMIT)}\n... (truncated; run npm run diff locally for all of it)\n` : o.unified;
        lines.push('```diff', text.trimEnd(), '```', '');
      }
      lines.push('</details>', '');
    }
    return lines.join('\n');
  }
  const lines: string[] = [];
  for (const o of report.overlays) {
    lines.push(`overlay ${o.overlay}: ${o.added.length} added, ${o.removed.length} removed, ${o.changed.length} changed`);
    for (const k of o.added) lines.push(`  + ${k}`);
    for (const k of o.removed) lines.push(`  - ${k}`);
    for (const k of o.changed) lines.push(`  ~ ${k}`);
    if (o.unified) lines.push('', o.unified);
  }
  if (report.overlays.length === 0) lines.push(`No overlay renders differently from ${report.baseRef}.`);
  return `${lines.join('\n').trimEnd()}\n`;
}
