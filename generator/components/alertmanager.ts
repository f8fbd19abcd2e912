import { Service } from 'kubernetes-models/v1/Service';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { StackConfig } from '../model/stack.js';
import { imageTag, labels, selectorLabels, type ComponentIdentity } from '../../core/labels.js';
import { headlessService, podDisruptionBudget, serviceAccount, serviceHost } from '../lib/objects.js';
import {
  containerResources,
  dataVolumeClaim,
  hostnameAntiAffinity,
  httpProbes,
  podIdentityEnv,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
} from '../lib/pod.js';
import { PORTS, containerPort, listenAddress } from '../../core/ports.js';
import { configReloaderContainer } from './config-reloader.js';
import { ALERTMANAGER_NAME, ALERTMANAGER_READY_SERVICE } from '../../core/names.js';

/** The Secret holding alertmanager.yaml (routes and receivers); each overlay's secrets mode supplies it. */
export const ALERTMANAGER_CONFIG_SECRET = 'alertmanager-config';
export const ALERTMANAGER_CONFIG_KEY = 'alertmanager.yaml';
const CONFIG_DIR = '/etc/alertmanager/config';
const DATA_DIR = '/alertmanager';

export interface AlertmanagerObjects {
  readonly serviceAccount: ServiceAccount;
  readonly service: Service;
  /** Ready pods only, web port only: where the Ruler sends alerts (it finds Alertmanagers through DNS). */
  readonly readyService: Service;
  readonly statefulSet: StatefulSet;
  readonly podDisruptionBudget?: PodDisruptionBudget;
}

export function alertmanagerIdentity(stack: StackConfig): ComponentIdentity {
  return { name: ALERTMANAGER_NAME, component: 'alert-router', instance: stack.instance, version: imageTag(stack.alertmanagerImage) };
}

/** Stable DNS name of each replica's gossip endpoint, through the headless Service. */
export function alertmanagerPeers(stack: StackConfig): string[] {
  return Array.from(
    { length: stack.alertmanager.replicas },
    (_, ordinal) => `${ALERTMANAGER_NAME}-${ordinal}.${serviceHost(stack, ALERTMANAGER_NAME)}:${PORTS.alertmanagerMeshTcp.port}`,
  );
}

/**
 * Alertmanager as a gossip cluster: every Prometheus and Ruler sends each alert to every replica,
 * and the replicas agree through gossip who notifies, so one notification goes out while any one
 * replica is up. Silences and the notification log live on a volume so a restart forgets neither.
 */
export function alertmanager(stack: StackConfig): AlertmanagerObjects {
  const am = stack.alertmanager;
  const id = alertmanagerIdentity(stack);
  const web = PORTS.alertmanagerWeb;

  // The gossip ports are in the Service so that pod DNS names resolve for --cluster.peer; peers must
  // find each other before they are ready, since readiness waits for the cluster to settle.
  const service = new Service({
    metadata: { name: ALERTMANAGER_NAME, labels: labels(id) },
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: selectorLabels(id),
      ports: [
        { name: web.name, port: web.port, targetPort: web.name, protocol: 'TCP' },
        {
          name: PORTS.alertmanagerMeshTcp.name,
          port: PORTS.alertmanagerMeshTcp.port,
          targetPort: PORTS.alertmanagerMeshTcp.name,
          protocol: 'TCP',
        },
        {
          name: PORTS.alertmanagerMeshUdp.name,
          port: PORTS.alertmanagerMeshUdp.port,
          targetPort: PORTS.alertmanagerMeshUdp.name,
          protocol: 'UDP',
        },
      ],
    },
  });

  const statefulSet = new StatefulSet({
    metadata: { name: ALERTMANAGER_NAME, labels: labels(id) },
    spec: {
      replicas: am.replicas,
      serviceName: ALERTMANAGER_NAME,
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: selectorLabels(id) },
      template: {
        metadata: { labels: labels(id) },
        spec: {
          serviceAccountName: ALERTMANAGER_NAME,
          automountServiceAccountToken: false,
          securityContext: restrictedPodSecurityContext(),
          // Two replicas on one node would be one failure away from no notifications at all.
          affinity: hostnameAntiAffinity(selectorLabels(id), 'required'),
          terminationGracePeriodSeconds: 120,
          containers: [
            {
              name: 'alertmanager',
              image: stack.alertmanagerImage,
              args: [
                `--config.file=${CONFIG_DIR}/${ALERTMANAGER_CONFIG_KEY}`,
                `--storage.path=${DATA_DIR}`,
                `--data.retention=${am.retention}`,
                `--web.listen-address=${listenAddress(web)}`,
                `--cluster.listen-address=${listenAddress(PORTS.alertmanagerMeshTcp)}`,
                // Pod IPs are often outside the private ranges Alertmanager guesses from: say it.
                `--cluster.advertise-address=$(POD_IP):${PORTS.alertmanagerMeshTcp.port}`,
                ...alertmanagerPeers(stack).map((peer) => `--cluster.peer=${peer}`),
              ],
              env: [...podIdentityEnv(), { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
              ports: [
                containerPort(web),
                containerPort(PORTS.alertmanagerMeshTcp),
                { name: PORTS.alertmanagerMeshUdp.name, containerPort: PORTS.alertmanagerMeshUdp.port, protocol: 'UDP' },
              ],
              ...httpProbes(web.name),
              resources: containerResources(am.resources),
              securityContext: restrictedContainerSecurityContext(),
              volumeMounts: [
                { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                { name: 'data', mountPath: DATA_DIR },
              ],
            },
            // A changed route or receiver takes effect without a restart.
            configReloaderContainer({
              watchedDirs: [CONFIG_DIR],
              reloadUrl: `http://127.0.0.1:${web.port}/-/reload`,
              volumeMounts: [{ name: 'config', mountPath: CONFIG_DIR }],
            }),
          ],
          volumes: [{ name: 'config', secret: { secretName: ALERTMANAGER_CONFIG_SECRET } }],
        },
      },
      volumeClaimTemplates: [dataVolumeClaim('data', am.storageSize)],
    },
  });

  return {
    serviceAccount: serviceAccount(ALERTMANAGER_NAME, id),
    service,
    // Without publishNotReadyAddresses, its SRV record names ready pods only (Prometheus keeps only
    // ready endpoints of the gossip Service through discovery instead, generator/monitoring/alerting.ts).
    readyService: headlessService(ALERTMANAGER_READY_SERVICE, id, [web]),
    statefulSet,
    podDisruptionBudget: am.replicas > 1 ? podDisruptionBudget(ALERTMANAGER_NAME, id) : undefined,
  };
}
