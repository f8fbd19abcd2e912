import { posix } from 'node:path';
import { Flags } from './flags.js';
import type { KubeObject } from '../../core/kube/kube-object.js';

export type KObject = KubeObject;

/** Where a document came from: the file (as the user should see it) and its first line. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

/** One parsed document of the input. */
export interface InputObject {
  readonly object: KObject;
  /** The file read (a rendered stream or a --file path) and the document's line in it. */
  readonly read: SourceLocation;
  /** The file in base/ or overlays/ kustomize says the object came from (origin annotation), when known. */
  readonly origin?: SourceLocation;
  /** The overlay the object was rendered from; undefined for --file input. */
  readonly overlay?: string;
  /** Position in the input, for stable ordering. */
  readonly position: number;
  /** Set when the document is a mapping but not a usable object (no kind, apiVersion or name): a schema finding. */
  readonly malformed?: string;
  /** Problems found while reading the document that the cluster would refuse (duplicate keys); schema findings. */
  readonly problems?: readonly string[];
  /**
   * Set on an object the engine made from an operator resource (the StatefulSet a `Prometheus`
   * becomes): findings on it are reported on that resource.
   */
  readonly derivedFrom?: InputObject;
}

type Data = Record<string, unknown>;

export function asRecord(value: unknown): Data | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Data) : undefined;
}
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** Namespaces match when equal, or when either is unknown (a hand-written manifest applied with -n). */
export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

