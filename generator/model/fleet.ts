import { isCidr } from '../../core/cidr.js';
import { CLUSTER_LABEL } from '../../core/names.js';
import {
  DEFAULT_STACK,
  type FleetConfig,
  type FleetExposure,
  type FleetRole,
  type IssuerRef,
  type StackConfig,
  type StackOverrides,
} from './stack.js';
import { UserError } from '../../core/errors.js';
import { didYouMean } from '../../core/suggest.js';
import { RECEIVE_REMOTE_WRITE_PATH } from '../../core/ports.js';
import { ROLES, type OverlayDefinition } from '../../settings/schema/overlay-entry.js';

/**
 * A fleet is one observer and the leaves and agents that name it: everything one overlay needs to
 * know about another is derived here from the registry, so no address, host name or label of one
 * overlay is typed into another (the observer's Query endpoints, an agent's remote-write URL, a
 * leaf's bucket all come from the entries they belong to).
 */

/** An overlay's role; `full` when the entry names none. */
export function roleOf(overlay: OverlayDefinition): FleetRole {
  return overlay.role ?? 'full';
}

/** The fleet an overlay belongs to: its observer's name (the observer's own for an observer); none for `full`. */
export function fleetOf(overlay: OverlayDefinition): string | undefined {
  const role = roleOf(overlay);
  if (role === 'observer') return overlay.name;
  if (role === 'leaf' || role === 'agent') return overlay.observer;
  return undefined;
}

/** The observer's registry entry of a leaf or agent; undefined for the other roles. */
export function observerOf(overlay: OverlayDefinition, registry: readonly OverlayDefinition[]): OverlayDefinition | undefined {
  const role = roleOf(overlay);
  if (role !== 'leaf' && role !== 'agent') return undefined;
  return registry.find((o) => o.name === overlay.observer && roleOf(o) === 'observer');
}

/** The leaves and agents naming `observer`, in registry order. */
export function membersOf(
  observer: OverlayDefinition,
  registry: readonly OverlayDefinition[],
  role?: 'leaf' | 'agent',
): OverlayDefinition[] {
  return registry.filter(
    (o) => o.observer === observer.name && (roleOf(o) === 'leaf' || roleOf(o) === 'agent') && (!role || roleOf(o) === role),
  );
}

/** The exposure with its defaults filled in. */
export function exposureOf(overlay: OverlayDefinition): FleetExposure | undefined {
  const e = overlay.expose;
  if (!e) return undefined;
  return {
    host: e.host,
    via: e.via ?? 'LoadBalancer',
    port: e.port ?? 443,
    ...(e.sourceRanges?.length ? { sourceRanges: [...e.sourceRanges] } : {}),
    ...(e.gateway ? { gateway: e.gateway } : {}),
  };
}

export function addressOf(exposure: FleetExposure): string {
  return `${exposure.host}:${exposure.port}`;
}

/** The URL an agent remote-writes to: the observer's Receive as exposed (TLS end to end, so https). */
export function remoteWriteUrl(exposure: FleetExposure): string {
  return `https://${exposure.host}${exposure.port === 443 ? '' : `:${exposure.port}`}${RECEIVE_REMOTE_WRITE_PATH}`;
}

export function issuerOf(overlay: OverlayDefinition): IssuerRef {
  return { name: overlay.issuer?.name ?? DEFAULT_STACK.fleet.issuer.name, kind: overlay.issuer?.kind ?? DEFAULT_STACK.fleet.issuer.kind };
}

/**
 * The entry as the generator plans it: a leaf or agent has no bucket of its own, so it takes its
 * observer's bucket and object-store settings (a leaf's sidecars upload there; an agent's samples
 * reach it through the observer's Receive). Other roles are returned as they are.
 */
export function effectiveOverlay(
  overlay: OverlayDefinition,
  registry: readonly OverlayDefinition[],
): OverlayDefinition & { readonly bucket: string } {
  const observer = observerOf(overlay, registry);
  if (observer) return { ...overlay, bucket: observer.bucket ?? '', ...(observer.settings ? { settings: observer.settings } : {}) };
  return overlay as OverlayDefinition & { readonly bucket: string };
}

