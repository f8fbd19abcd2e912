import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { retentionLayout, RETENTION_LAYOUT_RELEASES } from '../core/prometheus/retention.js';
import { PROMETHEUS_REFERENCE_RELEASES } from '../core/prometheus/reference.js';
import { programFlags, programRelease, programReleases, type Program } from '../core/prometheus/flags.js';
import { thanosConfigFileChangesBetween } from '../core/thanos/config-file-changes.js';
import { objstoreChangesBetween } from '../core/thanos/objstore-changes.js';
import {
  THANOS_RELEASES,
  compareVersions,
  deprecatedFlags,
  flagChangesBetween,
  minor,
  parseVersion,
  releaseFor,
} from '../core/thanos/flags.js';
import { readPins, setPinTags, VERSIONS_PATH, type Pin } from '../generator/model/versions-file.js';
import { git, resolveRef } from './git.js';

/** What to upgrade: new tags by pin name (`{ thanos: 'v0.41.0' }`), or every pin that differs from a git ref. */
export interface UpgradeRequest {
  readonly targets?: Readonly<Record<string, string>>;
  /** The pins are already changed (a Renovate branch): compare with the pins at this ref, regenerate and report. */
  readonly since?: string;
}

/** A child CLI run: `upgrade` regenerates and checks in fresh processes, which load the new pins. */
export interface ChildRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}
export type RunCli = (root: string, args: readonly string[]) => ChildRun;

export interface PinChange {
  readonly pin: Pin;
  readonly from: string;
  readonly to: string;
}

export interface CheckFinding {
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly message: string;
  readonly overlay?: string;
}

export interface UpgradeResult {
  readonly changes: readonly PinChange[];
  /** Pins asked for that already had the tag. */
  readonly unchanged: readonly string[];
  /** `generate`'s lines for the files it wrote ("  update overlays/x/..."). */
  readonly files: readonly string[];
  /** The command the check ran as, and what it found; undefined when nothing was regenerated. */
  readonly check?: {
    readonly command: string;
    readonly findings: readonly CheckFinding[];
    readonly summary: { readonly errors: number; readonly warnings: number };
    readonly failure?: string;
  };
  /** What changes between the releases by the reference data, per pin. */
  readonly notes: readonly string[];
  /** 0 done and check green, 1 the check found errors (the breaking items are in the report). */
  readonly exitCode: 0 | 1;
}

