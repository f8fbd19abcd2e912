import { PolicyRegistry } from './engine/registry-core.js';
import { alertReplicaLabel } from './alert-replica-label.js';
import { antiAffinity } from './anti-affinity.js';
import { apiServer } from './api-server.js';
import { blockDuration } from './block-duration.js';
import { clusterCollision } from './cluster-collision.js';
import { compactSingleton } from './compact-singleton.js';
import { compactTmp } from './compact-tmp.js';
import { credentials } from './credentials.js';
import { discoveryHeadless } from './discovery-headless.js';
import { externalLabels } from './external-labels.js';
import { fleetWiring } from './fleet-wiring.js';
import { networkPolicy } from './network-policy.js';
import { objstoreConfig } from './objstore-config.js';
import { placeholder } from './placeholder.js';
import { plaintextSecret } from './plaintext-secret.js';
import { podSecurity } from './pod-security.js';
import { receiveHashring } from './receive-hashring.js';
import { receiveWriters } from './receive-writers.js';
import { replicaLabels } from './replica-labels.js';
import { retentionOrder } from './retention-order.js';
import { rulerHa } from './ruler-ha.js';
import { startup } from './startup.js';
import { storeDeleteDelay } from './store-delete-delay.js';
import { systemNamespace } from './system-namespace.js';
import { deprecatedApi } from './deprecated-api.js';
import { imagePinned } from './image-pinned.js';
import { pdb } from './pdb.js';
import { queryFrontendCache } from './query-frontend-cache.js';
import { probes } from './probes.js';
import { prometheusRules } from './prometheus-rules.js'
import { promtool } from './promtool.js'
import { resources } from './resources.js';
import { schema } from './schema.js';
import { serviceSelector } from './service-selector.js';
import { thanosFlags } from './thanos-flags.js';
import { unknownFieldsPolicy } from './unknown-fields.js';
import { wiring } from './wiring.js';
import { shardCoverage } from './shard-coverage.js';
import { receiveTopology } from './receive-topology.js';
import { cacheWiring } from './cache-wiring.js';
import { zoneSpread } from './zone-spread.js';

export { PolicyRegistry };

/** Every policy `npm run check` runs; docs/policies.md is generated from it. */
export const registry = new PolicyRegistry()
  .register(schema)
  .register(deprecatedApi)
  .register(imagePinned)
  .register(resources)
  .register(probes)
  .register(thanosFlags)
  .register(pdb)
  .register(serviceSelector)
  .register(antiAffinity)
  .register(blockDuration)
  .register(compactSingleton)
  .register(clusterCollision)
  .register(fleetWiring)
  .register(discoveryHeadless)
  .register(externalLabels)
  .register(networkPolicy)
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
  .register(alertReplicaLabel)
  .register(promtool)
  .register(unknownFieldsPolicy)
  .register(shardCoverage)
  .register(receiveTopology)
  .register(cacheWiring)
  .register(zoneSpread);

export const policies = registry.all();
