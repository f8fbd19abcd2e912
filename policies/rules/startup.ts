import { parseDuration } from '../../core/units/duration.js';
import { booleanValueProblem, flagValueProblem, parseVersion } from '../../core/thanos/flags.js';
import { imageRelease } from '../lib/images.js';
import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { asArray, asRecord, type Container, type Index, type Workload } from '../lib/model.js';
import { prometheusConfigOf, prometheusContainer, yamlIn } from '../lib/thanos.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/**
 * Configurations on which a Thanos or Prometheus process refuses to start, or starts and silently
 * does nothing useful. Each check names the message or behaviour of the process (v0.42.4 and
 * Prometheus v3 sources: cmd/thanos/compact.go, cmd/thanos/config.go parseFlagLabels,
 * pkg/reloader expandEnv, cmd/prometheus/main.go serverOnlyFlag, config.LoadFile in agent mode).
 */

const HOURS_40 = 40 * 3_600_000;
const DAYS_10 = 10 * 86_400_000;

/** Compact refuses to start when a retention is shorter than the range downsampling needs. */
function compactRetention(c: Container): string[] {
  if (c.thanos !== 'compact' || c.flags.get('--downsampling.disable') === 'true') return [];
  const out: string[] = [];
  const raw = parseDuration(c.flags.get('--retention.resolution-raw') ?? '0d');
  const fiveMin = parseDuration(c.flags.get('--retention.resolution-5m') ?? '0d');
  if (raw !== undefined && raw !== 0 && raw < HOURS_40) {
    out.push(
      `--retention.resolution-raw=${c.flags.get('--retention.resolution-raw')} is below 40h; with downsampling on, compact exits ("raw resolution must be higher than the minimum block size after which 5m resolution downsampling will occur")`,
    );
  }
  if (fiveMin !== undefined && fiveMin !== 0 && fiveMin < DAYS_10) {
    out.push(
      `--retention.resolution-5m=${c.flags.get('--retention.resolution-5m')} is below 10d; with downsampling on, compact exits ("5m resolution retention must be higher than the minimum block size after which 1h resolution downsampling will occur")`,
    );
  }
  return out;
}

/** The flags cmd/thanos parses with parseFlagLabels (name="value", the value through strconv.Unquote). */
const LABEL_FLAGS: Record<string, string> = { rule: '--label', receive: '--label', query: '--selector-label' };

/** `--label` takes `name="value"`: the value goes through Go's strconv.Unquote, so it must be quoted. */
function labelQuoting(c: Container): string[] {
  const flag = c.thanos ? LABEL_FLAGS[c.thanos] : undefined;
  if (!flag) return [];
  const out: string[] = [];
  for (const raw of c.flags.values(flag)) {
    const eq = raw.indexOf('=');
    if (eq <= 0) {
      out.push(`${flag}=${raw} is not name="value"; thanos ${c.thanos} exits ("unrecognized label")`);
      continue;
    }
    const value = raw.slice(eq + 1);
    // strconv.Unquote: "double-quoted", `raw`, or a one-character 'rune'.
    if (!/^"(?:[^"\\\n]|\\.)*"$/.test(value) && !/^`[^`]*`$/.test(value) && !/^'(?:[^'\\\n]|\\.)'$/.test(value)) {
      out.push(
        `${flag}=${raw}: the value ${value} is not a double-quoted string; thanos ${c.thanos} exits ("unquote label value"). Write ${flag}=${raw.slice(0, eq)}="${value.replace(/^['"]|['"]$/g, '')}"`,
      );
    }
  }
  return out;
}

/**
 * Flag values kingpin parses, as the image's release parses them (core/reference/thanos-flag-types-by-version.json):
 * durations, integers, byte sizes, enums; a boolean given a value. A value kingpin refuses stops the process.
 */
function typedValues(c: Container): string[] {
  if (!c.thanos) return [];
  const { release } = imageRelease(c.image);
  const out: string[] = [];
  for (const name of new Set(c.flags.names)) {
    for (const value of c.flags.values(name)) {
      const problem = flagValueProblem(c.thanos, name, value, release);
      if (problem) out.push(problem);
    }
  }
  for (const { name, value } of c.flags.assigned) {
    const problem = booleanValueProblem(c.thanos, name, value, release);
    if (problem) out.push(problem);
  }
  return out;
}

