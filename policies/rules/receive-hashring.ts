import { minor, THANOS_RELEASES } from '../../core/thanos/flags.js';
import { imageRelease } from '../lib/images.js';
import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { endpointKey, hashringText, parseEndpoint, receivePods } from '../lib/hashring.js';
import { asArray, asRecord, asString, type Index } from '../lib/model.js';
import { isReceiveRouter } from '../lib/thanos.js';
import type { Diagnostic, Policy } from '../lib/types.js';

const routersCache = new WeakMap<Index, ReadonlySet<string>>();

/** Names of the Receive routers (a hashring and no local endpoint) in the set. */
function routerNames(index: Index): ReadonlySet<string> {
  let names = routersCache.get(index);
  if (!names) {
    names = new Set(
      index
        .thanos('receive')
        .filter(({ container }) => isReceiveRouter(container))
        .map(({ workload }) => workload.name),
    );
    routersCache.set(index, names);
  }
  return names;
}

/** `path.Match`-style glob (filepath.Match: `*`, `?`, `[...]`), enough for tenant patterns. */
function globMatches(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${re}$`).test(value);
}

/**
 * What the hashring file makes the release do beyond its addresses (pkg/receive/hashring.go@v0.42.4): object
 * endpoints before v0.32 (a list of strings then: the file does not parse, receive exits at start,
 * T@v0.31.0:cmd/thanos/receive.go:456-460), `az` on a ring hashed with hashmod (receive exits:
 * "Hashmod algorithm does not support AZ aware hashring configuration", hashring.go:95-99, receive.go:662-665),
 * an algorithm it does not know (falls back to hashmod), and no ring for the default tenant (every ring lists
 * tenants: writes without a tenant header are refused, "no matching hashring to handle tenant", hashring.go:318-345).
 */
function ringSemantics(rings: unknown[], flags: { get(name: string): string | undefined }, release: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const exits = `thanos receive ${minor(release)} exits at start`;
  const before32 = THANOS_RELEASES.indexOf(release) < THANOS_RELEASES.indexOf('v0.32.5');
  const defaultAlgorithm = flags.get('--receive.hashrings-algorithm') ?? 'hashmod';
  for (const [i, ring] of rings.entries()) {
    const r = asRecord(ring);
    const name = asString(r?.hashring) ?? `#${i}`;
    const objects = asArray(r?.endpoints)
      .map(asRecord)
      .filter((e) => e !== undefined);
    if (before32 && objects.length > 0) {
      out.push({
        message: `${exits}: hashring ${name} lists endpoints as objects ({address, az}), and before v0.32 endpoints are plain strings, so the hashring file does not parse ("failed to validate hashring configuration file"); write each endpoint as its address string`,
      });
      continue;
    }
    const declared = asString(r?.algorithm);
    if (declared !== undefined && declared !== '' && declared !== 'hashmod' && declared !== 'ketama')
      out.push({
        message: `hashring ${name} has algorithm ${declared}, which thanos receive does not know: it logs "Unrecognizable hashring algorithm" and hashes with hashmod; write ketama or hashmod`,
        severity: 'warning',
      });
    const algorithm = declared || defaultAlgorithm;
    const zoned = objects.filter((e) => asString(e.az));
    if (zoned.length > 0 && algorithm !== 'ketama')
      out.push({
        message: `${exits}: hashring ${name} gives endpoints an az, and it is hashed with ${declared ? `algorithm ${declared}` : `--receive.hashrings-algorithm=${defaultAlgorithm}${flags.get('--receive.hashrings-algorithm') ? '' : ' (the default)'}`}, which refuses zones ("Hashmod algorithm does not support AZ aware hashring configuration"); set "algorithm": "ketama" on the hashring or --receive.hashrings-algorithm=ketama, or remove az`,
      });
  }
  const tenant = flags.get('--receive.default-tenant-id') ?? 'default-tenant';
  const catches = rings.some((ring) => {
    const r = asRecord(ring);
    const tenants = asArray(r?.tenants).filter((t): t is string => typeof t === 'string');
    if (tenants.length === 0) return true;
    const glob = asString(r?.tenant_matcher_type) === 'glob';
    return tenants.some((t) => t === tenant || (glob && globMatches(t, tenant)));
  });
  if (rings.length > 0 && !catches)
    out.push({
      message: `every hashring lists tenants and none matches the default tenant ${tenant}: thanos receive refuses every write without a tenant header ("no matching hashring to handle tenant"); add a hashring without tenants as the catch-all, or add ${tenant} to one hashring's tenants`,
      severity: 'warning',
    });
  return out;
}

/**
 * The hashring is read from `--receive.hashrings-file` through its ConfigMap, or `--receive.hashrings`. Each
 * entry is `<pod>.<service>.<namespace>.svc...:<grpc port>` of a pod that exists (name, governing Service,
 * namespace, gRPC port, count).
 */
