import providers from '../../core/reference/objstore-providers.json' with { type: 'json' };
import strictness from '../../core/reference/objstore-strict-by-version.json' with { type: 'json' };
import { PROFILE_LABEL } from '../../core/labels.js';
import { endpointProblems } from '../../core/objstore-endpoint.js';
import { didYouMean } from '../../core/suggest.js';
import { isModelDurationSyntax, parseModelDuration } from '../../core/units/duration.js';
import { minor, releaseFor, releaseInRanges, THANOS_RELEASES } from '../../core/thanos/flags.js';
import { imageRelease } from '../lib/images.js';
import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { asRecord, type Index, type Workload } from '../lib/model.js';
import { bucketIdentity, describeRef, objstoreKey, objstoreOf, parseObjstore, yamlIn, type ObjstoreRef } from '../lib/thanos.js';
import type { Diagnostic, Policy } from '../lib/types.js';

const PROVIDERS = providers as Record<string, { required: string[]; keys: string[] }>;
/** Components that cannot run without object storage; the others use it when configured. */
const REQUIRED = new Set(['store', 'compact']);
const USES = new Set(['store', 'compact', 'sidecar', 'rule', 'receive', 'tools']);

const majorityCache = new WeakMap<Index, Map<string, { key: string; name: string; count: number; users: string[] }[]>>();

/**
 * The object storage configs referenced in one namespace of the set, most used first. Each namespace
 * is its own stack: two stacks on their own buckets are not "components on different storage".
 */
