import { alertReplicaLabel } from './rules/alert-replica-label.js';
import { antiAffinity } from './rules/anti-affinity.js';
import { apiServer } from './rules/api-server.js';
import { blockDuration } from './rules/block-duration.js';
import { prometheusRetention } from './rules/prometheus-retention.js';
import { clusterCollision } from './rules/cluster-collision.js';
import { compactSingleton } from './rules/compact-singleton.js';
import { compactTmp } from './rules/compact-tmp.js';
import { immutableField } from './rules/immutable-field.js';
import { loadBalancerSourceRanges } from './rules/load-balancer-source-ranges.js';
import { credentials } from './rules/credentials.js';
import { discoveryHeadless } from './rules/discovery-headless.js';
import { externalLabels } from './rules/external-labels.js';
import { externalSecretTemplate } from './rules/external-secret-template.js';
import { fleetWiring } from './rules/fleet-wiring.js';
import { networkFlow } from './rules/network-flow.js';
import { networkPolicy } from './rules/network-policy.js';
import { objstoreConfig } from './rules/objstore-config.js';
import { placeholder } from './rules/placeholder.js';
import { plaintextSecret } from './rules/plaintext-secret.js';
import { podSecurity } from './rules/pod-security.js';
import { receiveHashring } from './rules/receive-hashring.js';
import { receiveWriters } from './rules/receive-writers.js';
import { replicaLabels } from './rules/replica-labels.js';
import { retentionOrder } from './rules/retention-order.js';
import { rulerHa } from './rules/ruler-ha.js';
import { startup } from './rules/startup.js';
import { storeDeleteDelay } from './rules/store-delete-delay.js';
import { systemNamespace } from './rules/system-namespace.js';
import { deprecatedApi } from './rules/deprecated-api.js';
import { imagePinned } from './rules/image-pinned.js';
import { pdb } from './rules/pdb.js';
import { queryFrontendCache } from './rules/query-frontend-cache.js';
import { probes } from './rules/probes.js';
import { prometheusRules } from './rules/prometheus-rules.js';
import { promtool } from './rules/promtool.js';
import { resources } from './rules/resources.js';
import { schema } from './rules/schema.js';
import { serviceSelector } from './rules/service-selector.js';
import { thanosConfigFiles } from './rules/thanos-config-files.js';
import { thanosFlags } from './rules/thanos-flags.js';
import { prometheusFlags } from './rules/prometheus-flags.js';
import { alertmanagerWiring } from './rules/alertmanager-wiring.js';
import { alertmanagerConfig } from './rules/alertmanager-config.js';
import { unknownFieldsPolicy } from './rules/unknown-fields.js';
import { wiring } from './rules/wiring.js';
import { shardCoverage } from './rules/shard-coverage.js';
import { receiveTopology } from './rules/receive-topology.js';
import { cacheWiring } from './rules/cache-wiring.js';
import { zoneSpread } from './rules/zone-spread.js';
import type { Policy } from './lib/types.js';

const ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** One registry of policies; an id may be registered once. */
export class PolicyRegistry {
  private readonly byId = new Map<string, Policy>();

  register(policy: Policy): this {
    if (!ID.test(policy.id)) throw new Error(`policy id '${policy.id}' is not kebab-case`);
    if (this.byId.has(policy.id)) throw new Error(`policy id '${policy.id}' is registered twice`);
    if (!/\.$/.test(policy.remediation.trim())) throw new Error(`policy ${policy.id}: remediation must be a sentence ending with a period`);
    this.byId.set(policy.id, policy);
    return this;
  }

  get(id: string): Policy | undefined {
    return this.byId.get(id);
  }

  /** Every policy, sorted by id. */
  all(): Policy[] {
    return [...this.byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }
}

/** Every policy `npm run check` runs; docs/policies.md is generated from it. */
export const registry = new PolicyRegistry()
  .register(schema)
  .register(deprecatedApi)
  .register(imagePinned)
  .register(resources)
  .register(probes)
  .register(thanosFlags)
  .register(prometheusFlags)
  .register(thanosConfigFiles)
  .register(alertmanagerWiring)
  .register(alertmanagerConfig)
  .register(pdb)
  .register(serviceSelector)
  .register(antiAffinity)
  .register(blockDuration)
  .register(prometheusRetention)
  .register(compactSingleton)
  .register(clusterCollision)
  .register(fleetWiring)
  .register(discoveryHeadless)
  .register(externalLabels)
  .register(externalSecretTemplate)
  .register(networkPolicy)
  .register(networkFlow)
  .register(objstoreConfig)
  .register(plaintextSecret)
  .register(podSecurity)
  .register(receiveHashring)
  .register(receiveWriters)
  .register(replicaLabels)
  .register(retentionOrder)
  .register(rulerHa)
  .register(storeDeleteDelay)
  .register(systemNamespace)
  .register(prometheusRules)
  .register(apiServer)
  .register(startup)
  .register(placeholder)
  .register(wiring)
  .register(credentials)
  .register(queryFrontendCache)
  .register(compactTmp)
  .register(immutableField)
  .register(loadBalancerSourceRanges)
  .register(alertReplicaLabel)
  .register(promtool)
  .register(unknownFieldsPolicy)
  .register(shardCoverage)
  .register(receiveTopology)
  .register(cacheWiring)
  .register(zoneSpread);

export const policies = registry.all();