/** What each role runs, over the profile's defaults (the entry's `components` and `overrides` still win). */
export function roleOverrides(role: FleetRole): StackOverrides {
  switch (role) {
    case 'leaf':
      // The observer's Store reads the shared bucket and its compactor compacts it.
      return { store: { enabled: false }, compact: { enabled: false }, queryFrontend: { enabled: false }, ruler: { enabled: false } };
    case 'agent':
      return {
        prometheus: { mode: 'agent' },
        query: { enabled: false },
        queryFrontend: { enabled: false },
        store: { enabled: false },
        compact: { enabled: false },
        ruler: { enabled: false },
        receive: { enabled: false },
        alertmanager: { enabled: false },
      };
    case 'observer':
      // Its Ruler and Receive see every cluster's data: a cluster label there would overwrite theirs.
      return { ruler: { ownClusterOnly: false }, receive: { ownClusterOnly: false } };
    default:
      return {};
  }
}

/**
 * The fleet part of an overlay's stack, derived from the registry: the observer lists every leaf's
 * exposed Query and runs Receive for its agents; a leaf exposes its Query; an agent writes to its
 * observer's exposed Receive.
 */
export function fleetConfig(overlay: OverlayDefinition, registry: readonly OverlayDefinition[]): FleetConfig {
  const role = roleOf(overlay);
  const observer = role === 'observer' ? overlay : observerOf(overlay, registry);
  const issuer = observer ? issuerOf(observer) : DEFAULT_STACK.fleet.issuer;
  const base = { role, issuer, leafEndpoints: [] as FleetConfig['leafEndpoints'] };
  if (role === 'observer') {
    const leafEndpoints = membersOf(overlay, registry, 'leaf').flatMap((leaf) => {
      const e = exposureOf(leaf);
      return e ? [{ overlay: leaf.name, address: addressOf(e), port: e.port, serverName: e.host, cluster: clusterLabelOf(leaf) }] : [];
    });
    const agents = membersOf(overlay, registry, 'agent').map((agent) => ({ overlay: agent.name, cluster: clusterLabelOf(agent) }));
    const exposure = exposureOf(overlay);
    return { ...base, leafEndpoints, ...(agents.length > 0 ? { agents } : {}), ...(exposure ? { exposure } : {}) };
  }
  if (role === 'leaf') {
    const exposure = exposureOf(overlay);
    return { ...base, ...(exposure ? { exposure } : {}) };
  }
  if (role === 'agent' && observer) {
    const e = exposureOf(observer);
    return e ? { ...base, remoteWrite: { observer: observer.name, url: remoteWriteUrl(e), serverName: e.host } } : base;
  }
  return base;
}

/** The `cluster` external label a member's Prometheus sets: its registry cluster unless its overrides name another. */
function clusterLabelOf(member: OverlayDefinition): string {
  return member.overrides?.prometheus?.clusterLabel ?? member.cluster;
}

/** The agents writing to `observer`: its Receive's writers, named by overlay. */
export function agentWriters(observer: OverlayDefinition, registry: readonly OverlayDefinition[]): string[] {
  return membersOf(observer, registry, 'agent').map((agent) => `${agent.name} (Prometheus agent, cluster ${agent.cluster})`);
}

/** The overlay's stack with its fleet wiring: Receive on an observer runs for its agents. */
export function withFleet(stack: StackConfig, overlay: OverlayDefinition, registry: readonly OverlayDefinition[]): StackConfig {
  const fleet = fleetConfig(overlay, registry);
  if (fleet.role !== 'observer') return { ...stack, fleet };
  const agents = agentWriters(overlay, registry);
  const writers = [...stack.receive.writers, ...agents];
  const receiveOn = overlay.components?.receive ?? writers.length > 0;
  return {
    ...stack,
    fleet,
    receive: { ...stack.receive, enabled: receiveOn, writers },
    compact: withFleetShards(stack, overlay, registry),
  };
}

/**
 * Compact shards of an observer split the fleet's clusters by name: its own and each leaf's, as
 * the registry says (agents' samples arrive through Receive, whose blocks carry no cluster label;
 * the last shard keeps those). Values set in the entry's overrides win.
 */
function withFleetShards(stack: StackConfig, overlay: OverlayDefinition, registry: readonly OverlayDefinition[]): StackConfig['compact'] {
  const c = stack.compact;
  if (c.shards <= 1 || c.shardValues.length > 0 || c.shardLabel !== CLUSTER_LABEL) return c;
  return {
    ...c,
    shardValues: [stack.prometheus.clusterLabel, ...membersOf(overlay, registry, 'leaf').map(clusterLabelOf)],
  };
}

const HOST = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

