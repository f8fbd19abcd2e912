import type { KubeObject } from '../build-stack.js';
import type { StackConfig } from '../model/stack.js';
import { labels, selectorLabels, type ComponentIdentity, imageTag } from '../../core/labels.js';
import { containerResources, restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../lib/pod.js';
import { dropUndefined } from '../../core/yaml.js';
import { MINIO_PORT, MINIO_SERVICE } from '../model/providers.js';

export const MINIO_IMAGE = 'quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z';
export const MC_IMAGE = 'quay.io/minio/mc:RELEASE.2025-04-16T18-13-26Z';
/** Keys of the thanos-objstore Secret MinIO takes its root user from, so Thanos and MinIO always agree. */
export const MINIO_USER_KEY = 'access_key';
export const MINIO_PASSWORD_KEY = 'secret_key';
const CONSOLE_PORT = 9001;

function identity(stack: StackConfig, name: string, image: string): ComponentIdentity {
  return { name, component: 'object-storage', instance: stack.instance, version: imageTag(image) };
}

function rootCredentialsEnv(stack: StackConfig) {
  const from = (key: string) => ({ secretKeyRef: { name: stack.objstoreSecret.name, key } });
  return [
    { name: 'MINIO_ROOT_USER', valueFrom: from(MINIO_USER_KEY) },
    { name: 'MINIO_ROOT_PASSWORD', valueFrom: from(MINIO_PASSWORD_KEY) },
  ];
}

/**
 * A single-replica MinIO for dev and CI clusters: PVC-backed, Pod Security "restricted"
 * (non-root, read-only root filesystem, /tmp as emptyDir), plus a Job that creates the bucket.
 */
export function minioObjects(stack: StackConfig, bucket: string): KubeObject[] {
  const id = identity(stack, MINIO_SERVICE, MINIO_IMAGE);
  const jobId = identity(stack, `${MINIO_SERVICE}-create-bucket`, MC_IMAGE);
  const resources = containerResources({ cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' });
  const probe = (path: string) => ({
    httpGet: { path, port: 'api', scheme: 'HTTP' },
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 6,
  });
  const objects: Record<string, unknown>[] = [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: `${MINIO_SERVICE}-data`, labels: labels(id) },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: MINIO_SERVICE, labels: labels(id) },
      spec: {
        type: 'ClusterIP',
        selector: selectorLabels(id),
        ports: [
          { name: 'api', port: MINIO_PORT, targetPort: 'api', protocol: 'TCP' },
          { name: 'console', port: CONSOLE_PORT, targetPort: 'console', protocol: 'TCP' },
        ],
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: MINIO_SERVICE, labels: labels(id) },
      spec: {
        replicas: 1,
        // One writer on a ReadWriteOnce volume: never two pods at once.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selectorLabels(id) },
        template: {
          metadata: { labels: labels(id) },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(),
            containers: [
              {
                name: 'minio',
                image: MINIO_IMAGE,
                args: ['server', '/data', `--address=:${MINIO_PORT}`, `--console-address=:${CONSOLE_PORT}`, '--certs-dir=/tmp/certs'],
                env: rootCredentialsEnv(stack),
                ports: [
                  { name: 'api', containerPort: MINIO_PORT, protocol: 'TCP' },
                  { name: 'console', containerPort: CONSOLE_PORT, protocol: 'TCP' },
                ],
                resources,
                livenessProbe: probe('/minio/health/live'),
                readinessProbe: probe('/minio/health/ready'),
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [
                  { name: 'data', mountPath: '/data' },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'data', persistentVolumeClaim: { claimName: `${MINIO_SERVICE}-data` } },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: `${MINIO_SERVICE}-create-bucket`, labels: labels(jobId) },
      spec: {
        // Retries cover MinIO still starting; --ignore-existing makes a rerun harmless.
        backoffLimit: 10,
        template: {
          metadata: { labels: labels(jobId) },
          spec: {
            restartPolicy: 'OnFailure',
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(),
            containers: [
              {
                name: 'mc',
                image: MC_IMAGE,
                command: ['/bin/sh', '-c'],
                args: [
                  `mc alias set local http://${MINIO_SERVICE}:${MINIO_PORT} "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" && mc mb --ignore-existing local/${bucket}`,
                ],
                env: [...rootCredentialsEnv(stack), { name: 'MC_CONFIG_DIR', value: '/tmp/.mc' }],
                resources: containerResources({ cpuRequest: '10m', memoryRequest: '32Mi', memoryLimit: '128Mi' }),
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    },
  ];
  if (stack.networkPolicies.enabled) {
    // The base denies everything by default: MinIO takes the object-store clients' traffic (their
    // egress already allows this port) and the bucket Job may reach MinIO, nothing else.
    const policyLabels = {
      'app.kubernetes.io/component': 'network-policy',
      'app.kubernetes.io/part-of': labels(id)['app.kubernetes.io/part-of'],
    };
    objects.push(
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: MINIO_SERVICE, labels: policyLabels },
        spec: {
          podSelector: { matchLabels: selectorLabels(id) },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: MINIO_PORT }] }],
          egress: [],
        },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: `${MINIO_SERVICE}-create-bucket`, labels: policyLabels },
        spec: {
          podSelector: { matchLabels: selectorLabels(jobId) },
          policyTypes: ['Egress'],
          egress: [{ to: [{ podSelector: { matchLabels: selectorLabels(id) } }], ports: [{ protocol: 'TCP', port: MINIO_PORT }] }],
        },
      },
    );
  }
  return objects.map((object) => dropUndefined(object) as KubeObject);
}
