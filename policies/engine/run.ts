import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { renderKustomize, requireKubectl } from '../../core/kube/kubectl.js';
import { overlayNames } from '../../core/kube/kubectl.js';
import { UserError } from '../../core/errors.js';
import { Index } from '../lib/model.js';
import { expandOperatorResources } from './operator.js';
import { promtoolInfo } from '../lib/promtool.js';
import { practiceBinds } from '../lib/profile.js';
import { locateInUserPatches } from './user-patches.js';
import { parseStream } from './parse.js';
import { DEFAULT_FILE_SET, splitFileSets } from './file-sets.js';
import { SUPPRESS_PREFIX, suppressionAnnotation, suppressionOf } from './suppress.js';
import type { CheckReport, CheckSettings, CheckedSet, Finding, InputError, InputObject, Policy, Severity } from '../lib/types.js';

export interface ProgressEvent {
  readonly set: string;
  readonly phase: 'rendering' | 'rendered' | 'checked' | 'failed';
  /** Sets finished so far and in all. */
  readonly done: number;
  readonly total: number;
}

export interface CheckOptions {
  /** Policies to run (the CLI passes every registered one). */
  readonly policies: readonly Policy[];
  /** Overlay names to render; every overlays/<name>/ with a kustomization when absent and no files are given. */
  readonly overlays?: readonly string[];
  /** Rendered manifests to check instead of overlays: files, folders of .yaml/.yml/.json, or "-" for `stdin`. */
  readonly files?: readonly string[];
  /** The text of standard input, read by the caller when files include "-". */
  readonly stdin?: string;
  /** The repository root; the folder overlays/ and base/ are in. */
  readonly root: string;
  /** How many renders run at once; the number of CPUs when absent. */
  readonly concurrency?: number;
  readonly onProgress?: (event: ProgressEvent) => void;
  /**
   * Render with kustomize's origin annotations so findings name their source file (SARIF locations,
   * GitHub annotations). They make kustomize itself about 75% slower, so a run whose output does
   * not place findings in files can leave them off. @default true
   */
  readonly origins?: boolean;
  readonly settings?: CheckSettings;
}

interface SetResult {
  readonly name: string;
  readonly overlay?: string;
  readonly index?: Index;
  readonly findings: Finding[];
  readonly errors: InputError[];
  readonly documents: number;
}

/** Overlay folders on disk: overlays/<name>/ holding a kustomization file, sorted by name (one definition, shared with --changed-since). */
export const discoverOverlays = overlayNames;

function finding(
  policy: Policy | { id: string; severity: Severity },
  made: InputObject,
  text: string,
  severity?: Severity,
  practice?: boolean,
): Finding {
  // A finding on what the operator makes of a resource is reported on the resource, saying so.
  const input = made.derivedFrom ?? made;
  const message = made.derivedFrom ? `${made.object.kind} ${made.object.metadata.name} (which the operator creates): ${text}` : text;
  const location = input.origin ?? input.read;
  return {
    rule: policy.id,
    severity: severity ?? policy.severity,
    kind: input.object.kind,
    name: input.object.metadata.name,
    namespace: input.object.metadata.namespace ?? '',
    message,
    ...(input.overlay !== undefined ? { overlay: input.overlay } : {}),
    ...(practice || ('practice' in policy && policy.practice) ? { practice: true as const } : {}),
    file: location.file,
    line: location.line,
  };
}

/** The rules that read what prometheus-operator creates from its resources as producers and workloads. */
const OPERATOR_RULES = new Set([
  'replica-labels',
  'external-labels',
  'objstore-config',
  'thanos-flags',
  'compact-singleton',
  'discovery-headless',
  'retention-order',
  'store-delete-delay',
  'ruler-ha',
  'block-duration',
  'wiring',
  'startup',
  'alertmanager-config',
]);