function configsInUse(index: Index, namespace: string | undefined): { key: string; name: string; count: number; users: string[] }[] {
  let byNamespace = majorityCache.get(index);
  if (!byNamespace) {
    byNamespace = new Map();
    majorityCache.set(index, byNamespace);
  }
  let list = byNamespace.get(namespace ?? '');
  if (!list) {
    const counts = new Map<string, { key: string; name: string; count: number; users: string[] }>();
    for (const { workload, container } of index.thanos()) {
      if ((workload.namespace ?? '') !== (namespace ?? '')) continue;
      const ref = objstoreOf(index, workload, container);
      const key = ref ? storageKey(index, workload, ref) : undefined;
      if (!ref || !key) continue;
      const entry = counts.get(key) ?? { key, name: distinctRef(index, ref), count: 0, users: [] };
      entry.count++;
      const who = `${workload.kind} ${workload.name}`;
      if (!entry.users.includes(who)) entry.users.push(who);
      counts.set(key, entry);
    }
    list = [...counts.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
    byNamespace.set(namespace ?? '', list);
  }
  return list;
}

/**
 * What makes two components "on the same storage": the bucket their configs name when visible
 * (two texts or two Secrets naming one bucket are one store), else the Secret/ConfigMap key or the
 * inline text. Undefined where nothing is known (a file written by an injector): not compared.
 */
function storageKey(index: Index, workload: Workload, ref: ObjstoreRef): string | undefined {
  const key = objstoreKey(workload, ref);
  if (key.startsWith('unresolved:')) return undefined;
  const bucket = bucketIdentity(index, ref, workload.namespace);
  return bucket ? `bucket:${bucket}` : key;
}

/** How a config reference is shown where two are compared: an inline config by the bucket it names, so two different ones never read alike. */
function distinctRef(index: Index, ref: ObjstoreRef): string {
  if (!ref.inline) return describeRef(ref);
  const bucket = bucketIdentity(index, ref);
  return `${describeRef(ref)} (${bucket ?? `${(ref.text ?? '').replace(/\s+/g, ' ').slice(0, 40)}...`})`;
}

/** A workload's namespace is dev when the input's Namespace object says so; unknown counts as not dev. */
function inDev(index: Index, namespace: string | undefined): boolean {
  if (!namespace) return false;
  return index.find('Namespace', undefined, namespace)?.object.metadata.labels?.[PROFILE_LABEL] === 'dev';
}

type Strictness = 'strict' | 'lenient' | 'absent';
/** Per release: whether the wrapper and each provider config are parsed with yaml.UnmarshalStrict (scripts/read-objstore-strictness.mjs). */
const STRICT = strictness.releases as Record<string, { objstore: string; wrapper: Strictness; providers: Record<string, Strictness> }>;
/** `wrapper` and each provider type -> yaml key -> the releases that have it. */
const KEYS = strictness.keys as unknown as Record<string, Record<string, [string, string][]>>;
/** The Go package of each provider's Config struct, as yaml.v2 names it in "field x not found in type s3.Config". */
const PACKAGE: Record<string, string> = { ALIYUNOSS: 'oss' };

function keysAt(scope: string, release: string): string[] {
  return Object.entries(KEYS[scope] ?? {})
    .filter(([, runs]) => releaseInRanges(runs, release))
    .map(([key]) => key);
}

/** " (first in v0.37)" when a later release has the key: the config was written for a newer Thanos. */
function firstIn(scope: string, key: string, release: string): string {
  const from = KEYS[scope]?.[key]?.map(([f]) => f).find((f) => THANOS_RELEASES.indexOf(f) > THANOS_RELEASES.indexOf(release));
  return from ? ` (${key} first appears in ${minor(from)})` : '';
}

/**
 * The keys of one objstore document as the release reads them. The wrapper (type/config/prefix,
 * objstore client/factory.go:30-41) is strict in every release, and so are S3, Swift, Azure (from
 * v0.22), OBS and GCS (from v0.35): an unknown or misplaced key makes the process exit. COS, OSS, BOS,
 * OCI and FILESYSTEM use yaml.Unmarshal and ignore it: the setting silently has no effect.
 */
function keyProblems(
  doc: Record<string, unknown>,
  type: string,
  config: Record<string, unknown>,
  who: string,
  release: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = STRICT[release];
  const exits = `${who} ${minor(release)} exits at start`;
  const wrapperKeys = keysAt('wrapper', release);
  const providerKeys = keysAt(type, release);
  for (const key of Object.keys(doc).filter((k) => !wrapperKeys.includes(k))) {
    // docs/components/store.md:619-641 (v0.42.4) puts hedging_config in this file, and Store reads it from there
    // (T@v0.42.4:cmd/thanos/store.go:327-330), but then hands the same bytes to the strict wrapper (:331;
    // objstore@71d60df client/factory.go:30-42, the objstore v0.42.4's go.mod pins), which has no such field.
    const where =
      key === 'hedging_config' && who.endsWith('store')
        ? `; thanos store reads hedging_config from this file first (cmd/thanos/store.go:327-331@v0.42.4), as docs/components/store.md:619-641 says, but the wrapper it then parses the same file with refuses it: remove it`
        : providerKeys.includes(key)
          ? `; ${key} is a ${type} setting: move it under config:`
          : `${firstIn('wrapper', key, release)}${didYouMean(key, wrapperKeys)}`;
    out.push({
      message: `${exits}: the objstore config has a top-level key ${key}, and the wrapper takes only ${wrapperKeys.join(', ')} (yaml.UnmarshalStrict: "field ${key} not found in type client.BucketConfig")${where}`,
    });
  }
  const pkg = PACKAGE[type] ?? type.toLowerCase();
  const unknown = Object.keys(config).filter((k) => !providerKeys.includes(k));
  for (const key of unknown) {
    const hint = `${firstIn(type, key, release)}${didYouMean(key, providerKeys)}`;
    if (at?.providers[type] === 'strict')
      out.push({
        message: `${exits}: objstore ${type} config has the key ${key}, which ${pkg}.Config does not have; ${type} configs are parsed strictly ("field ${key} not found in type ${pkg}.Config")${hint}`,
      });
    else
      out.push({
        message: `objstore ${type} config key ${key} has no effect: ${who} ${minor(release)} reads ${type} configs leniently (yaml.Unmarshal) and ignores keys ${pkg}.Config does not have${hint}`,
        severity: 'warning',
      });
  }
  return out;
}

/**
 * The timeouts of a provider's `http_config` are prometheus `model.Duration`s in every release (objstore@71d60dfee488
 * exthttp/transport.go:26-31; T@v0.20.2:pkg/objstore/s3/s3.go:106-111 before the split), read by model.ParseDuration
 * (prometheus/common v0.67.5 model/time.go:205-247: whole numbers of y, w, d, h, m, s, ms in that order, a bare 0). A
 * value it refuses fails the unmarshal, lenient or strict, and the process exits: `1.5m` or `90` where `90s` was meant.
 */
const HTTP_CONFIG_DURATIONS = ['idle_conn_timeout', 'response_header_timeout', 'tls_handshake_timeout', 'expect_continue_timeout'];

function httpConfigProblems(type: string, config: Record<string, unknown>, who: string, release: string): Diagnostic[] {
  const http = asRecord(config.http_config);
  if (!http) return [];
  const out: Diagnostic[] = [];
  for (const key of HTTP_CONFIG_DURATIONS) {
    const value = http[key];
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const text = String(value);
    if (text.includes('$(') || parseModelDuration(text) !== undefined) continue;
    const why = isModelDurationSyntax(text)
      ? 'is longer than a duration holds (about 292 years)'
      : 'is not a duration model.ParseDuration reads (whole numbers of y, w, d, h, m, s, ms in that order, such as 90s, 1m30s or 2m; no fractions, a unit on every number)';
    out.push({
      message: `${who} ${minor(release)} exits at start: objstore ${type} config http_config.${key}: ${text} ${why}; write e.g. 90s`,
    });
  }
  return out;
}

/**
 * `dev`: the config belongs to a dev environment, where plain HTTP to an in-cluster store is allowed.
 * `who` and `release`: the process that reads it ("thanos store") and the reference release its image runs.
 */
function checkObjstoreText(index: Index, text: string, dev: boolean, who: string, release: string): Diagnostic[] {
  const doc = yamlIn(index, text);
  const parsed = parseObjstore(index, text);
  if (!parsed) return [{ message: doc === undefined ? 'the objstore config is not valid YAML' : 'the objstore config has no `type`' }];
  const provider = PROVIDERS[parsed.type];
  if (!provider) return [{ message: `objstore type ${parsed.type} is not one Thanos knows (${Object.keys(PROVIDERS).join(', ')})` }];
  if (STRICT[release]?.providers[parsed.type] === 'absent') {
    const first = THANOS_RELEASES.find((r) => STRICT[r].providers[parsed.type] !== 'absent');
    return [
      {
        message: `${who} ${minor(release)} exits at start: it has no objstore type ${parsed.type} ("bucket with type ${parsed.type} is not supported"); ${parsed.type} first appears in ${first ? minor(first) : 'a later release'}`,
      },
    ];
  }
  const out: Diagnostic[] = [];
  const missing = provider.required.filter((k) => parsed.config[k] === undefined || parsed.config[k] === '');
  if (missing.length) out.push({ message: `objstore ${parsed.type} config lacks the required ${missing.join(', ')}` });
  out.push(...keyProblems(asRecord(doc) ?? {}, parsed.type, parsed.config, who, release));
  out.push(...httpConfigProblems(parsed.type, parsed.config, who, release));
  if (!dev)
    for (const problem of endpointProblems(parsed.type, parsed.config))
      out.push({ message: `${problem.message} (plain HTTP is allowed only in a Namespace labelled ${PROFILE_LABEL}: dev)` });
  if (parsed.type === 'FILESYSTEM')
    out.push({ message: 'objstore type FILESYSTEM is for tests only: each pod sees its own disk', severity: 'warning' });
  return out;
}

/**
 * Same storage: the same Secret and key, or configs naming the same bucket; a config file the input cannot
 * see is not compared. Store and compact must have one. The Secret is in the input (or the ExternalSecret /
 * SealedSecret that makes it), with the key mounted; when it is absent that is an error if the input makes
 * other Secrets (a wrong name), else a warning (it is made outside this input, as for the base). Where the
 * config is visible (a plain Secret, an ExternalSecret or SealedSecret template, an inline flag), its
 * provider type is known and its required keys are present, its keys are ones the image's release reads
 * (an error for the wrapper and for S3, Swift, Azure from v0.22, GCS from v0.35 and OBS, which are parsed
 * strictly; a warning for COS, OSS, BOS, OCI and FILESYSTEM, which ignore them), and outside dev (a Namespace labelled
 * thanos-ha.dev/profile: dev) it is encrypted: no http:// endpoint or auth_url, no OSS endpoint without a
 * scheme (the OSS SDK then speaks HTTP), no S3 `insecure: true`.
 */
export const objstoreConfig: Policy = {
  id: 'objstore-config',
  severity: 'error',
  description:
    'The Thanos components of one namespace use the same object storage, its Secret is in the input, and a visible config is complete, has only keys and value types its release (and an `--upgrade-to` target) reads (strict: error; ignored: warning) and, outside dev, is encrypted.',
  remediation:
    'Mount one Secret (e.g. thanos-objstore, key objstore.yml) into every component and pass --objstore.config-file; make the Secret with an ExternalSecret or SealedSecret, with a known type and its required keys; give OSS and COS endpoints and the Swift auth_url as https:// URLs and S3 a host[:port] endpoint with insecure: false.',
  kinds: WORKLOAD_KINDS,
  check({ input, index, settings }) {
    const out: Diagnostic[] = [];
    const upgrade = settings.upgradeTo ? releaseFor(settings.upgradeTo) : undefined;
    for (const { workload, container: c } of index.thanosContainersOf(input, ...USES)) {
      const ref = objstoreOf(index, workload, c);
      if (!ref) {
        if (REQUIRED.has(c.thanos))
          out.push({
            message: `container ${c.name}: thanos ${c.thanos} needs object storage but has no --objstore.config-file or --objstore.config`,
          });
        continue;
      }
      const configs = configsInUse(index, workload.namespace);
      const mine = storageKey(index, workload, ref);
      // configs counts this container too, so when it is defined and not the first there are at least two.
      if (mine && configs[0].key !== mine) {
        const others =
          configs[0].users.length > 3
            ? `${configs[0].users.slice(0, 3).join(', ')} and ${configs[0].users.length - 3} more`
            : configs[0].users.join(', ');
        const name = distinctRef(index, ref);
        // Two configs that read alike (the same shortened text) are still two: never print one value as "different" from itself.
        const theirs = name === configs[0].name ? `a different ${name.replace(/^an? /, '')}` : configs[0].name;
        out.push({
          message: `container ${c.name}: uses ${name}, but ${others} use ${theirs}; components on different storage do not see each other's blocks`,
        });
      }
      const s = ref.source;
      if (s?.from === 'secret') {
        const view = index.secret(workload.namespace, s.name);
        if (!view) {
          // When the input makes Secrets of its own, a missing one is most likely a wrong name;
          // when it makes none (the base, a hand-written app), they are made outside it.
          const managesSecrets = ['Secret', 'ExternalSecret', 'SealedSecret'].some((k) => index.ofKind(k).length > 0);
          if (!s.optional) {
            out.push({
              message: `container ${c.name}: Secret ${s.name} is not in the input (no Secret, ExternalSecret or SealedSecret makes it)${managesSecrets ? ', though the input makes other Secrets: is the name wrong?' : '; it must exist in the cluster before the pods start'}`,
              severity: managesSecrets ? 'error' : 'warning',
            });
          }
        } else if (view.keys && !view.keys.has(s.key)) {
          out.push({
            message: `container ${c.name}: ${view.kind} ${view.input.object.metadata.name} makes Secret ${s.name} without the key ${s.key} (it has ${[...view.keys].join(', ') || 'no keys'})`,
          });
        }
      } else if (ref.problem && !ref.inline && s?.from !== 'configMap') {
        out.push({ message: `container ${c.name}: ${ref.problem}`, severity: 'warning' });
      } else if (ref.problem && s?.from === 'configMap') {
        out.push({ message: `container ${c.name}: ${ref.problem}` });
      }
      // Templated (ExternalSecret): type, required keys and endpoint are checked; yamlIn reads template values as 'templated'.
      const text = ref.text;
      if (text === undefined) continue;
      const release = imageRelease(c.image).release;
      const dev = inDev(index, workload.namespace);
      const now = checkObjstoreText(index, text, dev, `thanos ${c.thanos}`, release);
      for (const d of now) out.push({ ...d, message: `container ${c.name}: ${d.message}` });
      // check --upgrade-to: what the target release parses differently (a key S3 lacks there, GCS strict from v0.35).
      if (upgrade && upgrade.state !== 'unknown' && upgrade.release !== release) {
        const plain = (d: Diagnostic) => d.message.replaceAll(minor(release), '@').replaceAll(minor(upgrade.release), '@');
        const known = new Set(now.map(plain));
        for (const d of checkObjstoreText(index, text, dev, `thanos ${c.thanos}`, upgrade.release))
          if (!known.has(plain(d))) out.push({ ...d, message: `container ${c.name}: upgrading to ${settings.upgradeTo}: ${d.message}` });
      }
    }
    return out;
  },
};
