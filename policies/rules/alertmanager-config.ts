import { alertmanagerConfigProblems, alertmanagerStructWithField } from '../../core/prometheus/alertmanager-config.js';
import { minorOf, type ProgramRelease } from '../../core/prometheus/flags.js';
import { ALERTMANAGER_VERSION } from '../../settings/versions.js';
import { type AmtoolAnswer, amtoolCheck } from '../lib/amtool.js';
import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { programProcesses } from '../lib/programs.js';
import { yamlIn } from '../lib/thanos.js';
import { asArray, asRecord, asString, type Index } from '../lib/model.js';
import type { ProgramProcess } from '../lib/programs.js';
import type { Diagnostic, KObject, Policy } from '../lib/types.js';

/**
 * The `--config.file` of an Alertmanager command line (both spellings); undefined without one: the
 * default, alertmanager.yml, is relative to the image's working directory, which no mount names.
 */
function configPath(args: readonly string[]): string | undefined {
  let path: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith('--config.file=')) path = args[i].slice('--config.file='.length);
    else if (args[i] === '--config.file' && args[i + 1] !== undefined) path = args[++i];
  }
  return path;
}

/** The key of the config Secret the operator reads (the `.gz` form is its compressed twin). */
const OPERATOR_CONFIG_KEYS = ['alertmanager.yaml', 'alertmanager.yaml.gz'];

/**
 * A prometheus-operator `Alertmanager` reads its configuration from key alertmanager.yaml of spec.configSecret
 * (default `alertmanager-<name>`); "If either the secret or the `alertmanager.yaml` key is missing, the operator
 * provisions a minimal Alertmanager configuration with one empty receiver (effectively dropping alert
 * notifications)" (prometheus-operator pkg/apis/monitoring/v1/alertmanager_types.go, AlertmanagerSpec.ConfigSecret).
 * A Secret the input does not hold is not judged (it may be made elsewhere); spec.alertmanagerConfiguration
 * takes precedence over the Secret, and is not read here.
 */
function operatorConfigProblems(resource: KObject, p: ProgramProcess, index: Index): Diagnostic[] {
  const spec = asRecord(resource.spec) ?? {};
  if (spec.alertmanagerConfiguration !== undefined) return [];
  const name = asString(spec.configSecret) || `alertmanager-${resource.metadata.name}`;
  const secret = index.secret(resource.metadata.namespace, name);
  if (!secret?.keys) return [];
  if (!OPERATOR_CONFIG_KEYS.some((k) => secret.keys!.has(k))) {
    const keys = [...secret.keys];
    return [
      {
        message: `${secret.kind} ${name} has no key alertmanager.yaml${keys.length ? ` (only ${keys.join(', ')})` : ''}, so the operator gives Alertmanager a minimal configuration with one empty receiver: every notification is dropped (prometheus-operator AlertmanagerSpec.configSecret); ${keys.length === 1 ? `rename key ${keys[0]} to alertmanager.yaml` : 'put the configuration under key alertmanager.yaml'}`,
      },
    ];
  }
  const text = secret.values.get('alertmanager.yaml');
  if (text === undefined) return [];
  const release = p.match.state === 'known' ? p.release : undefined;
  const features = asArray(spec.enableFeatures).map(String);
  return alertmanagerConfigProblems(yamlIn(index, text), release, { classicMode: features.includes('classic-mode') }).map((problem) => ({
    message: `alertmanager ${minorOf(p.version)} refuses key alertmanager.yaml of ${secret.kind} ${name}, the configuration the operator hands it: ${problem}`,
  }));
}

/**
 * What a refusal by amtool on PATH means when this check found nothing: amtool judges the file as its own
 * release reads it, this check as the image's release does. A field amtool does not know ("field name not
 * found in type config.plain", gopkg.in/yaml.v2 v2.4.0 decode.go:776) is the image's when this check's field
 * list of that release has it; for an image newer than the field lists, the newest list is evidence only;
 * otherwise (a field of a struct the lists do not hold, such as http_config) amtool's reason stands unjudged.
 */
