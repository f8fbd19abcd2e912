import { EXTERNAL_CACHE_ANNOTATION } from '../../core/labels.js';
import { MEMCACHED_ITEM_MEMORY_SHARE } from '../../core/units/sizing.js';
import { parseBytes, parseQuantity } from '../../core/units/quantity.js';
import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { type CacheConfig, type CacheFlag, cacheConfigsOf, inMemorySizes, overHalfTheLimit } from '../lib/caches.js';
import { asArray, asRecord, mapSelects, sameNamespace, type Container, type Index, type Workload } from '../lib/model.js';
import { parseSrv } from '../lib/discovery.js';
import { hasPlaceholder } from '../lib/placeholders.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/** memcached's default port (`-p`). */
const MEMCACHED_PORT = 11211;
const MIB = 2 ** 20;

function isMemcached(c: Container): boolean {
  const repo =
    c.image
      .split('@')[0]
      .replace(/:[^/:]*$/, '')
      .split('/')
      .pop() ?? '';
  return repo === 'memcached';
}

/** A memcached option as `-m 1024`, `-m1024`, `--memory-limit=1024` or `--memory-limit 1024`. */
function memcachedOption(argv: readonly string[], short: string, long: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === short || arg === long) value = argv[i + 1];
    else if (arg.startsWith(`${long}=`)) value = arg.slice(long.length + 1);
    else if (arg.startsWith(short) && arg.length > short.length && !arg.startsWith('--')) value = arg.slice(short.length);
  }
  return value;
}

/** The port a memcached container listens on. */
function memcachedPort(c: Container): number {
  const port = Number(memcachedOption(c.argv, '-p', '--port'));
  return Number.isInteger(port) && port > 0 ? port : MEMCACHED_PORT;
}

interface Target {
  readonly service: string;
  readonly namespace?: string;
  /** The SRV port name (dnssrv+), or the port number (dns+ and plain host:port). */
  readonly portName?: string;
  readonly port?: number;
  readonly dnsSrv: boolean;
}

/** `dnssrv+_client._tcp.memcached.ns.svc...`, `dnssrvnoa+...`, `dns+memcached.ns.svc:11211`, `memcached:11211`: the Service named. */
function target(address: string, ownNamespace: string | undefined): Target | 'outside' | undefined {
  const srv = parseSrv(address, ownNamespace);
  if (srv) return { service: srv.service, namespace: srv.namespace, portName: srv.port, dnsSrv: true };
  const m = /^(?:dns\+)?([^:/\s]+)(?::(\d+))?$/.exec(address.trim());
  if (!m) return undefined;
  const host = m[1].replace(/\.$/, '');
  const inCluster = /\.svc(\.[a-z0-9.-]+)?$/.test(host) || !host.includes('.');
  const labels = host.replace(/\.svc(\.[a-z0-9.-]+)?$/, '').split('.');
  if (!inCluster && labels.length !== 2) return 'outside';
  const namespace = labels.length >= 2 ? labels[labels.length - 1] : ownNamespace;
  return {
    service: labels.length === 3 ? labels[1] : labels[0],
    namespace: namespace?.includes('$(') ? ownNamespace : namespace,
    port: m[2] ? Number(m[2]) : undefined,
    dnsSrv: false,
  };
}

/** Why an address does not reach memcached; a warning where the input cannot tell (not checked). */
type Verdict = { readonly message: string; readonly severity?: 'warning' } | undefined;

const resolved = new WeakMap<Index, Map<string, Verdict>>();

/** `resolves`, once per target per set: every shard of a Store names the same cache. */
function resolvesOnce(index: Index, t: Target): Verdict {
  let known = resolved.get(index);
  if (!known) {
    known = new Map();
    resolved.set(index, known);
  }
  const key = `${t.service}/${t.namespace ?? ''}/${t.portName ?? ''}/${t.port ?? ''}/${t.dnsSrv}`;
  if (!known.has(key)) known.set(key, resolves(index, t));
  return known.get(key);
}

/** Whether the input holds anything of a namespace: its Namespace, or an object placed in it. */
function holdsNamespace(index: Index, namespace: string): boolean {
  return index.find('Namespace', undefined, namespace) !== undefined || index.inputs.some((i) => i.object.metadata.namespace === namespace);
}

