import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { summarizeReasons, type AffectedOverlays } from './changed-paths.js';
import { describeField, fieldChanges, headlineField, type FieldChange } from './field-changes.js';
import { resolveRef } from './git.js';
import { renderKustomize } from '../core/kube/kubectl.js';
import { stringify } from '../core/yaml.js';
import { selectChanges } from './affected-overlays.js';
import { extractCommit, inPool } from './snapshot.js';
import { isGeneratedContent } from '../generator/write/writer.js';
import { UserError } from '../core/errors.js';
import { describeImmutableChange, immutableChanges, type ImmutableChange } from '../policies/lib/immutable-fields.js';

// biome-ignore lint/suspicious/noExplicitAny: walks untyped manifest YAML
type Obj = Record<string, any>;

export interface ObjectChange {
  /** "Kind namespace/name" (or "Kind name" when cluster-scoped; "document N" for YAML that is not a Kubernetes object). */
  readonly key: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** For 'changed': the fields that differ (Secret-like values redacted). */
  readonly fields: readonly FieldChange[];
  /** For 'changed': what of it the API server refuses to apply, each with its manual steps. */
  readonly refused?: readonly ImmutableChange[];
}

/** One overlay's render, or one generated GitOps file, that differs between the two sides. */
export interface SectionDiff {
  readonly kind: 'overlay' | 'gitops';
  /** Overlay name, or the GitOps file's path. */
  readonly name: string;
  readonly objects: readonly ObjectChange[];
  /** Unified diff of the YAML (Secret-like values redacted). */
  readonly unified: string;
}

export interface DiffReport {
  readonly baseRef: string;
  readonly selection: AffectedOverlays;
  /** Only what renders differently: overlays first, then GitOps files. */
  readonly sections: readonly SectionDiff[];
  /** Selected overlays whose render turned out the same. */
  readonly unchanged: readonly string[];
  /** Set when the fleets the registry declares are drawn differently at the two sides. */
  readonly fleet?: FleetChange;
}

/** The fleet picture (docs/fleet-topology.md) at both sides, as Mermaid source; undefined where the side has no fleet. */
export interface FleetChange {
  readonly before?: string;
  readonly after?: string;
}

const objectKey = (o: Obj, index: number) =>
  typeof o.kind === 'string' && o.metadata?.name
    ? `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`
    : `document ${index + 1}`;

function parseObjects(yaml: string): Map<string, Obj> {
  const objects = parseAllDocuments(yaml)
    .map((doc) => doc.toJS() as Obj)
    .filter((o) => o && typeof o === 'object');
  return new Map(objects.map((o, i) => [objectKey(o, i), o]));
}

/** Kinds whose `data`/`stringData` values are credentials: Secret, and any kind named like one. */
const SECRET_LIKE = /secret/i;

/**
 * Secret values never reach a diff or a PR comment: each `data`/`stringData` value of a Secret-like
 * kind becomes a marker that still says whether it changed between the two sides.
 */
export function redactSecrets(before: Obj | undefined, after: Obj | undefined): [Obj | undefined, Obj | undefined] {
  const redact = (side: Obj | undefined, other: Obj | undefined, label: string) => {
    if (!side || typeof side.kind !== 'string' || !SECRET_LIKE.test(side.kind)) return side;
    const copy: Obj = structuredClone(side);
    for (const field of ['data', 'stringData']) {
      if (!copy[field] || typeof copy[field] !== 'object') continue;
      for (const key of Object.keys(copy[field])) {
        const same = other?.kind === side.kind && JSON.stringify(other?.[field]?.[key]) === JSON.stringify(side[field][key]);
        copy[field][key] = same ? '<redacted>' : `<redacted: ${label}>`;
      }
    }
    return copy;
  };
  return [redact(before, after, 'previous value'), redact(after, before, 'new value')];
}