/** A Thanos image started without a command: thanos prints its usage and exits. */
function noSubcommand(c: Container): string[] {
  const repo = c.image
    .split('@')[0]
    .replace(/:[^/:]*$/, '')
    .split('/')
    .pop();
  if (repo !== 'thanos' || c.thanos || c.init) return [];
  const first = c.argv[0];
  if (first !== undefined && !first.startsWith('-') && !/(^|\/)thanos$/.test(first)) return []; // a shell or another binary
  return ['runs the Thanos image without a command (sidecar, query, store...); thanos exits at start'];
}

/** Whether the container's environment can be known: envFrom brings in names this input may not show. */
function envKnown(c: Container): boolean {
  return asArray(c.raw.envFrom).length === 0;
}

/** `$(VAR)` in command or args with no such variable: Kubernetes passes the text through unexpanded. */
function unresolvedArgs(c: Container): string[] {
  if (!envKnown(c)) return [];
  const raw = [...asArray(c.raw.command), ...asArray(c.raw.args)].map(String);
  const missing = new Set<string>();
  for (const arg of raw) {
    for (const m of arg.replace(/\$\$/g, '').matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) if (!c.env.has(m[1])) missing.add(m[1]);
  }
  return [...missing].map(
    (v) => `$(${v}) in its arguments names no env var of the container; Kubernetes passes "$(${v})" through literally`,
  );
}

/**
 * Thanos substitutes `$(VAR)` in every YAML config it reads from a flag or file (since v0.22,
 * extflag.WithEnvSubstitution) from its own environment, and exits on an unset one ("found
 * reference to unset environment variable"): an objstore.yml with `$(ACCESS_KEY)` needs that env var.
 */
function configFileEnv(index: Index, workload: Workload, c: Container): string[] {
  if (!c.thanos || !envKnown(c)) return [];
  const version = parseVersion(imageRelease(c.image).release);
  if (version && version[0] === 0 && version[1] < 22) return [];
  const out: string[] = [];
  for (const flag of new Set(c.flags.names)) {
    if (!/[.-]config-file$/.test(flag) || flag === '--reloader.config-file') continue; // the reloader's template: reloaderEnv
    for (const path of c.flags.values(flag)) {
      const { text } = index.fileText(workload, c, path);
      if (text === undefined) continue;
      const missing = new Set<string>();
      for (const m of text.matchAll(/\$\(([a-zA-Z_0-9]+)\)/g)) if (!c.env.has(m[1])) missing.add(m[1]);
      for (const v of missing)
        out.push(
          `${flag}=${path} uses $(${v}) and the container has no env var ${v}: thanos ${c.thanos} exits ("found reference to unset environment variable")`,
        );
    }
  }
  return out;
}

/** The sidecar's reloader expands `$(VAR)` in the config template from its own environment and fails on an unset one. */
function reloaderEnv(index: Index, workload: Workload, c: Container): string[] {
  if (c.thanos !== 'sidecar' || !envKnown(c)) return [];
  const template = c.flags.get('--reloader.config-file');
  if (!template) return [];
  const { text } = index.fileText(workload, c, template);
  if (text === undefined) return [];
  const missing = new Set<string>();
  for (const m of text.matchAll(/\$\(([a-zA-Z_0-9]+)\)/g)) if (!c.env.has(m[1])) missing.add(m[1]);
  return [...missing].map(
    (v) =>
      `the config template ${template} uses $(${v}) and container ${c.name} has no env var ${v}: the reloader refuses to write the config ("found reference to unset environment variable")`,
  );
}

/** cmd/prometheus/main.go serverOnlyFlag / agentOnlyFlag: given in the other mode, Prometheus exits (code 3). */
const SERVER_ONLY = [
  /^--storage\.tsdb\./,
  /^--storage\.remote\.read-/,
  /^--rules\./,
  /^--alertmanager\./,
  /^--query\./,
  /^--web\.search\.max-limit$/,
];
const AGENT_ONLY = [/^--storage\.agent\./];

function isAgent(c: Container): boolean {
  return c.flags.has('--agent') && c.flags.get('--agent') !== 'false'
    ? true
    : c.flags.values('--enable-feature').some((v) => v.split(',').includes('agent'));
}

/** Prometheus v3 expands `${VAR}` in external labels always; v2 behind --enable-feature=expand-external-labels. */
function expandsExternalLabels(c: Container): boolean {
  const major = /:v?(\d+)\./.exec(c.image)?.[1];
  return (
    major === undefined ||
    Number(major) >= 3 ||
    c.flags.values('--enable-feature').some((v) => v.split(',').includes('expand-external-labels'))
  );
}

