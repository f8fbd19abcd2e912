import { asRecord, isPerPodValue, type Container, type FileSource, type Index, type Workload } from './model.js';
import { readYamlValue } from './yaml-read.js';

/** Reads YAML once per distinct text in a set. */
export function yamlIn(index: Index, text: string): unknown {
  // Templates ({{ .x | toJson }} in an ExternalSecret) are not YAML; read them as plain values.
  // js-yaml: several times faster than the yaml package on large rule files and configs, and these
  // texts need values, not positions.
  return index.parsed(text, (t) => readYamlValue(t.replace(/\{\{[^}]*\}\}/g, 'templated')));
}

export interface ObjstoreRef {
  /** Where the config comes from: a Secret/ConfigMap key through a mount, or inline. */
  readonly source?: FileSource;
  readonly inline?: boolean;
  /** The config text when visible. */
  readonly text?: string;
  /** Why the config is not visible. */
  readonly problem?: string;
  readonly flag: string;
}

/** The object storage configuration a Thanos container reads, if it names one. */
export function objstoreOf(index: Index, workload: Workload, container: Container): ObjstoreRef | undefined {
  const inline = container.flags.get('--objstore.config');
  if (inline !== undefined) {
    // `--objstore.config=$(OBJSTORE_CONFIG)` with the variable from a Secret key (kube-thanos style).
    const variable = /^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(inline.trim());
    const ref = variable ? container.env.get(variable[1])?.ref : undefined;
    if (ref) {
      const source: FileSource = { from: ref.from, name: ref.name, key: ref.key, optional: ref.optional };
      if (ref.from === 'secret') {
        const text = index.secret(workload.namespace, ref.name)?.values.get(ref.key);
        return {
          source,
          text,
          problem: text === undefined ? `the contents of Secret ${ref.name} key ${ref.key} are not visible in the input` : undefined,
          flag: '--objstore.config',
        };
      }
      const found = index.configMapValue(workload.namespace, ref.name, ref.key);
      return {
        source,
        text: found.value,
        problem: found.found === 'key' ? undefined : `ConfigMap ${ref.name} key ${ref.key} is not in the input`,
        flag: '--objstore.config',
      };
    }
    return { inline: true, text: inline, flag: '--objstore.config' };
  }
  const file = container.flags.get('--objstore.config-file');
  if (file === undefined) return undefined;
  const { source, text, problem } = index.fileText(workload, container, file);
  return { source, text, problem, flag: '--objstore.config-file' };
}

export interface ObjstoreConfig {
  readonly type: string;
  readonly config: Record<string, unknown>;
  /** The top-level `prefix`: every object key starts with it, so two prefixes are two block stores. */
  readonly prefix: string;
}

export function parseObjstore(index: Index, text: string): ObjstoreConfig | undefined {
  const doc = asRecord(yamlIn(index, text));
  if (!doc || typeof doc.type !== 'string') return undefined;
  const prefix = typeof doc.prefix === 'string' ? doc.prefix.replace(/^\/+|\/+$/g, '') : '';
  return { type: doc.type.toUpperCase(), config: asRecord(doc.config) ?? {}, prefix };
}