/** Runs every policy over one rendered set; a rule that throws becomes a finding, never a crash. */
export function checkObjects(
  inputs: readonly InputObject[],
  policies: readonly Policy[],
  settings: CheckSettings = {},
): { index: Index; findings: Finding[] } {
  const findings: Finding[] = [];
  const valid: InputObject[] = [];
  for (const input of inputs) {
    if (input.malformed)
      findings.push(
        finding({ id: 'schema', severity: 'error' }, input, `${input.malformed}; every object needs apiVersion, kind and metadata.name`),
      );
    else valid.push(input);
    for (const problem of input.problems ?? []) findings.push(finding({ id: 'schema', severity: 'error' }, input, problem));
  }
  findings.push(...duplicateObjects(valid));
  const index = new Index([...valid, ...expandOperatorResources(valid)]);
  findings.push(...suppressionProblems(valid, policies));
  for (const policy of policies) {
    const all = policy.kinds ? policy.kinds.flatMap((kind) => index.ofKind(kind)) : valid;
    // What the operator creates is checked by the Thanos rules only: its pod details are the operator's.
    const targets = OPERATOR_RULES.has(policy.id) ? all : all.filter((i) => !i.derivedFrom);
    for (const input of targets) {
      let diagnostics: ReturnType<Policy['check']>;
      try {
        diagnostics = policy.check({ object: input.object, input, index, settings });
      } catch (error) {
        diagnostics = [{ message: `the rule could not check this object: ${(error as Error).message}`, severity: 'warning' as const }];
      }
      // A practice binds our overlays and input that says (or is told) which profile it is; someone else's manifests get a warning.
      const binds = practiceBinds(index, input, settings);
      for (const d of diagnostics) {
        const practice = policy.practice === true || d.practice === true;
        findings.push(finding(policy, input, d.message, practice && !binds ? 'warning' : d.severity, practice));
      }
    }
  }
  return { index, findings };
}

/**
 * A finding on `--file` input names the set it was found in where the input says (the overlay a
 * render came from), as `check --overlay` names the overlay: reports group the same way through
 * both paths, and equal findings of two sets (one namespace on two clusters) stay apart.
 */
function inFileSet(f: Finding, set: string): Finding {
  return f.overlay !== undefined || set === DEFAULT_FILE_SET ? f : { ...f, overlay: set };
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/**
 * The same object (apiVersion group, kind, namespace, name) twice in one input: kustomize refuses
 * ("may not add resource with an already registered id") and kubectl would apply one over the other.
 */
function duplicateObjects(inputs: readonly InputObject[]): Finding[] {
  const first = new Map<string, InputObject>();
  const out: Finding[] = [];
  for (const input of inputs) {
    const o = input.object;
    const group = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : '';
    const key = `${group}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;
    const seen = first.get(key);
    if (!seen) {
      first.set(key, input);
      continue;
    }
    const where = seen.read.file === input.read.file ? `line ${seen.read.line}` : `${seen.read.file}:${seen.read.line}`;
    const ref = `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
    // Two identical copies apply the same thing twice; two different ones silently overwrite each other.
    if (stableJson(seen.object) === stableJson(o))
      out.push(
        finding(
          { id: 'schema', severity: 'warning' },
          input,
          `duplicate: ${ref} is in the input twice with the same content (first at ${where}); keep one`,
        ),
      );
    else
      out.push(
        finding(
          { id: 'schema', severity: 'error' },
          input,
          `duplicate: ${ref} is in the input twice with different content (first at ${where}); one would overwrite the other, keep one`,
        ),
      );
  }
  return out;
}

/** Moves findings covered by a suppression annotation with a reason aside (they are listed, not dropped). */
function applySuppressions(findings: Finding[], inputsByKey: Map<string, InputObject>): { kept: Finding[]; suppressed: Finding[] } {
  const kept: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of findings) {
    const input = inputsByKey.get(objectKey(f));
    const s = input && !f.unsuppressible ? suppressionOf(input.object, f.rule) : { state: 'none' as const };
    if (s.state === 'reason') suppressed.push({ ...f, suppressed: { reason: s.reason } });
    else kept.push(f);
  }
  return { kept, suppressed };
}

/**
 * Suppression annotations that cannot be honoured: an empty reason is an error (say why, or remove
 * it); one naming no known rule is a warning (a typo would otherwise suppress nothing, silently).
 */