/** Prometheus itself: agent mode refuses server-only flags and config sections; `${VAR}` in external labels must be set. */
function prometheusProblems(index: Index, workload: Workload): string[] {
  const server = prometheusContainer(workload);
  if (!server) return [];
  const out: string[] = [];
  const text = prometheusConfigOf(index, workload)?.text;
  const doc = text ? asRecord(yamlIn(index, text)) : undefined;
  if (isAgent(server)) {
    const flags = [...new Set(server.flags.names.filter((n) => SERVER_ONLY.some((re) => re.test(n))))];
    if (flags.length > 0)
      out.push(
        `container ${server.name} runs Prometheus in agent mode with server-only flags ${flags.join(', ')}; it exits ("can not be used in agent mode")`,
      );
    // config.LoadFile: only non-empty sections count (`alerting: {}` or `rule_files: []` load fine).
    const alerting = asRecord(doc?.alerting);
    const sections = {
      alerting: asArray(alerting?.alertmanagers).length > 0 || asArray(alerting?.alert_relabel_configs).length > 0,
      rule_files: asArray(doc?.rule_files).length > 0,
      remote_read: asArray(doc?.remote_read).length > 0,
    };
    for (const [field, present] of Object.entries(sections)) {
      if (present)
        out.push(
          `container ${server.name} runs Prometheus in agent mode and its config has ${field}; it refuses the config ("field ${field} is not allowed in agent mode")`,
        );
    }
  } else {
    const flags = [...new Set(server.flags.names.filter((n) => AGENT_ONLY.some((re) => re.test(n))))];
    if (flags.length > 0)
      out.push(
        `container ${server.name} runs Prometheus in server mode with agent-only flags ${flags.join(', ')}; it exits ("can only be used in agent mode"); add --agent or remove them`,
      );
  }
  if (doc && envKnown(server) && expandsExternalLabels(server)) {
    const labels = asRecord(asRecord(doc.global)?.external_labels) ?? {};
    for (const [name, value] of Object.entries(labels)) {
      for (const m of String(value)
        .replace(/\$\$/g, '')
        .matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
        const v = m[1] ?? m[2];
        if (!server.env.has(v))
          out.push(
            `external label ${name}: ${value} uses \${${v}} and container ${server.name} has no env var ${v}; Prometheus expands it to an empty value and drops the label`,
          );
      }
    }
  }
  return out;
}

/**
 * The checks: the Thanos image without a command; a `--log.level` or `--log.format` value thanos does not
 * have; on a v0.42 image, a duration or integer flag kingpin cannot parse (`--eval-interval=1d`: a Go
 * duration has no days); compact retentions below 40h (raw) or 10d (5m) with downsampling on; a `--label`
 * (rule, receive) or `--selector-label` (query) value that is not a double-quoted string; `$(VAR)` in args,
 * or in a YAML config file Thanos reads (`--objstore.config-file`...), with no such env var in the
 * container; `$(VAR)` in the sidecar's config template the sidecar does not define; `${VAR}` in Prometheus
 * external labels with no such env var; Prometheus in agent mode with server-only flags (`--storage.tsdb.*`,
 * `--query.*`, `--rules.*`, `--alertmanager.*`...) or with `alerting`, `rule_files` or `remote_read` in its
 * config, or in server mode with agent-only flags (`--storage.agent.*`).
 */
export const startup: Policy = {
  id: 'startup',
  severity: 'error',
  description:
    'Configuration a Thanos or Prometheus process refuses at start, or with which it silently does nothing: flag values its release cannot parse (durations, byte sizes, enums, integers, a boolean given a value), unset `$(VAR)` references, unquoted labels, mixed agent and server modes.',
  remediation:
    'Change the flag or config the message names (the quoted text is what the process logs when it exits), or define the env var in the container that reads it.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    if (!workload) return [];
    const out: Diagnostic[] = [];
    for (const c of workload.containers) {
      for (const message of [
        ...noSubcommand(c),
        ...typedValues(c),
        ...compactRetention(c),
        ...labelQuoting(c),
        ...unresolvedArgs(c),
        ...configFileEnv(index, workload, c),
        ...reloaderEnv(index, workload, c),
      ]) {
        out.push({ message: message.startsWith('the config template') ? message : `container ${c.name}: ${message}` });
      }
    }
    for (const message of prometheusProblems(index, workload)) out.push({ message });
    return out;
  },
};