export function objectRef(object: KObject): string {
  return `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Whether a label selector selects these labels; an empty or missing selector selects nothing here. */
export function selectorMatches(selector: unknown, labels: Record<string, string> | undefined): boolean {
  const sel = asRecord(selector) as LabelSelector | undefined;
  if (!sel) return false;
  const own = labels ?? {};
  const matchLabels = asRecord(sel.matchLabels) ?? {};
  const expressions = asArray(sel.matchExpressions) as LabelSelector['matchExpressions'] & unknown[];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return false;
  for (const [key, value] of Object.entries(matchLabels)) if (own[key] !== String(value)) return false;
  for (const expression of expressions) {
    const e = asRecord(expression);
    if (!e) return false;
    const key = String(e.key);
    const values = asArray(e.values).map(String);
    switch (e.operator) {
      case 'In':
        if (!(key in own) || !values.includes(own[key])) return false;
        break;
      case 'NotIn':
        if (key in own && values.includes(own[key])) return false;
        break;
      case 'Exists':
        if (!(key in own)) return false;
        break;
      case 'DoesNotExist':
        if (key in own) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A plain `key: value` map (a Service selector) as a selector. */
export function mapSelects(selector: Record<string, unknown> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  const own = labels ?? {};
  return Object.entries(selector).every(([key, value]) => own[key] === String(value));
}

export interface EnvVar {
  readonly literal?: string;
  /** A value from a Secret or ConfigMap key (valueFrom.secretKeyRef / configMapKeyRef). */
  readonly ref?: { readonly from: 'secret' | 'configMap'; readonly name: string; readonly key: string; readonly optional: boolean };
  /** Set when the variable is the pod's own name (downward API metadata.name): a per-pod value. */
  readonly perPod?: boolean;
  readonly namespace?: boolean;
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly init: boolean;
  /** An init container with restartPolicy Always (a native sidecar): long-running. */
  readonly longRunning: boolean;
  readonly raw: Data;
  /** command followed by args, with $(VAR) expanded where the value is known. */
  readonly argv: string[];
  readonly env: ReadonlyMap<string, EnvVar>;
  /** The Thanos subcommand when this container runs Thanos (image names thanos; argv starts with it). */
  readonly thanos?: string;
  /** Flags after the subcommand (Thanos) or of the whole argv. */
  readonly flags: Flags;
}

export interface Workload {
  readonly input: InputObject;
  readonly object: KObject;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** spec.replicas, 1 when unset; for a DaemonSet, 2 (one per node, so more than one). */
  readonly replicas: number;
  readonly podLabels: Record<string, string>;
  readonly podSpec: Data;
  readonly containers: Container[];
  /** Names of the StatefulSet's volumeClaimTemplates. */
  readonly claimTemplates: string[];
}

const POD_TEMPLATE_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'Pod',
]);

/** Per-pod value placeholder: a var that is the pod's name. */
export function isPerPodValue(value: string, container: Container): boolean {
  for (const match of value.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)|\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)) {
    const name = match[1] ?? match[2];
    if (container.env.get(name)?.perPod || name === 'HOSTNAME') return true;
  }
  return false;
}

function envOf(raw: Data): Map<string, EnvVar> {
  const env = new Map<string, EnvVar>();
  for (const item of asArray(raw.env)) {
    const entry = asRecord(item);
    const name = asString(entry?.name);
    if (!entry || !name) continue;
    const valueFrom = asRecord(entry.valueFrom);
    const fieldPath = asString(asRecord(valueFrom?.fieldRef)?.fieldPath);
    const secretRef = asRecord(valueFrom?.secretKeyRef);
    const configMapRef = asRecord(valueFrom?.configMapKeyRef);
    const keyRef = secretRef ?? configMapRef;
    if (typeof entry.value === 'string') env.set(name, { literal: entry.value });
    else if (keyRef && typeof keyRef.name === 'string' && typeof keyRef.key === 'string') {
      env.set(name, {
        ref: { from: secretRef ? 'secret' : 'configMap', name: keyRef.name, key: keyRef.key, optional: keyRef.optional === true },
      });
    } else if (fieldPath === 'metadata.name') env.set(name, { perPod: true });
    else if (fieldPath === 'metadata.namespace') env.set(name, { namespace: true });
    else env.set(name, {});
  }
  return env;
}

/**
 * Kubernetes' $(VAR) expansion in command and args: a var defined in env is replaced by a literal
 * or the namespace; per-pod and unknown vars stay as written; $$ escapes.
 */
export function expandVars(text: string, env: ReadonlyMap<string, EnvVar>, namespace: string | undefined): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string | undefined) => {
    if (whole === '$$') return '$$';
    const v = name ? env.get(name) : undefined;
    if (v?.literal !== undefined) return v.literal;
    if (v?.namespace && namespace) return namespace;
    return whole;
  });
}

function isThanosBinary(arg: string): boolean {
  return posix.basename(arg) === 'thanos';
}

function buildContainer(raw: Data, init: boolean, namespace: string | undefined): Container {
  const env = envOf(raw);
  const command = asArray(raw.command).map((x) => (typeof x === 'string' ? x : String(x)));
  const args = asArray(raw.args).map((x) => (typeof x === 'string' ? x : String(x)));
  const argv = [...command, ...args].map((arg) => expandVars(arg, env, namespace));
  const image = asString(raw.image) ?? '';
  let thanos: string | undefined;
  let rest = argv;
  // The Thanos image (quay.io/thanos/thanos, thanosio/thanos, bitnami/thanos...) or the thanos binary
  // as the command; other images with "thanos" in their name (receive controllers) are not Thanos.
  const repo =
    image
      .split('@')[0]
      .replace(/:[^/:]*$/, '')
      .split('/')
      .pop() ?? '';
  if (repo === 'thanos' || (argv[0] !== undefined && isThanosBinary(argv[0]))) {
    let i = 0;
    while (i < argv.length && isThanosBinary(argv[i])) i++;
    const sub = argv[i];
    if (sub !== undefined && /^[a-z][a-z-]*$/.test(sub)) {
      thanos = sub;
      rest = argv.slice(i + 1);
    }
  }
  return {
    name: asString(raw.name) ?? '(unnamed)',
    image,
    init,
    longRunning: !init || raw.restartPolicy === 'Always',
    raw,
    argv,
    env,
    thanos,
    flags: new Flags(rest, thanos),
  };
}

function podTemplate(object: KObject): { spec?: Data; labels: Record<string, string> } {
  const spec = asRecord(object.spec);
  if (object.kind === 'Pod') return { spec, labels: (object.metadata.labels ?? {}) as Record<string, string> };
  const template =
    object.kind === 'CronJob' ? asRecord(asRecord(asRecord(asRecord(spec?.jobTemplate)?.spec)?.template)) : asRecord(spec?.template);
  return { spec: asRecord(template?.spec), labels: (asRecord(asRecord(template?.metadata)?.labels) ?? {}) as Record<string, string> };
}

function buildWorkload(input: InputObject): Workload | undefined {
  const object = input.object;
  if (!POD_TEMPLATE_KINDS.has(object.kind)) return undefined;
  const { spec, labels } = podTemplate(object);
  if (!spec) return undefined;
  const namespace = object.metadata.namespace;
  const containers = [
    ...asArray(spec.initContainers)
      .map((c) => asRecord(c))
      .filter((c): c is Data => !!c)
      .map((c) => buildContainer(c, true, namespace)),
    ...asArray(spec.containers)
      .map((c) => asRecord(c))
      .filter((c): c is Data => !!c)
      .map((c) => buildContainer(c, false, namespace)),
  ];
  const specReplicas = asRecord(object.spec)?.replicas;
  const replicas =
    object.kind === 'DaemonSet'
      ? 2
      : ['Job', 'CronJob', 'Pod'].includes(object.kind)
        ? 1
        : typeof specReplicas === 'number'
          ? specReplicas
          : 1;
  const claimTemplates = asArray(asRecord(object.spec)?.volumeClaimTemplates)
    .map((t) => asString(asRecord(asRecord(t)?.metadata)?.name))
    .filter((n): n is string => !!n);
  return {
    input,
    object,
    kind: object.kind,
    name: object.metadata.name,
    namespace,
    replicas,
    podLabels: labels,
    podSpec: spec,
    containers,
    claimTemplates,
  };
}

/** Where a file path inside a container comes from. */
export type FileSource =
  | { readonly from: 'configMap' | 'secret'; readonly name: string; readonly key: string; readonly optional: boolean }
  | { readonly from: 'emptyDir' | 'persistentVolumeClaim' | 'other'; readonly volume: string }
  | { readonly from: 'none' };

/** Follows a path through the container's volume mounts to the ConfigMap or Secret key behind it. */
export function resolveFile(workload: Workload, container: Container, path: string): FileSource {
  let best: { mountPath: string; volume: string; subPath?: string } | undefined;
  for (const item of asArray(container.raw.volumeMounts)) {
    const mount = asRecord(item);
    const mountPath = asString(mount?.mountPath)?.replace(/\/+$/, '');
    const volume = asString(mount?.name);
    if (mountPath === undefined || !volume) continue;
    if (path === mountPath || path.startsWith(`${mountPath}/`)) {
      if (!best || mountPath.length > best.mountPath.length) best = { mountPath, volume, subPath: asString(mount?.subPath) };
    }
  }
  if (!best) return { from: 'none' };
  const rel = path === best.mountPath ? (best.subPath ?? '') : posix.join(best.subPath ?? '', path.slice(best.mountPath.length + 1));
  const volume = asArray(workload.podSpec.volumes)
    .map(asRecord)
    .find((v) => v?.name === best!.volume);
  if (!volume) {
    if (workload.claimTemplates.includes(best.volume)) return { from: 'persistentVolumeClaim', volume: best.volume };
    return { from: 'other', volume: best.volume };
  }
  const keyFor = (items: unknown): string => {
    for (const item of asArray(items)) {
      const i = asRecord(item);
      if (i && i.path === rel) return String(i.key);
    }
    return rel;
  };
  const configMap = asRecord(volume.configMap);
  if (configMap)
    return { from: 'configMap', name: String(configMap.name), key: keyFor(configMap.items), optional: configMap.optional === true };
  const secret = asRecord(volume.secret);
  if (secret) return { from: 'secret', name: String(secret.secretName), key: keyFor(secret.items), optional: secret.optional === true };
  const projected = asRecord(volume.projected);
  if (projected) {
    for (const source of asArray(projected.sources)) {
      const s = asRecord(source);
      const cm = asRecord(s?.configMap);
      const sec = asRecord(s?.secret);
      const inner = cm ?? sec;
      if (!inner) continue;
      const items = asArray(inner.items);
      const key = items.length ? items.map(asRecord).find((i) => i?.path === rel)?.key : rel;
      if (key !== undefined)
        return { from: cm ? 'configMap' : 'secret', name: String(inner.name), key: String(key), optional: inner.optional === true };
    }
  }
  if (volume.emptyDir !== undefined) return { from: 'emptyDir', volume: best.volume };
  if (volume.persistentVolumeClaim !== undefined) return { from: 'persistentVolumeClaim', volume: best.volume };
  return { from: 'other', volume: best.volume };
}

/** What the input shows about a Secret: the keys it will have and the values that are visible. */
export interface SecretView {
  readonly kind: 'Secret' | 'ExternalSecret' | 'SealedSecret';
  readonly input: InputObject;
  /** Undefined when the keys cannot be known (ExternalSecret dataFrom). */
  readonly keys?: ReadonlySet<string>;
  /** Plain values visible in the input (Secret data/stringData, ExternalSecret/SealedSecret templates). */
  readonly values: ReadonlyMap<string, string>;
}

function decodeBase64(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}

/** Every object of one rendered set, indexed once: by kind, by name, workloads and their containers. */
export class Index {
  readonly inputs: readonly InputObject[];
  readonly workloads: Workload[] = [];
  private readonly byKind = new Map<string, InputObject[]>();
  private readonly byKey = new Map<string, InputObject[]>();
  private readonly workloadByInput = new Map<InputObject, Workload>();
  private secretViews?: Map<string, SecretView[]>;
  private readonly parsedCache = new Map<string, unknown>();

  constructor(inputs: readonly InputObject[]) {
    this.inputs = inputs;
    for (const input of inputs) {
      const { kind, metadata } = input.object;
      const list = this.byKind.get(kind) ?? [];
      list.push(input);
      this.byKind.set(kind, list);
      const key = `${kind}/${metadata.name}`;
      const named = this.byKey.get(key) ?? [];
      named.push(input);
      this.byKey.set(key, named);
      const workload = buildWorkload(input);
      if (workload) {
        this.workloads.push(workload);
        this.workloadByInput.set(input, workload);
      }
    }
  }

  ofKind(kind: string): readonly InputObject[] {
    return this.byKind.get(kind) ?? [];
  }

  /** An object by kind, namespace (unknown matches any) and name. */
  find(kind: string, namespace: string | undefined, name: string): InputObject | undefined {
    return (this.byKey.get(`${kind}/${name}`) ?? []).find((i) => sameNamespace(i.object.metadata.namespace, namespace));
  }

  workloadOf(input: InputObject): Workload | undefined {
    return this.workloadByInput.get(input);
  }

  /**
   * The Thanos containers of the workload `input` is, with that workload: those running one of
   * `subcommands`, or every Thanos container when none is given. Empty for a non-workload.
   */
  thanosContainersOf(
    input: InputObject,
    ...subcommands: string[]
  ): { workload: Workload; container: Container & { readonly thanos: string } }[] {
    const workload = this.workloadOf(input);
    if (!workload) return [];
    return workload.containers
      .filter(
        (container): container is Container & { readonly thanos: string } =>
          !!container.thanos && (subcommands.length === 0 || subcommands.includes(container.thanos)),
      )
      .map((container) => ({ workload, container }));
  }

  /** Every Thanos container with its workload, optionally of one subcommand. */
  thanos(subcommand?: string): { workload: Workload; container: Container }[] {
    const out: { workload: Workload; container: Container }[] = [];
    for (const workload of this.workloads) {
      for (const container of workload.containers) {
        if (container.thanos && (!subcommand || container.thanos === subcommand)) out.push({ workload, container });
      }
    }
    return out;
  }

  /** A ConfigMap's key (data or binaryData decoded); undefined when the ConfigMap or key is not in the input. */
  configMapValue(namespace: string | undefined, name: string, key: string): { found: 'object' | 'key' | 'none'; value?: string } {
    const cm = this.find('ConfigMap', namespace, name);
    if (!cm) return { found: 'none' };
    const data = asRecord(cm.object.data);
    if (data && typeof data[key] === 'string') return { found: 'key', value: data[key] as string };
    const binary = asRecord(cm.object.binaryData);
    if (binary && typeof binary[key] === 'string') return { found: 'key', value: decodeBase64(binary[key] as string) };
    return { found: 'object' };
  }

  /** The text of a file a container reads, when it comes from a ConfigMap or a visible Secret in the input. */
  fileText(workload: Workload, container: Container, path: string): { source: FileSource; text?: string; problem?: string } {
    const source = resolveFile(workload, container, path);
    if (source.from === 'configMap') {
      const found = this.configMapValue(workload.namespace, source.name, source.key);
      if (found.found === 'none') return { source, problem: `ConfigMap ${source.name} (mounted for ${path}) is not in the input` };
      if (found.found === 'object') return { source, problem: `ConfigMap ${source.name} has no key ${source.key} (for ${path})` };
      return { source, text: found.value };
    }
    if (source.from === 'secret') {
      const view = this.secret(workload.namespace, source.name);
      const value = view?.values.get(source.key);
      if (value !== undefined) return { source, text: value };
      return { source, problem: `the contents of Secret ${source.name} key ${source.key} (for ${path}) are not visible in the input` };
    }
    if (source.from === 'none') return { source, problem: `no volume is mounted at ${path} in container ${container.name}` };
    return { source, problem: `${path} is on ${source.from} volume ${'volume' in source ? source.volume : ''}, not a ConfigMap or Secret` };
  }

  /** Parses YAML/JSON text once per run, by content. */
  parsed(text: string, parse: (text: string) => unknown): unknown {
    if (!this.parsedCache.has(text)) {
      let value: unknown;
      try {
        value = parse(text);
      } catch {
        value = undefined;
      }
      this.parsedCache.set(text, value);
    }
    return this.parsedCache.get(text);
  }

  /** What makes Secret <name>: the Secret itself, an ExternalSecret targeting it, or a SealedSecret. */
  secret(namespace: string | undefined, name: string): SecretView | undefined {
    return this.secretViewsByName()
      .get(name)
      ?.find((v) => sameNamespace(v.input.object.metadata.namespace, namespace));
  }

  private secretViewsByName(): Map<string, SecretView[]> {
    if (this.secretViews) return this.secretViews;
    const views = new Map<string, SecretView[]>();
    const add = (name: string, view: SecretView) => views.set(name, [...(views.get(name) ?? []), view]);
    for (const input of this.ofKind('Secret')) {
      const values = new Map<string, string>();
      for (const [k, v] of Object.entries(asRecord(input.object.data) ?? {})) if (typeof v === 'string') values.set(k, decodeBase64(v));
      for (const [k, v] of Object.entries(asRecord(input.object.stringData) ?? {})) if (typeof v === 'string') values.set(k, v);
      add(input.object.metadata.name, { kind: 'Secret', input, keys: new Set(values.keys()), values });
    }
    for (const input of this.ofKind('ExternalSecret')) {
      const spec = asRecord(input.object.spec);
      const target = asRecord(spec?.target);
      const template = asRecord(target?.template);
      const values = new Map<string, string>();
      for (const [k, v] of Object.entries(asRecord(template?.data) ?? {})) if (typeof v === 'string') values.set(k, v);
      const keys = new Set<string>(values.keys());
      for (const d of asArray(spec?.data)) {
        const key = asString(asRecord(d)?.secretKey);
        if (key && !template?.data) keys.add(key);
      }
      const unknownKeys = asArray(spec?.dataFrom).length > 0 && !template?.data;
      add(asString(target?.name) ?? input.object.metadata.name, {
        kind: 'ExternalSecret',
        input,
        keys: unknownKeys ? undefined : keys,
        values,
      });
    }
    for (const input of this.ofKind('SealedSecret')) {
      const spec = asRecord(input.object.spec);
      const template = asRecord(spec?.template);
      const values = new Map<string, string>();
      for (const [k, v] of Object.entries(asRecord(template?.data) ?? {})) if (typeof v === 'string') values.set(k, v);
      const keys = new Set<string>([...Object.keys(asRecord(spec?.encryptedData) ?? {}), ...values.keys()]);
      add(asString(asRecord(template?.metadata)?.name) ?? input.object.metadata.name, { kind: 'SealedSecret', input, keys, values });
    }
    this.secretViews = views;
    return views;
  }
}