function suppressionProblems(inputs: readonly InputObject[], policies: readonly Policy[]): Finding[] {
  const known = new Set([...policies.map((p) => p.id), 'schema']);
  const out: Finding[] = [];
  for (const input of inputs) {
    const annotations = input.object.metadata.annotations;
    if (!annotations || typeof annotations !== 'object') continue;
    for (const [key, value] of Object.entries(annotations as Record<string, unknown>)) {
      if (!key.startsWith(SUPPRESS_PREFIX)) continue;
      const rule = key.slice(SUPPRESS_PREFIX.length);
      if (!known.has(rule)) {
        out.push({
          ...finding(
            { id: rule, severity: 'warning' },
            input,
            `annotation ${key} names no rule; the rules are ${[...known].sort().join(', ')}`,
          ),
          unsuppressible: true,
        });
      } else if (typeof value !== 'string' || value.trim() === '') {
        out.push({
          ...finding(
            { id: rule, severity: 'error' },
            input,
            `annotation ${suppressionAnnotation(rule)} has an empty reason; say why the rule does not apply here, or remove it`,
          ),
          unsuppressible: true,
        });
      }
    }
  }
  return out;
}

function objectKey(f: { overlay?: string; kind: string; namespace: string; name: string }): string {
  return `${f.overlay ?? ''}|${f.kind}|${f.namespace}|${f.name}`;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.overlay ?? '').localeCompare(b.overlay ?? '') ||
    a.kind.localeCompare(b.kind) ||
    a.namespace.localeCompare(b.namespace) ||
    a.name.localeCompare(b.name) ||
    a.rule.localeCompare(b.rule) ||
    a.message.localeCompare(b.message)
  );
}