function unifiedDiff(name: string, before: string, after: string): string {
  if (before === after) return '';
  const dir = mkdtempSync(join(tmpdir(), 'thanos-ha-diff-'));
  try {
    writeFileSync(join(dir, 'before.yaml'), before);
    writeFileSync(join(dir, 'after.yaml'), after);
    let output = '';
    try {
      execFileSync('git', ['diff', '--no-index', '--no-color', '-U3', 'before.yaml', 'after.yaml'], {
        cwd: dir,
        encoding: 'utf8',
        stdio: 'pipe',
        maxBuffer: 256 * 1024 * 1024,
      });
    } catch (error) {
      // git diff --no-index exits 1 when the files differ; its output is the diff.
      output = (error as { stdout?: string }).stdout ?? '';
    }
    const body = output.split('\n').filter((line) => !/^(diff --git|index |--- |\+\+\+ |new file mode|deleted file mode)/.test(line));
    return `${[`--- ${name} (base)`, `+++ ${name} (working tree)`, ...body].join('\n').trimEnd()}\n`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Compares two versions of one overlay's render or one GitOps file, object by object; undefined when equal. */
export function compareObjects(
  kind: SectionDiff['kind'],
  name: string,
  before: Map<string, Obj>,
  after: Map<string, Obj>,
): SectionDiff | undefined {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const objects: ObjectChange[] = [];
  const beforeText: string[] = [];
  const afterText: string[] = [];
  for (const key of keys) {
    const [b, a] = redactSecrets(before.get(key), after.get(key));
    if (!b) objects.push({ key, change: 'added', fields: [] });
    else if (!a) objects.push({ key, change: 'removed', fields: [] });
    else if (stringify(b) !== stringify(a)) {
      const refused = kind === 'overlay' ? immutableChanges(b, a) : [];
      objects.push({ key, change: 'changed', fields: fieldChanges(b, a), ...(refused.length > 0 ? { refused } : {}) });
    }
    if (b) beforeText.push(`# ${key}\n${stringify(b)}`);
    if (a) afterText.push(`# ${key}\n${stringify(a)}`);
  }
  if (objects.length === 0) return undefined;
  return { kind, name, objects, unified: unifiedDiff(name, beforeText.join('---\n'), afterText.join('---\n')) };
}

const toPosix = (path: string) => path.split(sep).join('/');

/** Generated files below `dir` in the given top-level folders (recognised by their header). */
function generatedFilesUnder(dir: string, tops: readonly string[]): string[] {
  return tops.flatMap((top) => {
    const base = join(dir, top);
    if (!existsSync(base)) return [];
    return readdirSync(base, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
      .map((entry) => toPosix(relative(dir, join(entry.parentPath, entry.name))))
      .filter((path) => isGeneratedContent(readFileSync(join(dir, path), 'utf8')));
  });
}

/**
 * The GitOps files: what the generator plans outside base/ and overlays/ (Argo CD and Flux
 * manifests, per-cluster folders, the workflow: whatever it writes there now), plus the generated
 * files the base commit had in the same top-level folders (so a removed one shows as removed).
 */
async function gitopsPaths(root: string, baseDir: string): Promise<string[]> {
  const [{ planGeneration }, { DEFAULT_STACK }, { BASE_DIR }, { OVERLAYS_DIR }] = await Promise.all([
    import('../generator/operations/generate.js'),
    import('../generator/model/stack.js'),
    import('../generator/base-layout.js'),
    import('../generator/overlay/plan.js'),
  ]);
  const planned = planGeneration(DEFAULT_STACK, root)
    .files.map((file) => file.path)
    .filter((path) => !path.startsWith(`${BASE_DIR}/`) && !path.startsWith(`${OVERLAYS_DIR}/`) && /\.ya?ml$/.test(path));
  const tops = [...new Set(planned.map((path) => path.split('/')[0]))];
  return [...new Set([...planned, ...generatedFilesUnder(baseDir, tops), ...generatedFilesUnder(root, tops)])].sort();
}

/**
 * The fleet pictures of the two registries, when they differ. Both are drawn by the working tree's
 * generator, so only a change to the registry's fleets shows. Nothing when the base has no registry
 * at the path this tree reads (an older layout) or it does not parse (the selection's notes say so).
 */
async function fleetChange(root: string, baseDir: string): Promise<FleetChange | undefined> {
  const [{ readRegistry, REGISTRY_PATH }, { fleetDiagram }] = await Promise.all([
    import('../generator/model/registry-file.js'),
    import('../generator/gitops/fleet-diagram.js'),
  ]);
  if (!existsSync(join(baseDir, REGISTRY_PATH))) return undefined;
  let before: string | undefined;
  try {
    before = fleetDiagram(readRegistry(baseDir));
  } catch (error) {
    if (error instanceof UserError) return undefined;
    throw error;
  }
  const after = fleetDiagram(readRegistry(root));
  if (before === after) return undefined;
  return { ...(before ? { before } : {}), ...(after ? { after } : {}) };
}

const readObjects = (dir: string, path: string) =>
  existsSync(join(dir, path)) ? parseObjects(readFileSync(join(dir, path), 'utf8')) : new Map<string, Obj>();

async function renderObjects(dir: string): Promise<Map<string, Obj>> {
  if (!existsSync(dir)) return new Map();
  return parseObjects((await renderKustomize(dir)).yaml);
}

/**
 * What each named overlay renders at `ref` (overlay -> "Kind namespace/name" -> object), for
 * `check --changed-since` to compare with; an overlay the ref does not have, or cannot render, renders nothing.
 */
export async function renderAt(root: string, ref: string, names: readonly string[], what: string): Promise<Map<string, Map<string, Obj>>> {
  if (names.length === 0) return new Map();
  const snapshot = extractCommit(root, resolveRef(root, ref, what), what);
  try {
    const rendered = await inPool(
      // A ref that cannot render an overlay (an older layout, a broken commit) gives nothing to compare with, not a failed check.
      names.map((name) => () => renderObjects(join(snapshot.dir, 'overlays', name)).catch(() => new Map<string, Obj>())),
      Math.max(1, Math.floor(availableParallelism() / 2)),
    );
    return new Map(names.map((name, i) => [name, rendered[i]]));
  } finally {
    snapshot.cleanup();
  }
}

/** Every change of the report the API server refuses, as "overlay: key" -> the changes. */
export function refusedChanges(report: DiffReport): { overlay: string; key: string; changes: readonly ImmutableChange[] }[] {
  return report.sections.flatMap((s) =>
    s.objects.filter((o) => o.refused?.length).map((o) => ({ overlay: s.name, key: o.key, changes: o.refused! })),
  );
}

/**
 * Renders every overlay the change selects at `baseRef` (its files extracted to a temporary folder)
 * and in the working tree, compares the GitOps files the generator writes, and keeps only what
 * differs.
 */
export async function diffAgainst(root: string, baseRef: string): Promise<DiffReport> {
  const what = 'diff';
  const commit = resolveRef(root, baseRef, what);
  // Not exact: every selected overlay is rendered at both sides below anyway.
  const selection = await selectChanges(root, baseRef, what, 'render', { exact: false });
  const names = [...selection.overlays.map((o) => o.name), ...selection.removed].sort();
  const snapshot = extractCommit(root, commit, what);
  try {
    const overlays = await inPool(
      names.map((name) => async () => {
        const [before, after] = await Promise.all([
          renderObjects(join(snapshot.dir, 'overlays', name)),
          renderObjects(join(root, 'overlays', name)),
        ]);
        return compareObjects('overlay', name, before, after);
      }),
      Math.max(1, Math.floor(availableParallelism() / 2)),
    );
    const gitops = (await gitopsPaths(root, snapshot.dir)).map((path) =>
      compareObjects('gitops', path, readObjects(snapshot.dir, path), readObjects(root, path)),
    );
    const sections = [...overlays, ...gitops].filter((s): s is SectionDiff => s !== undefined);
    const fleet = await fleetChange(root, snapshot.dir);
    return { baseRef, selection, sections, unchanged: names.filter((_name, i) => overlays[i] === undefined), ...(fleet ? { fleet } : {}) };
  } finally {
    snapshot.cleanup();
  }
}

/** "prod-oss: StatefulSet/thanos-compact changed (args: --retention.resolution-raw 30d -> 90d)" per changed object, a few per section. */
export function headlines(section: SectionDiff, perSection = 3): string[] {
  const lines = section.objects.slice(0, perSection).map((o) => {
    const [kind, id] = o.key.split(' ');
    const what = o.key.startsWith('document ') || !id ? o.key : `${kind}/${id.replace(/^.*\//, '')}`;
    const fields = o.fields.slice(0, 2).map(headlineField).join('; ');
    const more = o.fields.length > 2 ? `; ${o.fields.length - 2} more field(s)` : '';
    const refused = o.refused?.length ? ' [refused by the API server: see the steps]' : '';
    return `${section.name}: ${what} ${o.change}${fields ? ` (${fields}${more})` : ''}${refused}`;
  });
  if (section.objects.length > perSection) lines.push(`${section.name}: and ${section.objects.length - perSection} more object(s)`);
  return lines;
}

function countLine(report: DiffReport): string {
  const overlays = report.sections.filter((s) => s.kind === 'overlay').length;
  const gitops = report.sections.length - overlays;
  if (report.sections.length === 0) return `No overlay or GitOps file renders differently from ${report.baseRef}.`;
  const parts = [overlays ? `${overlays} overlay(s)` : '', gitops ? `${gitops} GitOps file(s)` : ''].filter(Boolean);
  return `${parts.join(' and ')} render differently from ${report.baseRef}.`;
}

const tally = (s: SectionDiff) =>
  (['added', 'removed', 'changed'] as const)
    .map((change) => [change, s.objects.filter((o) => o.change === change).length] as const)
    .filter(([, n]) => n > 0)
    .map(([change, n]) => `${n} ${change}`)
    .join(', ');

/**
 * GitHub refuses a comment body over 65,536 characters. The comment is the policy summary (at most
 * POLICY_MARKDOWN_LIMIT) followed by this diff, so the diff keeps to what is left, with room for the marker.
 */
export const MARKDOWN_LIMIT = 48_000;

/** Headline lines at the top of a comment; the sections below hold the rest. */
const HEADLINES_SHOWN = 30;

export interface MarkdownOptions {
  /** Characters the diff may take. @default MARKDOWN_LIMIT */
  readonly limit?: number;
  /** Where the whole diff is when the unified part is cut, e.g. "the `pr-report` artifact of [this run](url)". */
  readonly fullDiffAt?: string;
}

const fence = (text: string) => {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
};
const code = (text: string) => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);

/** Why these overlays were compared (and what else was noticed), folded away: the reviewer's "why" for the headline. */
function selectionBlock(report: DiffReport): string[] {
  const { overlays, removed, notes = [] } = report.selection;
  if (overlays.length + removed.length + notes.length === 0) return [];
  const lines = ['<details><summary>Why these overlays were compared</summary>', ''];
  for (const o of overlays.slice(0, HEADLINES_SHOWN)) lines.push(`- **${o.name}**: ${summarizeReasons(o.reasons).replace(/[<>]/g, '')}`);
  if (overlays.length > HEADLINES_SHOWN) lines.push(`- and ${overlays.length - HEADLINES_SHOWN} more`);
  for (const name of removed) lines.push(`- **${name}**: removed`);
  for (const note of notes.slice(0, 10)) lines.push(`- note: ${note.replace(/[<>]/g, '')}`);
  lines.push('', '</details>', '');
  return lines;
}

/** The changes the API server refuses, never folded away: merging them fails every sync until someone does the steps. */
function refusedBlock(report: DiffReport): string[] {
  const refused = refusedChanges(report);
  if (refused.length === 0) return [];
  const lines = [
    '#### :warning: Changes the API server refuses',
    '',
    'Syncing these as written fails; carry each out by hand ([docs/day-two.md](docs/day-two.md#changes-the-api-server-refuses)):',
    '',
  ];
  for (const r of refused)
    for (const change of r.changes) {
      lines.push(`- **${r.overlay}** ${code(r.key)} ${code(`${change.field}: ${change.before} -> ${change.after}`)}: ${change.refusal}.`);
      lines.push(...change.steps.map((step, i) => `  ${i + 1}. ${code(step)}`));
    }
  lines.push('');
  return lines;
}

const mermaid = (source: string) => ['```mermaid', source.trimEnd(), '```'];

/** The fleet as it is after the change (GitHub draws Mermaid in comments), the previous one folded away. */
function fleetBlock(fleet: FleetChange | undefined): string[] {
  if (!fleet) return [];
  const lines = ['#### The fleet changed', ''];
  if (fleet.after) lines.push(...mermaid(fleet.after), '');
  else lines.push('No overlay is an observer any more: the registry declares no fleet.', '');
  if (fleet.before) lines.push('<details><summary>The fleet before</summary>', '', ...mermaid(fleet.before), '', '</details>', '');
  return lines;
}

function markdownSection(s: SectionDiff, withUnified: boolean, cutNote: string): string {
  const lines = [`<details><summary><b>${s.name}</b>: ${tally(s)}</summary>`, ''];
  for (const o of s.objects) {
    if (o.change !== 'changed') {
      lines.push(`- **${o.change}** ${code(o.key)}`);
      continue;
    }
    lines.push(`- **changed** ${code(o.key)}`);
    for (const field of o.fields) lines.push(`  - ${code(describeField(field))}`);
  }
  lines.push('');
  if (s.unified && withUnified) {
    const f = fence(s.unified);
    lines.push(`${f}diff`, s.unified.trimEnd(), f, '');
  } else if (s.unified) {
    lines.push(`_${cutNote}_`, '');
  }
  lines.push('</details>', '');
  return lines.join('\n');
}

export function formatDiff(report: DiffReport, format: 'text' | 'markdown', options: MarkdownOptions = {}): string {
  if (format === 'markdown') {
    const limit = options.limit ?? MARKDOWN_LIMIT;
    const where = options.fullDiffAt ?? 'the output of `npm run diff` locally';
    const head = [`### Rendered changes against \`${report.baseRef}\``, '', `**${countLine(report)}**`, ''];
    const all = report.sections.flatMap((s) => headlines(s));
    for (const line of all.slice(0, HEADLINES_SHOWN)) head.push(`- ${line}`);
    if (all.length > HEADLINES_SHOWN) head.push(`- and ${all.length - HEADLINES_SHOWN} more (below)`);
    if (report.sections.length > 0) head.push('');
    head.push(...refusedBlock(report));
    head.push(...fleetBlock(report.fleet));
    // Cut the unified parts first, the largest first, until the whole fits; then whole sections.
    const withUnified = new Set(report.sections.map((_, i) => i));
    const cutNote = `Unified diff left out to stay under GitHub's comment size limit; the whole diff is in ${where}.`;
    const build = (sections: readonly SectionDiff[]) => {
      const body = sections.map((s) => markdownSection(s, withUnified.has(report.sections.indexOf(s)), cutNote));
      const cut = withUnified.size < report.sections.filter((s) => s.unified).length;
      const note = cut ? [`> ${cutNote}`, ''] : [];
      return [...head, ...note, ...body, ...selectionBlock(report)].join('\n');
    };
    let text = build(report.sections);
    const bySize = report.sections.map((s, i) => [i, s.unified.length] as const).sort((a, b) => b[1] - a[1]);
    for (const [index] of bySize) {
      if (text.length <= limit) break;
      withUnified.delete(index);
      text = build(report.sections);
    }
    let kept = report.sections.length;
    while (text.length > limit && kept > 0) {
      kept--;
      const omitted = report.sections.length - kept;
      text = `${build(report.sections.slice(0, kept))}\n_${omitted} more section(s) left out to stay under the size limit; see ${where}._\n`;
    }
    return text.length > limit ? `${text.slice(0, limit - 80)}\n\n_(cut at the size limit; see ${where})_\n` : text;
  }
  const lines = [countLine(report)];
  for (const s of report.sections) for (const line of headlines(s, Number.POSITIVE_INFINITY)) lines.push(`  ${line}`);
  const refused = refusedChanges(report);
  if (refused.length > 0) {
    lines.push(
      '',
      `The API server refuses ${refused.length} of these object change(s) as written; carry each out by hand (docs/day-two.md#changes-the-api-server-refuses):`,
    );
    for (const r of refused) {
      lines.push(`  ${r.overlay}: ${r.key}`);
      for (const change of r.changes)
        lines.push(
          ...describeImmutableChange(change)
            .split('\n')
            .map((l) => `    ${l}`),
        );
    }
  }
  if (report.fleet) {
    const { before = '', after = '' } = report.fleet;
    lines.push('', 'The fleet changed (docs/fleet-topology.md draws it; Mermaid source):', unifiedDiff('fleet', before, after).trimEnd());
  }
  for (const s of report.sections) {
    lines.push('', `${s.kind} ${s.name}: ${tally(s)}`);
    for (const o of s.objects) {
      lines.push(`  ${o.change === 'added' ? '+' : o.change === 'removed' ? '-' : '~'} ${o.key}`);
      for (const field of o.fields) lines.push(`      ${describeField(field)}`);
    }
    if (s.unified) lines.push('', s.unified.trimEnd());
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