/** The entry's own fleet fields: shape and role-specific rules (the registry-wide ones are in validateFleet). */
export function validateFleetEntry(at: string, overlay: OverlayDefinition): void {
  const role = overlay.role;
  if (role !== undefined && !(ROLES as readonly string[]).includes(role)) {
    throw new UserError(`${at}: unknown role '${String(role)}'. Known roles: ${ROLES.join(', ')}.${didYouMean(String(role), ROLES)}`);
  }
  const r = roleOf(overlay);
  const member = r === 'leaf' || r === 'agent';
  if (member && (typeof overlay.observer !== 'string' || overlay.observer === '')) {
    throw new UserError(
      `${at}: a ${r} names its observer: add observer: '<observer overlay>' (the overlay with role 'observer' whose Query ${r === 'leaf' ? 'dials this leaf' : 'runs the Receive this agent writes to'}).`,
    );
  }
  if (!member && overlay.observer !== undefined)
    throw new UserError(
      `${at}: 'observer' is for a leaf or agent; this overlay's role is '${r}'. Set role: 'leaf' or role: 'agent', or remove 'observer'.`,
    );
  if (member && overlay.bucket !== undefined) {
    throw new UserError(
      `${at}: a ${r} has no bucket of its own (its ${r === 'leaf' ? "sidecars upload to its observer's bucket" : "samples reach its observer's bucket through Receive"}); remove 'bucket'.`,
    );
  }
  if (member && overlay.settings !== undefined)
    throw new UserError(`${at}: a ${r} takes its object-store settings from its observer; remove 'settings'.`);
  if (!member && overlay.bucket === undefined)
    throw new UserError(`${at}: missing field 'bucket': the bucket this overlay's blocks go to (a ${r} overlay has one of its own).`);
  if (r === 'leaf' && overlay.expose === undefined) {
    throw new UserError(
      `${at}: a leaf exposes its Query to the observer: add expose: { host: 'thanos-grpc.<cluster>.example.com' } (via 'LoadBalancer' by default, or 'TLSRoute' with a gateway).`,
    );
  }
  if (r === 'agent' && overlay.expose !== undefined)
    throw new UserError(`${at}: an agent serves nothing to other clusters; remove 'expose'.`);
  if (r === 'full' && overlay.expose !== undefined)
    throw new UserError(`${at}: 'expose' is for a leaf or an observer; this overlay's role is 'full'.`);
  if (overlay.issuer !== undefined && r !== 'observer')
    throw new UserError(`${at}: 'issuer' is set on the observer only; its leaves and agents use the same issuer.`);
  if (
    overlay.issuer !== undefined &&
    (typeof overlay.issuer.name !== 'string' ||
      !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(overlay.issuer.name) ||
      !['ClusterIssuer', 'Issuer', undefined].includes(overlay.issuer.kind))
  ) {
    throw new UserError(
      `${at}: 'issuer' is { name: '<cert-manager issuer name>', kind: 'ClusterIssuer' | 'Issuer' }, e.g. { name: 'thanos-fleet-ca', kind: 'ClusterIssuer' }.`,
    );
  }
  if (overlay.expose !== undefined) validateExposure(at, overlay.expose);
  if (member) {
    const o = overlay.overrides as { compact?: { enabled?: boolean }; store?: { enabled?: boolean } } | undefined;
    if (o?.compact?.enabled || o?.store?.enabled) {
      throw new UserError(
        `${at}: a ${r} runs no ${o.compact?.enabled ? 'compactor' : 'Store Gateway'}: its observer ${o.compact?.enabled ? 'compacts' : 'serves'} the shared bucket (a second compactor on it halts on overlapping blocks). Remove overrides.${o.compact?.enabled ? 'compact' : 'store'}.enabled.`,
      );
    }
  }
  if (r === 'agent' && (overlay.ruleFiles ?? []).length > 0) {
    throw new UserError(
      `${at}: an agent evaluates no rules (Prometheus in agent mode refuses rule_files); put the rule files on its observer, whose Ruler sees every cluster.`,
    );
  }
  if ((overlay.overrides as Record<string, unknown> | undefined)?.fleet !== undefined) {
    throw new UserError(`${at}: 'overrides.fleet' cannot be set: the fleet wiring is derived from role, observer and expose.`);
  }
}