/** Runs `task` over `items` with at most `limit` at once; results keep the items' order. */
async function pool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Renders one folder through a temporary kustomization that adds origin annotations, then removes it. */
async function renderWithOrigins(dir: string, origins = true): Promise<{ yaml: string; base?: string }> {
  if (!origins) return { yaml: (await renderKustomize(dir)).yaml };
  const temp = mkdtempSync(join(tmpdir(), 'thanos-ha-check-'));
  try {
    const kustomization = `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${JSON.stringify(relative(temp, dir).split('\\').join('/'))}\nbuildMetadata: [originAnnotations]\n`;
    writeFileSync(join(temp, 'kustomization.yaml'), kustomization);
    const { yaml } = await renderKustomize(temp);
    return { yaml, base: temp };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

async function readInputs(options: CheckOptions): Promise<{ name: string; text: string }[]> {
  const out: { name: string; text: string }[] = [];
  for (const file of options.files ?? []) {
    if (file === '-') {
      out.push({ name: '-', text: options.stdin ?? '' });
      continue;
    }
    const path = resolve(file);
    // Inside the repository a path is shown relative to its root (what SARIF and annotations need); elsewhere absolute.
    const shown = (p: string) => (p.startsWith(`${resolve(options.root)}/`) ? relative(options.root, p) : p);
    if (!existsSync(path))
      throw new UserError(
        `check --file: '${file}' does not exist; give a YAML or JSON file, a folder of .yaml/.yml/.json files, or - for standard input`,
      );
    if (statSync(path).isDirectory()) {
      // The extensions `kubectl apply -f <folder>` reads (.json, .yaml, .yml); a JSON document is YAML,
      // so a broken file of either kind is the same input error. kustomization files are build
      // inputs, not objects a cluster receives. fast-glob is loaded here, not at the top: only a
      // folder given to --file needs it.
      const { default: fg } = await import('fast-glob');
      const found = fg
        .sync('**/*.{yaml,yml,json}', { cwd: path, onlyFiles: true, dot: false, ignore: ['**/kustomization.yaml', '**/kustomization.yml'] })
        .sort();
      if (found.length === 0) throw new UserError(`check --file: folder '${file}' has no .yaml, .yml or .json files`);
      for (const f of found) out.push({ name: shown(join(path, f)), text: readFileSync(join(path, f), 'utf8') });
    } else {
      out.push({ name: shown(path), text: readFileSync(path, 'utf8') });
    }
  }
  return out;
}

/**
 * The check: renders each overlay (or reads the given files), validates and runs every policy,
 * then the checks across sets. Renders run concurrently, each set is checked as its render
 * arrives, and findings come out sorted, so any concurrency prints the same report.
 */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const policies = options.policies;
  const concurrency = options.concurrency ?? availableParallelism();
  let results: SetResult[];
  if (options.files && options.files.length > 0) {
    const texts = await readInputs(options);
    const inputs: InputObject[] = [];
    const errors: InputError[] = [];
    let documents = 0;
    for (const { name, text } of texts) {
      const parsed = parseStream(text, { file: name, startPosition: inputs.length });
      inputs.push(...parsed.objects);
      errors.push(...parsed.errors);
      documents += parsed.documents;
    }
    if (inputs.length === 0 && errors.length === 0) {
      // A render that failed with its error thrown away (`kubectl kustomize x 2>/dev/null | check --file -`)
      // must not pass as "OK, 0 objects".
      const names = texts.map((t) => (t.name === '-' ? 'standard input' : t.name)).join(', ');
      errors.push({
        message: `check --file: no Kubernetes objects in ${names || 'the input'}; give rendered manifests (if they come from a pipe, the command before it may have failed)`,
      });
    }
    // Read errors belong to files, not sets: the first set carries them, and the document count when nothing was read.
    const sets = splitFileSets(inputs);
    results = sets.map((set, i) => {
      const checked = checkObjects(set.inputs, policies, options.settings);
      const findings = checked.findings.map((f) => inFileSet(f, set.name));
      const index = checked.index;
      options.onProgress?.({ set: set.name, phase: 'checked', done: i + 1, total: sets.length });
      return { name: set.name, index, findings, errors: i === 0 ? errors : [], documents: i === 0 ? documents : 0 };
    });
  } else {
    const available = discoverOverlays(options.root);
    let sets: { name: string; dir: string }[];
    if (options.overlays && options.overlays.length > 0) {
      sets = [...new Set(options.overlays)].map((name) => {
        if (name === 'base' && !available.includes('base')) return { name, dir: join(options.root, 'base') };
        if (!available.includes(name)) {
          throw new UserError(
            `check --overlay: no overlay '${name}'; overlays/ has ${available.length ? available.join(', ') : 'none yet'}`,
          );
        }
        return { name, dir: join(options.root, 'overlays', name) };
      });
    } else if (available.length > 0) {
      sets = available.map((name) => ({ name, dir: join(options.root, 'overlays', name) }));
    } else {
      sets = [{ name: 'base', dir: join(options.root, 'base') }];
    }
    requireKubectl();
    let done = 0;
    const progress = (set: string, phase: ProgressEvent['phase']) => options.onProgress?.({ set, phase, done, total: sets.length });
    // Renders run in a pool; each set is parsed and checked as its render arrives. The check is
    // deferred with setImmediate so the pool spawns the next render first and kubectl keeps
    // working while this process is busy checking.
    const checks: Promise<SetResult>[] = new Array(sets.length);
    // While the first renders run, compile the schemas and warm the YAML parser: work the first
    // check would otherwise do on the critical path.
    setImmediate(() => warmUp(policies));
    await pool(
      sets.map((set, i) => ({ set, i })),
      concurrency,
      async ({ set, i }) => {
        progress(set.name, 'rendering');
        let rendered: { yaml: string; base?: string };
        try {
          rendered = await renderWithOrigins(set.dir, options.origins ?? true);
        } catch (error) {
          if (error instanceof UserError && error.name !== 'RenderError') throw error;
          done++;
          progress(set.name, 'failed');
          checks[i] = Promise.resolve({
            name: set.name,
            overlay: set.name,
            findings: [],
            errors: [{ overlay: set.name, message: `overlay ${set.name}: ${(error as Error).message}` }],
            documents: 0,
          });
          return;
        }
        progress(set.name, 'rendered');
        checks[i] = new Promise((resolveCheck) =>
          setImmediate(() => {
            const parsed = parseStream(rendered.yaml, {
              file: `kubectl kustomize ${relative(options.root, set.dir) || '.'}`,
              overlay: set.name,
              originBase: rendered.base,
              root: options.root,
              trusted: true,
            });
            const { index, findings } = checkObjects(parsed.objects, policies, options.settings);
            done++;
            progress(set.name, 'checked');
            resolveCheck({ name: set.name, overlay: set.name, index, findings, errors: parsed.errors, documents: parsed.documents });
          }),
        );
      },
    );
    results = await Promise.all(checks);
  }

  // A finding caused by a patch in overlays/<name>/user/ points at that patch and line (rendered here, not read from files).
  const all: Finding[] = [
    ...locateInUserPatches(
      options.root,
      results.filter((r) => r.overlay !== undefined).flatMap((r) => r.findings),
    ),
    ...results.filter((r) => r.overlay === undefined).flatMap((r) => r.findings),
  ];
  const checked: CheckedSet[] = results.filter((r) => r.index).map((r) => ({ name: r.name, index: r.index! }));
  if (checked.length > 1) {
    for (const policy of policies) {
      if (!policy.checkAcrossSets) continue;
      for (const d of policy.checkAcrossSets(checked)) all.push(inFileSet(finding(policy, d.input, d.message, d.severity), d.set));
    }
  }
  const inputsByKey = new Map<string, InputObject>();
  for (const r of results) {
    for (const input of r.index?.inputs ?? []) {
      if (input.derivedFrom) continue;
      const o = input.object;
      inputsByKey.set(
        objectKey({
          overlay: input.overlay ?? (r.name === DEFAULT_FILE_SET ? undefined : r.name),
          kind: o.kind,
          namespace: o.metadata.namespace ?? '',
          name: o.metadata.name,
        }),
        input,
      );
    }
  }
  const { kept, suppressed } = applySuppressions(all, inputsByKey);
  const unique = dedupe(kept)
    .sort(compareFindings)
    .map(({ unsuppressible: _, ...f }) => f);
  const inputErrors = results.flatMap((r) => r.errors);
  return {
    findings: unique,
    suppressed: dedupe(suppressed).sort(compareFindings),
    inputErrors,
    summary: {
      errors: unique.filter((f) => f.severity === 'error').length,
      warnings: unique.filter((f) => f.severity === 'warning').length,
      // Objects, not documents: a List stands for its items (derived objects, such as the operator's, not counted).
      objects: results.reduce((n, r) => n + (r.index ? r.index.inputs.filter((i) => !i.derivedFrom).length : r.documents), 0),
      suppressed: suppressed.length,
    },
    sets: results.map((r) => r.name),
  };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${objectKey(f)}|${f.rule}|${f.severity}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const WARM_UP = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: warm, namespace: warm}
spec:
  selector: {matchLabels: {app: warm}}
  serviceName: warm
  template:
    metadata: {labels: {app: warm}}
    spec:
      containers: [{name: warm, image: "quay.io/thanos/thanos:v0.42.4", args: [store, --data-dir=/d]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: warm, namespace: warm}
spec:
  selector: {matchLabels: {app: warm}}
  template:
    metadata: {labels: {app: warm}}
    spec:
      containers: [{name: warm, image: "quay.io/thanos/thanos:v0.42.4", args: [query]}]
---
apiVersion: v1
kind: Service
metadata: {name: warm, namespace: warm}
spec: {ports: [{port: 1}], selector: {app: warm}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: warm, namespace: warm}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: warm, namespace: warm}
spec: {maxUnavailable: 1, selector: {matchLabels: {app: warm}}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: warm, namespace: warm}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: warm, namespace: warm}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: warm, namespace: warm}
spec: {secretStoreRef: {name: warm, kind: ClusterSecretStore}, target: {name: warm}}
`;

let warmed = false;

function warmUp(policies: readonly Policy[]): void {
  if (warmed) return;
  warmed = true;
  try {
    // Read as kustomize's output is (trusted), so the reader the real render goes through is the one warmed.
    checkObjects(parseStream(WARM_UP, { file: 'warm-up', trusted: true }).objects, policies);
    // Whether promtool is there, asked while kubectl renders rather than when the first Prometheus is checked.
    if (policies.some((p) => p.id === 'promtool')) promtoolInfo();
  } catch {
    // Warming is an optimisation only.
  }
}

/** The exit code for a report: 2 on input errors, 1 on error findings, else 0. */
export function exitCodeOf(report: CheckReport): number {
  if (report.inputErrors.length > 0) return 2;
  return report.summary.errors > 0 ? 1 : 0;
}