/** Whether the named Service leads to a memcached container's port; a reason when not. */
function resolves(index: Index, t: Target): Verdict {
  const svc = index.find('Service', t.namespace, t.service);
  if (!svc) {
    // memcached run by another team in a namespace of its own: the input cannot say, as for an address outside the cluster.
    if (t.namespace !== undefined && !holdsNamespace(index, t.namespace))
      return {
        message: `names Service ${t.service} in namespace ${t.namespace}, which the input does not hold; not checked (make sure it exists and leads to memcached)`,
        severity: 'warning',
      };
    return { message: `names Service ${t.service}${t.namespace ? ` in namespace ${t.namespace}` : ''}, which is not in the input` };
  }
  const spec = asRecord(svc.object.spec) ?? {};
  if (spec.type === 'ExternalName') {
    // Cluster DNS answers an ExternalName Service with a CNAME only: no SRV records, and no ports to check.
    if (t.dnsSrv)
      return {
        message: `Service ${t.service} is an ExternalName Service (${String(spec.externalName)}), which publishes only a CNAME and no SRV records: the lookup finds no server and the cache is never used. Address it as dns+${t.service}.${t.namespace ?? '<namespace>'}.svc.cluster.local:${MEMCACHED_PORT} (or memcached's own address)`,
      };
    return {
      message: `Service ${t.service} is an ExternalName Service for ${String(spec.externalName)}; the memcached behind it is not checked`,
      severity: 'warning',
    };
  }
  const ports = asArray(spec.ports)
    .map(asRecord)
    .filter((p): p is Record<string, unknown> => !!p);
  const port =
    t.portName !== undefined
      ? ports.find((p) => p.name === t.portName)
      : t.port !== undefined
        ? ports.find((p) => p.port === t.port)
        : ports[0];
  if (!port)
    return {
      message: `Service ${t.service} has no port ${t.portName !== undefined ? `named ${t.portName} (the SRV record _${t.portName}._tcp does not exist)` : String(t.port)}`,
    };
  const selector = asRecord(spec.selector);
  const pods = index.workloads.filter(
    (w) => sameNamespace(w.namespace, svc.object.metadata.namespace) && mapSelects(selector, w.podLabels),
  );
  const servers = pods.flatMap((w) => w.containers.filter(isMemcached));
  if (servers.length === 0)
    return {
      message: `Service ${t.service} selects no memcached pod${pods.length ? ` (it selects ${pods.map((w) => w.name).join(', ')})` : ''}`,
    };
  const targetPort = port.targetPort ?? port.port;
  const listening = servers.some((c) => {
    if (typeof targetPort === 'number') return memcachedPort(c) === targetPort;
    const declared = asArray(c.raw.ports)
      .map(asRecord)
      .find((p) => p?.name === targetPort);
    return declared !== undefined && declared.containerPort === memcachedPort(c);
  });
  if (!listening)
    return {
      message: `Service ${t.service} port ${String(port.name ?? port.port)} leads to ${String(targetPort)}, where memcached does not listen (it listens on ${memcachedPort(servers[0])})`,
    };
  // The client spreads keys over every server it resolves: behind a cluster IP it sees one.
  if (t.dnsSrv && spec.clusterIP !== 'None')
    return {
      message: `Service ${t.service} is not headless (clusterIP: None), so the SRV record names one cluster IP and the client hashes every key to whichever pod answers`,
    };
  return undefined;
}

/**
 * An address without a port (not an SRV name, which carries its port). Thanos' DNS resolver refuses `dns+host`
 * ("missing port in address given for dns lookup", pkg/discovery/dns/resolver.go:72-82 at v0.42.4) and a plain
 * host fails net.ResolveTCPAddr (pkg/cacheutil/memcached_server_selector.go:122-133). The Store's client then
 * resolves no server and is not created, so the process exits (pkg/cacheutil/memcached_client.go:369-371, :638-646);
 * Query Frontend's Cortex client only logs it and caches nothing (internal/cortex/chunk/cache/memcached_client.go:166-169).
 */
function portlessProblem(address: string, flag: CacheFlag): string | undefined {
  const m = /^(dns\+)?([^:/\s]+)$/.exec(address.trim());
  if (!m || address.trim().startsWith('dnssrv')) return undefined;
  const effect =
    flag.startsWith('--query-range') || flag.startsWith('--labels')
      ? "Query Frontend logs 'error setting memcache servers' and caches nothing"
      : 'the memcached client resolves no server and the process exits at start';
  const why = m[1] ? "Thanos' DNS lookup refuses an address without a port" : 'a host without a port is no TCP address to Go';
  return `has no port: ${why}, so ${effect}; write ${m[1] ?? ''}${m[2]}:${MEMCACHED_PORT}`;
}