function amtoolRefusal(container: string, path: string, version: string, match: ProgramRelease, amtool: AmtoolAnswer): string {
  const refuses = `container ${container}: amtool ${amtool.version ?? ''} check-config refuses ${path}`;
  const field = /field (\S+) not found/.exec(amtool.message ?? '')?.[1];
  if (field && match.state === 'known') {
    const struct = alertmanagerStructWithField(match.release, field);
    if (struct)
      return `${refuses} (${amtool.message}); alertmanager ${version} has ${field} (${struct}), so amtool on PATH is older than the image and its refusal speaks for amtool ${amtool.version ?? ''} only. This check, which judged the file against the fields and rules of ${version}, found nothing wrong`;
  }
  if (field && match.state === 'newer') {
    const struct = alertmanagerStructWithField(match.release, field);
    const last = minorOf(match.release);
    return `${refuses} (${amtool.message}); alertmanager ${version} is newer than this check's field lists, which end at ${last}${
      struct
        ? ` (whose ${struct} has ${field}, so ${version} very likely has it too: amtool on PATH is older than the image)`
        : ` (which have no ${field})`
    }. Neither amtool nor this check read the fields of ${version}; this check found nothing wrong in its routing and receivers. Run the image's own amtool check-config for its verdict`;
  }
  return `${refuses}: ${amtool.message}; this check found nothing, so read amtool's reason against alertmanager ${version}`;
}

/**
 * The Alertmanager configuration each Alertmanager container reads (its --config.file through the mount,
 * from a Secret, ExternalSecret template or ConfigMap), judged as config.Load of the image's release reads
 * it (core/prometheus/alertmanager-config.ts): the verdict is this rule's own. Where amtool is on PATH it
 * is run on the same text, and what it says is added as evidence; when it refuses a field the image's
 * release has (amtool 0.25 on PATH knows no `tracing`, no inhibit rule `name`, no msteams, msteamsv2,
 * jira, rocketchat, incidentio or mattermost receivers), the warning says amtool is older and what this
 * check judged, not that the file is wrong.
 */
export const alertmanagerConfig: Policy = {
  id: 'alertmanager-config',
  severity: 'error',
  description: `Each Alertmanager's configuration loads in the release its image runs (no version tag: ${ALERTMANAGER_VERSION}): known keys only, a root route with a defined receiver, defined receivers and time intervals, valid group_by and durations.`,
  remediation: 'Change the configuration as the message says; `amtool check-config` of the release the image runs gives the same verdict.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    if (!workload) return [];
    const out: Diagnostic[] = [];
    const seen = new Set<string>();
    for (const p of programProcesses(workload)) {
      if (p.program !== 'alertmanager') continue;
      if (input.derivedFrom?.object.kind === 'Alertmanager') {
        out.push(...operatorConfigProblems(input.derivedFrom.object, p, index));
        continue;
      }
      // A relative path names no mount: fileText finds no text for it.
      const path = configPath(p.args);
      if (path === undefined) continue;
      const { text } = index.fileText(workload, p.container, path);
      if (text === undefined || seen.has(text)) continue;
      seen.add(text);
      // An ExternalSecret template's {{ }} become plain values here: the keys and the routing tree stay readable.
      const doc = yamlIn(index, text);
      // A release newer than the reference may have keys the reference lacks: only its semantics are judged.
      const release = p.match.state === 'known' ? p.release : undefined;
      const version = minorOf(p.version);
      // --enable-feature is repeatable and comma-separated; classic-mode brings back the legacy label names.
      const features = p.args.flatMap((arg, i) =>
        arg.startsWith('--enable-feature=') ? arg.slice(17).split(',') : arg === '--enable-feature' ? (p.args[i + 1] ?? '').split(',') : [],
      );
      const problems = alertmanagerConfigProblems(doc, release, { classicMode: features.includes('classic-mode') });
      for (const problem of problems)
        out.push({
          message: `container ${p.container.name}: alertmanager ${version} refuses ${path} and exits at start (a reload keeps the old one): ${problem}`,
        });
      if (/\{\{/.test(text)) continue; // a template is not the file Alertmanager reads: amtool would judge the template syntax
      const amtool = amtoolCheck(text);
      if (!amtool || amtool.ok === (problems.length === 0)) continue;
      if (amtool.ok)
        out.push({
          message: `container ${p.container.name}: amtool ${amtool.version ?? ''} check-config accepts ${path}, which alertmanager ${version} refuses (above): amtool on PATH is a different release`,
          severity: 'warning',
        });
      else out.push({ message: amtoolRefusal(p.container.name, path, version, p.match, amtool), severity: 'warning' });
    }
    return out;
  },
};