function validateExposure(at: string, e: NonNullable<OverlayDefinition['expose']>): void {
  const example = "expose: { host: 'thanos-grpc.eu-1.example.com', via: 'LoadBalancer' }";
  if (typeof e !== 'object' || e === null) throw new UserError(`${at}: 'expose' must be an object, e.g. ${example}`);
  for (const key of Object.keys(e)) {
    if (!['host', 'via', 'port', 'sourceRanges', 'gateway'].includes(key))
      throw new UserError(`${at}: unknown field 'expose.${key}'. Allowed: host, via, port, sourceRanges, gateway.`);
  }
  if (typeof e.host !== 'string' || !HOST.test(e.host))
    throw new UserError(
      `${at}: 'expose.host' must be a fully qualified lowercase DNS name other clusters resolve, e.g. ${example}; got '${String(e.host)}'.`,
    );
  if (e.via !== undefined && e.via !== 'LoadBalancer' && e.via !== 'TLSRoute')
    throw new UserError(`${at}: 'expose.via' is 'LoadBalancer' or 'TLSRoute'; got '${String(e.via)}'.`);
  if (e.port !== undefined && (!Number.isInteger(e.port) || e.port < 1 || e.port > 65535))
    throw new UserError(`${at}: 'expose.port' must be a TCP port (1-65535); got '${String(e.port)}'.`);
  if (e.sourceRanges !== undefined) {
    if (e.via === 'TLSRoute')
      throw new UserError(`${at}: 'expose.sourceRanges' is for via 'LoadBalancer'; a TLSRoute's Gateway decides who reaches it.`);
    const bad = Array.isArray(e.sourceRanges) ? e.sourceRanges.find((r) => typeof r !== 'string' || !isCidr(r)) : e.sourceRanges;
    if (!Array.isArray(e.sourceRanges) || bad !== undefined)
      throw new UserError(
        `${at}: 'expose.sourceRanges' must be a list of CIDRs such as ['203.0.113.0/24', '2001:db8::/32'] (the clients the load balancer admits); got '${String(bad)}'.`,
      );
  }
  if (e.via === 'TLSRoute') {
    const g = e.gateway;
    if (!g || typeof g.name !== 'string' || typeof g.namespace !== 'string' || !g.name || !g.namespace) {
      throw new UserError(
        `${at}: expose.via 'TLSRoute' needs the Gateway it attaches to: gateway: { name: '<gateway>', namespace: '<its namespace>' } (a listener with protocol TLS and tls.mode Passthrough).`,
      );
    }
  } else if (e.gateway !== undefined) {
    throw new UserError(`${at}: 'expose.gateway' is for via 'TLSRoute' only.`);
  }
}

/**
 * Rules across the registry for fleets: every leaf or agent names an existing observer on the same
 * object store; an observer that agents write to exposes its Receive; no two overlays expose the
 * same host. Each entry's own fields are validated first (validateOverlay).
 */
export function validateFleet(overlays: readonly OverlayDefinition[], where = 'settings/overlays.ts'): void {
  const byName = new Map(overlays.map((o) => [o.name, o]));
  const hosts = new Map<string, string>();
  for (const overlay of overlays) {
    const at = `${where}: overlay '${overlay.name}'`;
    const role = roleOf(overlay);
    if (role === 'leaf' || role === 'agent') {
      const named = byName.get(overlay.observer!);
      if (!named) {
        const observers = overlays.filter((o) => roleOf(o) === 'observer').map((o) => o.name);
        throw new UserError(
          `${at}: observer '${overlay.observer}' is not in the registry. Observers: ${observers.length ? observers.join(', ') : 'none (add one with new-overlay --role observer)'}.${didYouMean(overlay.observer!, observers)}`,
        );
      }
      if (roleOf(named) !== 'observer')
        throw new UserError(
          `${at}: observer '${named.name}' has role '${roleOf(named)}'; give it role: 'observer' or name another observer.`,
        );
      if (named.provider !== overlay.provider) {
        throw new UserError(
          `${at}: a ${role}'s name ends in its observer's provider ('${named.provider}', the object store its data lands in), not '${overlay.provider}': rename it <env>-${named.provider}.`,
        );
      }
      if (role === 'leaf' && (named.provider === 'minio' || named.provider === 'filesystem')) {
        throw new UserError(
          `${at}: observer '${named.name}' keeps its blocks in-cluster (${named.provider}); a leaf's sidecars in another cluster cannot reach that store. Use a cloud object store for a fleet with leaves, or make this overlay an agent.`,
        );
      }
      if (role === 'agent' && !named.expose) {
        throw new UserError(
          `${where}: overlay '${named.name}': agent '${overlay.name}' writes to this observer's Receive, so the observer exposes it: add expose: { host: 'thanos-receive.<cluster>.example.com' }.`,
        );
      }
    }
    const e = overlay.expose;
    if (e && typeof e.host === 'string') {
      const other = hosts.get(e.host);
      if (other)
        throw new UserError(
          `${at}: expose.host '${e.host}' is already overlay '${other}''s; each exposed endpoint needs a host of its own.`,
        );
      hosts.set(e.host, overlay.name);
    }
  }
}