/** "S3 bucket@endpoint" (and " prefix p" with one) when the config is visible enough to say which bucket it is. */
export function bucketIdentity(index: Index, ref: ObjstoreRef | undefined, namespace?: string): string | undefined {
  if (!ref?.text) return undefined;
  const parsed = parseObjstore(index, ref.text);
  if (!parsed) return undefined;
  const c = parsed.config;
  const bucket = c.bucket ?? c.container ?? c.container_name ?? c.directory;
  // A templated bucket (`{{ .bucket }}`, read as "templated") is unknown until rendered.
  if (typeof bucket !== 'string' || bucket.includes('{{') || (bucket.includes('templated') && ref.text.includes('{{'))) return undefined;
  let where = String(c.endpoint ?? c.storage_account ?? c.auth_url ?? c.region ?? '');
  // An in-cluster endpoint by short Service name (minio:9000) is a different server in each namespace.
  const host = where.replace(/^[a-z]+:\/\//, '').split(/[:/]/)[0];
  if (host && !host.includes('.') && namespace) where = where.replace(host, `${host}.${namespace}`);
  return `${parsed.type} ${bucket}${where ? `@${String(where)}` : ''}${parsed.prefix ? ` prefix ${parsed.prefix}` : ''}`;
}

/** A key for "the same config": the Secret/ConfigMap and key, or the inline text. */
export function objstoreKey(workload: Workload, ref: ObjstoreRef): string {
  if (ref.inline) return `inline:${ref.text}`;
  const s = ref.source;
  if (s && (s.from === 'secret' || s.from === 'configMap')) return `${s.from}:${workload.namespace ?? ''}/${s.name}#${s.key}`;
  return `unresolved:${workload.kind}/${workload.name}`;
}

export function describeRef(ref: ObjstoreRef): string {
  if (ref.inline) return 'an inline --objstore.config';
  const s = ref.source;
  if (s && (s.from === 'secret' || s.from === 'configMap')) return `${s.from === 'secret' ? 'Secret' : 'ConfigMap'} ${s.name} key ${s.key}`;
  return `${ref.flag} (not from a Secret)`;
}

/**
 * The Prometheus server container of a workload: a Prometheus image that is not Thanos. Besides
 * `prometheus` itself, a mirror's or vendor's repository that ends in it (`mirrored-prometheus-prometheus`,
 * `ose-prometheus-rhel9`). Not an image that merely has prometheus in its name: the scrape targets of the
 * prometheus-operator and kube-prometheus examples (`quay.io/brancz/prometheus-example-app`,
 * `quay.io/fabxc/prometheus_demo_service`) are apps on port 8080, and neither are the operator, its config
 * reloader, the adapter, the pushgateway or the exporters.
 */
export function prometheusContainer(workload: Workload): Container | undefined {
  const repo = (image: string) =>
    image
      .split('@')[0]
      .replace(/:[^/:]*$/, '')
      .split('/')
      .pop() ?? '';
  const candidates = workload.containers.filter((c) => !c.init && !c.thanos);
  return (
    candidates.find((c) => repo(c.image) === 'prometheus') ?? candidates.find((c) => /(^|[-_])prometheus(-rhel\d+)?$/i.test(repo(c.image)))
  );
}

export function sidecarOf(workload: Workload): Container | undefined {
  return workload.containers.find((c) => c.thanos === 'sidecar');
}

export interface ExternalLabels {
  readonly labels?: Record<string, string>;
  /** Label names whose value differs per pod ($(POD_NAME), ${HOSTNAME}...). */
  readonly perPod: string[];
  /** Why the labels are not visible. */
  readonly problem?: string;
  /** Where they were read. */
  readonly from?: string;
}

/**
 * Prometheus external labels, found as the sidecar finds them: the config template the sidecar's
 * reloader renders (--reloader.config-file), else the server's --config.file, each through its mount.
 */
export function externalLabelsOf(index: Index, workload: Workload): ExternalLabels {
  const sidecar = sidecarOf(workload);
  const server = prometheusContainer(workload);
  const candidates: { container: Container; path: string; substituter: Container }[] = [];
  const reloader = sidecar?.flags.get('--reloader.config-file');
  if (sidecar && reloader) candidates.push({ container: sidecar, path: reloader, substituter: sidecar });
  const configFile = server?.flags.get('--config.file');
  // Without a sidecar (a Prometheus agent), a config reloader may render the file from a template.
  const rendering = server ? configRendererOf(workload, configFile) : undefined;
  if (!sidecar && rendering)
    candidates.push({ container: rendering.container, path: rendering.template, substituter: rendering.container });
  if (server) candidates.push({ container: server, path: configFile ?? '/etc/prometheus/prometheus.yml', substituter: sidecar ?? server });
  const problems: string[] = [];
  for (const { container, path, substituter } of candidates) {
    const { text, problem } = index.fileText(workload, container, path);
    if (text === undefined) {
      problems.push(problem ?? `cannot read ${path}`);
      continue;
    }
    const doc = asRecord(yamlIn(index, text));
    if (!doc) return { perPod: [], problem: `${path} is not a YAML mapping`, from: path };
    const raw = asRecord(asRecord(doc.global)?.external_labels) ?? {};
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) labels[k] = String(v);
    // The init container or reloader substitutes with its own environment; any of the pod's
    // containers defining the var from metadata.name makes the label per-pod.
    const perPod = Object.entries(labels)
      .filter(([, v]) => isPerPodValue(v, substituter) || workload.containers.some((c) => isPerPodValue(v, c)))
      .map(([k]) => k);
    return { labels, perPod, from: path };
  }
  return { perPod: [], problem: problems.length ? problems.join('; ') : 'no Prometheus config file found' };
}

