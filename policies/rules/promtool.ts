import fieldReference from '../../core/reference/prometheus-config-fields.json' with { type: 'json' };
import { parseVersion } from '../../core/thanos/flags.js';
import { load as loadYaml } from 'js-yaml';
import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { asRecord } from '../lib/model.js';
import type { Index } from '../lib/model.js';
import { checkPrometheusConfig, promtoolInfo } from '../lib/promtool.js';
import { prometheusConfigOf } from '../lib/thanos.js';
import type { Diagnostic, Policy } from '../lib/types.js';
import { YAML_SCHEMA } from '../lib/yaml-read.js';

const noted = new WeakSet<Index>();
/** Every field name of a Prometheus v3 configuration (core/reference/prometheus-config-fields.json). */
const PROMETHEUS_FIELDS: ReadonlySet<string> = new Set(fieldReference.fields);

/** The configuration with namespace and external label values replaced: read (when it reads as a mapping with external labels), else its text. */
function standIn(text: string, namespace: string | undefined): string | Record<string, unknown> {
  const named =
    namespace && namespace.length > 2
      ? text.replace(new RegExp(`\\b${namespace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g'), 'the-namespace')
      : text;
  let doc: unknown;
  try {
    doc = loadYaml(named, { schema: YAML_SCHEMA });
  } catch {
    // Not YAML: the text as it is, promtool says what is wrong with it.
  }
  const labels = asRecord(asRecord(asRecord(doc)?.global)?.external_labels);
  if (!labels) return named;
  for (const key of Object.keys(labels)) labels[key] = 'stand-in';
  return doc as Record<string, unknown>;
}

/** promtool older than the Prometheus it checks may not know a newer field: that is a note, not an error. */
function olderThan(promtool: string | undefined, image: string): boolean {
  const tool = promtool ? parseVersion(promtool) : undefined;
  const prom = parseVersion(/:v?(\d+\.\d+\.\d+)/.exec(image)?.[1] ?? '');
  if (!tool || !prom) return false;
  return tool[0] < prom[0] || (tool[0] === prom[0] && tool[1] < prom[1]);
}

/**
 * As rendered: user patches included, the sidecar's template with its `$(VAR)`s filled in; `--agent` for a
 * Prometheus in agent mode; Kubernetes SD swapped for static targets, which Debian's promtool lacks. A field
 * promtool does not know while the Prometheus image is newer than promtool is a warning when Prometheus v3
 * has such a field (core/reference/prometheus-config-fields.json), and an error when no release has it (a
 * misspelling).
 */
export const promtool: Policy = {
  id: 'promtool',
  severity: 'error',
  description:
    'The Prometheus configuration each Prometheus reads, as rendered, passes `promtool check config --syntax-only`; without promtool on PATH, a note says it was not checked.',
  remediation:
    "Fix the configuration where promtool's message points (run `promtool check config` on it), in the generator or in your overlay's patch.",
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    const source = workload && prometheusConfigOf(index, workload);
    if (!source) return [];
    const server = source.server;
    const info = promtoolInfo();
    if (!info.available) {
      if (noted.has(index)) return [];
      noted.add(index);
      return [
        {
          message:
            'promtool is not on PATH, so the Prometheus configurations were not checked with it (apt-get install prometheus, or see prometheus.io/download)',
          severity: 'warning',
        },
      ];
    }
    // The sidecar fills in $(VAR) from its environment; a stand-in value keeps the text a valid config.
    const filled = source.text.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_, v: string) => `${v.toLowerCase()}-0`);
    // Overlays differ in their namespace and external label values, which cannot make promtool fail
    // (a namespace is a DNS label; a label value is any text): with both set to a stand-in, the
    // configs of many overlays are one config to promtool, checked once.
    // An agent's configuration is checked as one (`--agent`): alerting, rule_files and remote_read make it exit.
    const result = checkPrometheusConfig(standIn(filled, workload.namespace), { agent: server.flags.has('--agent') });
    if (result.ok) return [];
    const reason =
      result.output
        .split('\n')
        .filter((l) => /FAILED|line \d+|error/i.test(l))
        .map((l) => l.trim())
        .join('; ') || result.output;
    // A field promtool does not know may be newer than promtool (a warning) or misspelt (an error):
    // a name no Prometheus v3 release has is the latter, whatever the versions.
    const unknown = [...reason.matchAll(/field (\S+) not found in type/g)].map((m) => m[1]);
    const misspelt = unknown.filter((f) => !PROMETHEUS_FIELDS.has(f));
    if (misspelt.length > 0) {
      return [
        {
          message: `promtool ${info.version ?? ''} rejects ${source.path}: ${reason}; no Prometheus v3 release has ${misspelt.length > 1 ? 'fields' : 'a field'} ${misspelt.join(', ')} (misspelt, or at the wrong level): Prometheus refuses the config`,
        },
      ];
    }
    const lenient = unknown.length > 0 && olderThan(info.version, server.image);
    const d: Diagnostic = {
      message: `promtool ${info.version ?? ''} rejects ${source.path}: ${reason}${lenient ? ` (promtool is older than ${server.image}, which may know the field)` : ''}`,
      ...(lenient ? { severity: 'warning' as const } : {}),
    };
    return [d];
  },
};