export const receiveHashring: Policy = {
  id: 'receive-hashring',
  severity: 'error',
  description:
    "The Receive hashring lists exactly the Receive StatefulSet's pods, every pod's `--receive.local-endpoint` is an entry, `--receive.replication-factor` is at most each hashring's size, and the release can read it (zones need ketama; a catch-all for the default tenant).",
  remediation:
    'Generate the hashring from the StatefulSet (name, serviceName, namespace, replicas, gRPC port) and set --receive.local-endpoint=$(POD_NAME).<service>.$(NAMESPACE).svc.cluster.local:<grpc port>.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const out: Diagnostic[] = [];
    for (const { workload, container: c } of index.thanosContainersOf(input, 'receive')) {
      const source = hashringText(index, workload, c);
      const localEndpoint = c.flags.get('--receive.local-endpoint');
      if (!source) {
        if (localEndpoint !== undefined)
          out.push({ message: `container ${c.name}: --receive.local-endpoint is set but no hashring is configured`, severity: 'warning' });
        continue;
      }
      if (source.text === undefined && source.missingKey) {
        out.push({ message: `container ${c.name}: ${source.problem}; the hashrings file is missing and receive cannot start` });
        continue;
      }
      if (source.text === undefined) {
        out.push({ message: `container ${c.name}: cannot check the hashring: ${source.problem}`, severity: 'warning' });
        continue;
      }
      let rings: unknown;
      try {
        rings = JSON.parse(source.text);
      } catch (error) {
        out.push({ message: `container ${c.name}: hashring ${source.where} is not valid JSON: ${(error as Error).message}` });
        continue;
      }
      if (!Array.isArray(rings)) {
        out.push({ message: `container ${c.name}: hashring ${source.where} is not a JSON list of hashrings` });
        continue;
      }
      for (const d of ringSemantics(rings, c.flags, imageRelease(c.image).release))
        out.push({ ...d, message: `container ${c.name}: ${d.message}` });
      const factor = Number(c.flags.get('--receive.replication-factor') ?? '1');
      const pods = receivePods(index);
      const routers = routerNames(index);
      const podKeys = new Set(pods.map(endpointKey));
      const entries = new Set<string>();
      for (const [i, ring] of rings.entries()) {
        const r = asRecord(ring);
        const name = asString(r?.hashring) ?? `#${i}`;
        const endpoints = asArray(r?.endpoints)
          .map((e) => (typeof e === 'string' ? e : asString(asRecord(e)?.address)))
          .filter((e): e is string => !!e);
        if (endpoints.length === 0) out.push({ message: `container ${c.name}: hashring ${name} has no endpoints` });
        if (Number.isFinite(factor) && factor > endpoints.length && endpoints.length > 0) {
          out.push({
            message: `container ${c.name}: --receive.replication-factor=${factor} exceeds the ${endpoints.length} endpoints of hashring ${name}; writes cannot be replicated`,
          });
        }
        for (const endpoint of endpoints) {
          const parsed = parseEndpoint(endpoint, workload.namespace);
          if (!parsed) {
            out.push({
              message: `container ${c.name}: hashring ${name} entry ${endpoint} is not a StatefulSet pod address (<pod>.<service>.<namespace>.svc.cluster.local:<port>)`,
            });
            continue;
          }
          entries.add(endpointKey(parsed));
          // A router in a hashring is receive-topology's finding, said there once.
          if (routers.has(parsed.pod.replace(/-\d+$/, ''))) continue;
          if (
            podKeys.has(endpointKey(parsed)) ||
            (parsed.namespace === undefined &&
              pods.some((p) => p.pod === parsed.pod && p.service === parsed.service && p.port === parsed.port))
          )
            continue;
          const samePod = pods.find((p) => p.pod === parsed.pod);
          const sameSet = pods.find((p) => parsed.pod.startsWith(`${p.workload.name}-`));
          let why: string;
          if (samePod && samePod.service !== parsed.service)
            why = `pod ${samePod.pod}'s governing Service is ${samePod.service}, not ${parsed.service}`;
          else if (samePod && samePod.namespace !== parsed.namespace)
            why = `pod ${samePod.pod} is in namespace ${samePod.namespace ?? '(unset)'}, not ${parsed.namespace ?? '(unset)'}`;
          else if (samePod) why = `pod ${samePod.pod} serves gRPC on port ${samePod.port}, not ${parsed.port ?? '(none given)'}`;
          else if (sameSet)
            why = `StatefulSet ${sameSet.workload.name} has ${sameSet.workload.replicas} replicas, so there is no pod ${parsed.pod}`;
          else why = 'no Receive StatefulSet in the input has that pod';
          out.push({ message: `container ${c.name}: hashring ${name} entry ${endpoint} does not match a Receive pod: ${why}` });
        }
      }
      if (localEndpoint !== undefined && workload.kind === 'StatefulSet') {
        for (const pod of pods.filter((p) => p.workload === workload)) {
          const resolved = localEndpoint.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, v: string) =>
            c.env.get(v)?.perPod ? pod.pod : whole,
          );
          const parsed = parseEndpoint(resolved, workload.namespace);
          if (!parsed || !entries.has(endpointKey(parsed))) {
            out.push({
              message: `container ${c.name}: pod ${pod.pod}'s --receive.local-endpoint ${resolved} is not an entry of the hashring; it will not accept its share of writes`,
            });
          }
          if (!entries.has(endpointKey(pod)))
            out.push({
              message: `container ${c.name}: pod ${pod.pod} (${pod.pod}.${pod.service}.${pod.namespace ?? '?'}:${pod.port}) is not in the hashring`,
            });
        }
        const service = asString(asRecord(workload.object.spec)?.serviceName);
        if (service) {
          const svc = index.find('Service', workload.namespace, service);
          if (!svc)
            out.push({
              message: `governing Service ${service} is not in the input; the pod DNS names in the hashring need it`,
              severity: 'warning',
            });
          else if (asRecord(svc.object.spec)?.clusterIP !== 'None')
            out.push({
              message: `governing Service ${service} is not headless (clusterIP: None), so pod DNS names in the hashring do not resolve`,
            });
        }
      }
    }
    return out;
  },
};