/**
 * A container that writes Prometheus' config file from a template (prometheus-config-reloader's
 * --config-file and --config-envsubst-file): the template is what the config says.
 */
export function configRendererOf(
  workload: Workload,
  configFile: string | undefined,
): { container: Container; template: string } | undefined {
  if (!configFile) return undefined;
  for (const container of workload.containers) {
    const template = container.flags.get('--config-file');
    if (template && container.flags.get('--config-envsubst-file') === configFile) return { container, template };
  }
  return undefined;
}

/** `--label=name="value"` flags (ruler, receive) as name -> value. */
export function labelFlags(container: Container): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of container.flags.values('--label')) {
    const eq = raw.indexOf('=');
    if (eq <= 0) continue;
    out[raw.slice(0, eq).trim()] = raw
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .replace(/^'(.*)'$/, '$1');
  }
  return out;
}

/**
 * Thanos Receive's mode, as cmd/thanos/receive.go determineMode reads its flags: a hashring and no
 * local endpoint routes only (it stores nothing), no hashring ingests only, both do both.
 */
export function receiveMode(container: Container): 'router' | 'ingestor' | 'router-ingestor' {
  const hashring = !!container.flags.get('--receive.hashrings') || !!container.flags.get('--receive.hashrings-file');
  const local = !!container.flags.get('--receive.local-endpoint');
  return hashring ? (local ? 'router-ingestor' : 'router') : 'ingestor';
}

/** Label names set by a producer whose value is per pod. */
export function perPodLabelFlags(container: Container): string[] {
  return Object.entries(labelFlags(container))
    .filter(([, v]) => isPerPodValue(v, container))
    .map(([k]) => k);
}

/**
 * The Prometheus server of a workload with the configuration it reads: the sidecar's template
 * (`--reloader.config-file`, which the sidecar renders for it) or else its own `--config.file`,
 * through the volume mounts. Undefined for a workload without Prometheus or a config in sight.
 */
export function prometheusConfigOf(
  index: Index,
  workload: Workload,
): { server: Container; path: string; text: string; reader: Container } | undefined {
  const server = prometheusContainer(workload);
  if (!server) return undefined;
  const sidecar = sidecarOf(workload);
  const template = sidecar?.flags.get('--reloader.config-file');
  const candidates: { reader: Container; path: string }[] = [];
  if (sidecar && template) candidates.push({ reader: sidecar, path: template });
  const configFile = server.flags.get('--config.file');
  const rendering = sidecar ? undefined : configRendererOf(workload, configFile);
  if (rendering) candidates.push({ reader: rendering.container, path: rendering.template });
  if (configFile) candidates.push({ reader: server, path: configFile });
  for (const { reader, path } of candidates) {
    const text = index.fileText(workload, reader, path).text;
    if (text !== undefined) return { server, path, text, reader };
  }
  return undefined;
}

/**
 * Thanos' router-only Receive: a hashring configured and no --receive.local-endpoint. It forwards
 * every write and keeps no TSDB, so it uploads no blocks and serves no data.
 */
export function isReceiveRouter(c: Container): boolean {
  return c.thanos === 'receive' && receiveMode(c) === 'router';
}