function addressFindings(index: Index, workload: Workload, c: Container, cache: CacheConfig, declared: ReadonlySet<string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const raw of asArray(cache.config.addresses)) {
    const address = String(raw);
    const at = `container ${c.name} ${cache.flag} address ${address}`;
    if (declared.has(address)) {
      out.push({
        message: `${at}: an external cache declared for this overlay; not checked (make sure it is reachable from the namespace and sized for the load)`,
        severity: 'warning',
      });
      continue;
    }
    // Still a placeholder (kube-thanos' <MEMCACHED_SERVICE>): the placeholder rule says so, once.
    if (hasPlaceholder(address)) continue;
    const missingPort = portlessProblem(address, cache.flag);
    if (missingPort) {
      out.push({ message: `${at}: ${missingPort}` });
      continue;
    }
    const t = target(address, workload.namespace);
    if (t === 'outside') {
      out.push({ message: `${at}: outside the cluster and not declared as an external cache; not checked`, severity: 'warning' });
      continue;
    }
    if (!t) {
      out.push({
        message: `${at}: is not an address Thanos' memcached client reads (host:port, dns+host:port, dnssrv+_<port>._tcp.<service>...)`,
      });
      continue;
    }
    const why = resolvesOnce(index, t);
    if (why) out.push({ ...why, message: `${at}: ${why.message}` });
  }
  return out;
}

/** A Store's in-memory caches, its implicit index cache included, against its memory limit. */
function sizeFindings(c: Container, caches: readonly CacheConfig[]): Diagnostic[] {
  const sizes = inMemorySizes(caches);
  if (!caches.some((x) => x.flag === '--index-cache.config')) {
    // No --index-cache.config: the in-memory index cache of --index-cache-size (250MB by default).
    const text = c.flags.get('--index-cache-size') ?? '250MB';
    sizes.push({ flag: '--index-cache.config', bytes: parseBytes(text), text: `${text} (--index-cache-size)`, bounded: true });
  }
  const over = overHalfTheLimit(c, sizes);
  return over ? [{ message: over }] : [];
}

function memcachedFindings(c: Container): Diagnostic[] {
  const limit = parseQuantity(asRecord(asRecord(c.raw.resources)?.limits)?.memory);
  const text = memcachedOption(c.argv, '-m', '--memory-limit') ?? '64';
  const mib = Number(text);
  if (!Number.isFinite(mib)) return [{ message: `container ${c.name}: memcached -m ${text} is not a number of megabytes` }];
  if (limit === undefined)
    return [{ message: `container ${c.name}: memcached holds up to ${mib}MiB of items (-m) but has no memory limit to fit them in` }];
  const fits = Math.floor((limit * MEMCACHED_ITEM_MEMORY_SHARE) / MIB);
  if (mib <= fits) return [];
  return [
    {
      message: `container ${c.name}: memcached -m ${mib} (MiB of items) is more than ${Math.round(MEMCACHED_ITEM_MEMORY_SHARE * 100)}% of its memory limit (${Math.round(limit / MIB)}MiB); connections and the hash table need the rest, so a full cache gets the pod OOM-killed. Give it -m ${fits} or raise the limit`,
    },
  ];
}

/**
 * Caches: the Store Gateway index and caching-bucket caches, the Query Frontend response caches (known type
 * and keys; memcached with addresses). Every in-cluster memcached address (`dnssrv+`/`dnssrvnoa+` SRV names,
 * `dns+` and plain host:port) resolves to a Service in the input with that port, selecting memcached pods
 * that listen on it, headless for SRV names. An external cache declared for the overlay (annotation
 * thanos-ha.dev/external-caches) and addresses outside the cluster are reported as not checked. A Store's
 * in-memory caches (the 250MiB defaults included) hold at most half its memory limit, and memcached's `-m`
 * at most 80% of its own.
 */
export const cacheWiring: Policy = {
  id: 'cache-wiring',
  severity: 'error',
  description:
    'Store Gateway and Query Frontend cache configs use the keys Thanos v0.42 documents, in-cluster memcached addresses reach memcached Services in the input, and caches fit their memory limits.',
  remediation:
    "Point cache addresses at dnssrvnoa+_client._tcp.<memcached headless Service>.<namespace>.svc.cluster.local, keep the cache config to the keys Thanos documents, keep a Store's in-memory caches within half its memory limit (core/units/sizing.ts) and give memcached -m of 80% of its limit.",
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    if (!workload) return [];
    const declared = new Set(
      (workload.object.metadata.annotations?.[EXTERNAL_CACHE_ANNOTATION] ?? '')
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    );
    const out: Diagnostic[] = [];
    for (const c of workload.containers) {
      if (isMemcached(c)) {
        out.push(...memcachedFindings(c));
        continue;
      }
      if (c.thanos !== 'store' && c.thanos !== 'query-frontend') continue;
      const caches = cacheConfigsOf(index, workload, c);
      for (const cache of caches) {
        if (cache.unreadable)
          out.push({ message: `container ${c.name}: ${cache.flag}: ${cache.unreadable}; not checked`, severity: 'warning' });
        for (const p of cache.problems) out.push({ message: `container ${c.name}: ${p.message}`, severity: p.severity });
        if (cache.type === 'MEMCACHED') out.push(...addressFindings(index, workload, c, cache, declared));
      }
      // The Query Frontend's in-memory response caches are query-frontend-cache's.
      if (c.thanos === 'store') out.push(...sizeFindings(c, caches));
    }
    return out;
  },
};