/** Starts the CLI as `npm run` does (scripts/run.mjs rebuilds dist/ when settings/versions.ts is newer). */
export const runCliInRoot: RunCli = (root, args) => {
  const result = spawnSync(process.execPath, [join(root, 'scripts/run.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, THANOS_HA_ROOT: root, NO_COLOR: '1', FORCE_COLOR: '0' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? String(result.error ?? '') };
};

const REFERENCE_README = 'core/reference/README.md';

/**
 * Why `tag` cannot replace `pin`'s tag, or undefined. The shape must match the pin's (a `v` prefix
 * where it has one, three numbers, the same variant suffix such as `-alpine`): the generator and
 * the Renovate regex read tags in that shape. Thanos and Prometheus must also be releases the
 * reference data covers, since the generator and `check` judge flags and config fields by them.
 */
export function tagProblem(pin: Pin, tag: string): string | undefined {
  const shape = /^(v?)(\d+)\.(\d+)\.(\d+)(-[A-Za-z0-9.-]+)?$/;
  const current = shape.exec(pin.tag);
  const next = shape.exec(tag);
  const example = current ? `${current[1]}1.2.3${current[5] ?? ''}` : pin.tag;
  if (!next || !current || next[1] !== current[1] || (next[5] ?? '') !== (current[5] ?? '')) {
    return `'${tag}' is not a release tag of the form the pin uses (${pin.tag}); give one like ${example}`;
  }
  if (pin.name === 'thanos') {
    const newest = THANOS_RELEASES[THANOS_RELEASES.length - 1];
    const match = releaseFor(tag);
    if (compareVersions(tag, newest) > 0) {
      return `Thanos ${tag} is newer than the flag reference, which knows ${THANOS_RELEASES[0]} to ${newest} (core/reference/thanos-flags-by-version.json), so the generator and check could not tell which flags ${tag} has. Regenerate the reference first: add ${minor(tag)}'s flags to thanos-flags-by-version.json from its source, re-run scripts/read-thanos-flag-types.mjs and scripts/read-objstore-strictness.mjs on the ${tag} tag (${REFERENCE_README}), then run the upgrade again`;
    }
    if (match.state !== 'known') {
      return `Thanos ${tag} is older than the flag reference, which knows ${THANOS_RELEASES[0]} to ${newest}; give a release from that range`;
    }
  }
  if (pin.name === 'prometheus') {
    const newest = PROMETHEUS_REFERENCE_RELEASES[PROMETHEUS_REFERENCE_RELEASES.length - 1];
    if (parseVersion(tag)?.[0] !== 3)
      return `Prometheus ${tag} is not a v3 release; the generator writes, and check reads, Prometheus v3 configurations`;
    if (compareVersions(tag, newest) > 0) {
      return `Prometheus ${tag} is newer than the configuration field reference, read from ${PROMETHEUS_REFERENCE_RELEASES.join(', ')} (core/reference/prometheus-config-fields.json), so check could not tell which fields ${tag} has. Regenerate the reference first: add the field names of ${tag}'s yaml struct tags and ${tag} to its releases, check that core/prometheus/retention.ts still says where ${tag} reads its retention (cmd/prometheus/main.go), then run the upgrade again`;
    }
  }
  if (pin.name === 'prometheus' || pin.name === 'alertmanager') {
    const program = pin.name as Program;
    const releases = programReleases(program);
    const newest = releases[releases.length - 1];
    if (compareVersions(tag, newest) > 0) {
      return `${program} ${tag} is newer than the flag reference, which knows ${releases[0]} to ${newest} (core/reference/${program}-flags-by-version.json), so check could not tell which flags ${tag} takes. Regenerate the reference first: node scripts/read-prometheus-flags.mjs on the ${tag} tag (${REFERENCE_README}), then run the upgrade again`;
    }
  }
  return undefined;
}

function readText(root: string): string {
  try {
    return readFileSync(join(root, VERSIONS_PATH), 'utf8');
  } catch (error) {
    throw new UserError(`upgrade: cannot read ${VERSIONS_PATH}: ${(error as Error).message}`);
  }
}

/** Writes the versions file whole or not at all (a rename), so an interrupted run leaves one of the two texts. */
function writeText(root: string, text: string): void {
  const path = join(root, VERSIONS_PATH);
  const temp = `${path}.upgrade-${process.pid}`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

/** What the reference data says changes from one release of a pin to another: flags, objstore config, retention. */
export function releaseNotes(change: PinChange): string[] {
  const { pin, from, to } = change;
  if (pin.name === 'thanos') {
    const a = releaseFor(from);
    const b = releaseFor(to);
    if (a.state !== 'known' || b.state !== 'known')
      return [`thanos: the flag reference does not know ${from}; read the CHANGELOG between ${from} and ${to}`];
    if (a.release === b.release)
      return [
        `thanos ${from} -> ${to}: same minor release, so the same flags and objstore config (Thanos changes flags in minor releases)`,
      ];
    const notes: string[] = [];
    const flags = flagChangesBetween(a.release, b.release);
    // Going back, a flag the older release lacks was added after it, not removed: said so, so nobody looks for a replacement.
    const down = compareVersions(to, from) < 0;
    for (const f of flags.filter((x) => x.change === 'removed')) {
      const why = down ? `not in ${minor(to)} (added after it): the process refuses it` : `removed in ${minor(to)}`;
      notes.push(`thanos ${f.subcommand} ${f.flag}: ${why}${f.replacement ? `; use ${f.replacement}` : ''}`);
    }
    const added = flags.filter((x) => x.change === 'added');
    const bySubcommand = new Map<string, string[]>();
    for (const f of added) bySubcommand.set(f.subcommand, [...(bySubcommand.get(f.subcommand) ?? []), f.flag]);
    for (const [subcommand, names] of bySubcommand)
      notes.push(`thanos ${subcommand}: ${names.length} flag(s) ${down ? 'back' : 'new'} in ${minor(to)}: ${names.join(', ')}`);
    for (const d of deprecatedFlags(b.release))
      notes.push(`thanos ${d.subcommand} ${d.flag}: deprecated in ${minor(to)}; use ${d.replacement}`);
    for (const o of objstoreChangesBetween(a.release, b.release)) notes.push(`thanos ${o.text}`);
    for (const c of thanosConfigFileChangesBetween(a.release, b.release)) notes.push(`thanos ${c}`);
    return notes;
  }
  if (pin.name === 'prometheus' || pin.name === 'alertmanager') {
    const notes = programFlagNotes(pin.name, from, to);
    const before = retentionLayout(from);
    const after = retentionLayout(to);
    if (pin.name === 'prometheus' && before && after && before !== after) {
      notes.push(
        `prometheus: retention is read as ${RETENTION_LAYOUT_RELEASES[after]} reads it, no longer as ${RETENTION_LAYOUT_RELEASES[before]} does (core/prometheus/retention.ts); the regenerated config and flags follow it`,
      );
    }
    return notes;
  }
  return [`${pin.name}: no reference data for ${pin.repository} in this repository; read its release notes between ${from} and ${to}`];
}

/** Flags of Prometheus or Alertmanager one release has and the other has not (core/reference/<program>-flags-by-version.json). */
function programFlagNotes(program: Program, from: string, to: string): string[] {
  const a = programRelease(program, from);
  const b = programRelease(program, to);
  if (a.state !== 'known' || b.state !== 'known')
    return [
      `${program}: the flag reference does not know ${a.state === 'known' ? to : from}; read the release notes between ${from} and ${to}`,
    ];
  if (a.release === b.release) return [];
  const before = new Set(programFlags(program, a.release));
  const after = new Set(programFlags(program, b.release));
  const down = compareVersions(to, from) < 0;
  const notes = [...before]
    .filter((flag) => !after.has(flag))
    .sort()
    .map(
      (flag) => `${program} ${flag}: ${down ? `not in ${minor(to)} (added after it)` : `removed in ${minor(to)}`}: the process refuses it`,
    );
  const added = [...after].filter((flag) => !before.has(flag)).sort();
  if (added.length) notes.push(`${program}: ${added.length} flag(s) ${down ? 'back' : 'new'} in ${minor(to)}: ${added.join(', ')}`);
  return notes;
}

interface JsonReport {
  readonly findings?: CheckFinding[];
  readonly summary?: { errors: number; warnings: number };
  readonly inputErrors?: { message: string }[];
}

function runCheck(root: string, run: RunCli, thanosTarget: string | undefined): NonNullable<UpgradeResult['check']> {
  const args = ['check', '--format', 'json', ...(thanosTarget ? ['--upgrade-to', thanosTarget] : [])];
  const command = `npm run check${thanosTarget ? ` -- --upgrade-to ${thanosTarget}` : ''}`;
  const result = run(root, args);
  let report: JsonReport | undefined;
  try {
    report = JSON.parse(result.stdout) as JsonReport;
  } catch {
    report = undefined;
  }
  if (!report?.summary || (result.code !== 0 && result.code !== 1)) {
    const why =
      [...(report?.inputErrors ?? []).map((e) => e.message), result.stderr.trim()].filter(Boolean).join('\n') || `exit ${result.code}`;
    return { command, findings: [], summary: { errors: 0, warnings: 0 }, failure: why };
  }
  const inputErrors = (report.inputErrors ?? []).map((e) => e.message);
  return {
    command,
    findings: report.findings ?? [],
    summary: report.summary,
    ...(inputErrors.length ? { failure: inputErrors.join('\n') } : {}),
  };
}

/**
 * Moves pins to new releases and regenerates: validates every tag first (nothing changes on bad
 * input), edits settings/versions.ts through the AST, runs `generate` and then `check` (with
 * `--upgrade-to` for a Thanos upgrade, so user patches that run another Thanos image are judged
 * against the target as well) in fresh processes, which load the new pins. When the generator
 * refuses the new pins, the file is put back and nothing is changed. With `since`, the pins are
 * already changed (by Renovate): the same, without the edit, from the pins at that ref.
 */
export function upgrade(root: string, request: UpgradeRequest, run: RunCli = runCliInRoot): UpgradeResult {
  const text = readText(root);
  const pins = readPins(text);
  const byName = new Map(pins.map((pin) => [pin.name, pin]));
  let changes: PinChange[];
  const unchanged: string[] = [];
  if (request.since !== undefined) {
    if (Object.keys(request.targets ?? {}).length)
      throw new UserError('upgrade: give --since alone, or pins with new tags (--thanos v0.42.4), not both.');
    resolveRef(root, request.since, 'upgrade --since');
    const earlier = readPins(
      git(root, ['show', `${request.since}:${VERSIONS_PATH}`], 'upgrade --since'),
      `${request.since}:${VERSIONS_PATH}`,
    );
    changes = pins.flatMap((pin) => {
      const before = earlier.find((p) => p.name === pin.name);
      return before && before.tag !== pin.tag ? [{ pin, from: before.tag, to: pin.tag }] : [];
    });
  } else {
    const targets = Object.entries(request.targets ?? {});
    if (targets.length === 0)
      throw new UserError(
        `upgrade: name a pin and its new tag, e.g. --thanos ${byName.get('thanos')?.tag ?? 'v0.42.4'}; the pins are ${pins.map((p) => p.name).join(', ')}.`,
      );
    const problems: string[] = [];
    changes = [];
    for (const [name, tag] of targets) {
      const pin = byName.get(name);
      if (!pin) {
        problems.push(`--${name}: ${VERSIONS_PATH} has no pin '${name}'; the pins are ${pins.map((p) => p.name).join(', ')}`);
        continue;
      }
      if (pin.tag === tag) {
        unchanged.push(name);
        continue;
      }
      changes.push({ pin, from: pin.tag, to: tag });
    }
    for (const change of changes) {
      const where = `${VERSIONS_PATH}:${change.pin.line} ${change.pin.tagConstant}`;
      if (change.pin.digest) {
        problems.push(
          `--${change.pin.name}: ${where} pins ${change.pin.repository} by digest too (${change.pin.digest}); upgrade cannot look up the digest of ${change.to} offline: change the tag and digest by hand (docker buildx imagetools inspect ${change.pin.repository}:${change.to}) and run npm run generate`,
        );
      }
    }
    if (problems.length === 0) for (const change of changes) checkTag(change, problems);
    if (problems.length) throw new UserError(`upgrade: nothing was changed:\n  ${problems.join('\n  ')}`);
  }
  if (request.since !== undefined) {
    const problems: string[] = [];
    for (const change of changes) checkTag(change, problems);
    if (problems.length) throw new UserError(`upgrade --since ${request.since}: nothing was regenerated:\n  ${problems.join('\n  ')}`);
  }
  if (changes.length === 0) return { changes, unchanged, files: [], notes: [], exitCode: 0 };

  if (request.since === undefined) writeText(root, setPinTags(text, Object.fromEntries(changes.map((c) => [c.pin.name, c.to]))));
  const generated = run(root, ['generate']);
  if (generated.code !== 0) {
    if (request.since === undefined) writeText(root, text);
    const said = `${generated.stderr}\n${generated.stdout}`.trim().replace(/^error: /, '');
    throw new UserError(
      `upgrade: the generator refuses ${changes.map((c) => `${c.pin.name} ${c.to}`).join(', ')}, so nothing was changed${request.since === undefined ? ` (${VERSIONS_PATH} put back)` : ''}:\n${said}`,
    );
  }
  const files = generated.stdout.split('\n').filter((line) => /^ {2}\S+\s+\S/.test(line));
  const thanos = changes.find((c) => c.pin.name === 'thanos');
  const check = runCheck(root, run, thanos?.to);
  const notes = changes.flatMap(releaseNotes);
  return { changes, unchanged, files, check, notes, exitCode: check.summary.errors > 0 || check.failure ? 1 : 0 };
}

function checkTag(change: PinChange, problems: string[]): void {
  const problem = tagProblem(change.pin, change.to);
  if (problem) problems.push(`--${change.pin.name} ${change.to}: ${problem}`);
}

/** One line per distinct message, with the overlays that have it. */
function grouped(findings: readonly CheckFinding[]): string[] {
  const byMessage = new Map<string, Set<string>>();
  for (const f of findings) {
    const key = `${f.rule}: ${f.kind} ${f.name}: ${f.message}`;
    byMessage.set(key, (byMessage.get(key) ?? new Set()).add(f.overlay ?? 'files'));
  }
  return [...byMessage].map(([message, overlays]) => `${message} (${[...overlays].sort().join(', ')})`);
}

/** The report: what changed, what check found, what the reference says changes, and what to do. */
export function formatUpgradeReport(result: UpgradeResult, since?: string): string {
  const lines: string[] = [];
  for (const name of result.unchanged) lines.push(`upgrade: ${name} is already at that tag; nothing to change for it.`);
  if (result.changes.length === 0) {
    lines.push(
      since !== undefined ? `upgrade: no pin in ${VERSIONS_PATH} differs from ${since}; nothing to do.` : 'upgrade: nothing changed.',
    );
    return `${lines.join('\n')}\n`;
  }
  lines.push(`upgrade: ${VERSIONS_PATH}${since !== undefined ? ` (compared with ${since})` : ''}`);
  for (const { pin, from, to } of result.changes) {
    const direction = compareVersions(to, from) < 0 ? '  (downgrade)' : '';
    lines.push(`  ${pin.name} ${from} -> ${to}  ${pin.repository}${direction}`);
  }
  lines.push(`generate: ${result.files.length} file(s) written`);
  for (const line of result.files) lines.push(line);
  const check = result.check;
  if (check) {
    if (check.failure) lines.push(`check: ${check.command} did not complete: ${check.failure}`);
    const errors = check.findings.filter((f) => f.severity === 'error');
    const upgradeWarnings = check.findings.filter((f) => f.severity === 'warning' && /upgrading to|deprecated/.test(f.message));
    lines.push(`check: ${check.command}: ${check.summary.errors} error(s), ${check.summary.warnings} warning(s)`);
    if (errors.length) {
      lines.push('Breaking (the cluster or the process refuses these; fix them before merging):');
      for (const line of grouped(errors)) lines.push(`  ${line}`);
    }
    if (upgradeWarnings.length) {
      lines.push('Deprecated in the new release (they still start; change them before the next upgrade):');
      for (const line of grouped(upgradeWarnings)) lines.push(`  ${line}`);
    }
  }
  if (result.notes.length) {
    lines.push('What changes between the releases (core/reference):');
    for (const note of result.notes) lines.push(`  ${note}`);
  }
  lines.push('What to do:');
  if (check && (check.summary.errors > 0 || check.failure)) {
    lines.push(
      `  - fix the errors above (in settings/overlays.ts or an overlay's user/ patches), run npm run generate and ${check.command} until it is green;`,
    );
    lines.push(`    or go back: git checkout -- ${VERSIONS_PATH} && npm run generate`);
  }
  lines.push(`  - review git diff (${VERSIONS_PATH} and the regenerated files) and commit them together`);
  lines.push('  - flags your own patches in overlays/*/user/ set are checked above; notes on flags the stack does not set need nothing');
  return `${lines.join('\n')}\n`;
}
