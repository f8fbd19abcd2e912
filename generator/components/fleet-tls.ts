import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { Service } from 'kubernetes-models/v1/Service';
import type { FleetExposure, StackConfig } from '../model/stack.js';
import { PART_OF } from '../../core/labels.js';
import { EXPOSED_ADDRESS_ANNOTATION, selectorLabels, type ComponentIdentity } from '../../core/labels.js';
import type { KubeObject } from '../../core/kube/kube-object.js';
import { dropUndefined } from '../../core/yaml.js';
import { PROMETHEUS_NAME, QUERY_NAME, RECEIVE_NAME } from '../../core/names.js';

/**
 * One certificate a component of a fleet presents across clusters: the cert-manager Certificate,
 * the Secret it writes (tls.crt, tls.key and the issuing CA's ca.crt) and where the pod mounts it.
 */
export interface FleetTlsMount {
  readonly certificate: string;
  readonly secret: string;
  readonly volume: string;
  readonly dir: string;
  /** x509 usage: a server proves its name, a client proves it belongs to the fleet. */
  readonly usage: 'server auth' | 'client auth';
}

/** Every cross-cluster certificate of a fleet, by the component that presents it. */
export const FLEET_TLS = {
  /** A leaf's Query serving gRPC to the observer. */
  queryServer: {
    certificate: `${QUERY_NAME}-grpc-server`,
    secret: `${QUERY_NAME}-grpc-server-tls`,
    volume: 'grpc-server-tls',
    dir: '/etc/thanos/tls/grpc-server',
    usage: 'server auth',
  },
  /** The observer's Query dialling every leaf. */
  queryClient: {
    certificate: `${QUERY_NAME}-grpc-client`,
    secret: `${QUERY_NAME}-grpc-client-tls`,
    volume: 'grpc-client-tls',
    dir: '/etc/thanos/tls/grpc-client',
    usage: 'client auth',
  },
  /** The observer's Receive taking remote write from agents. */
  receiveServer: {
    certificate: `${RECEIVE_NAME}-remote-write-server`,
    secret: `${RECEIVE_NAME}-remote-write-server-tls`,
    volume: 'remote-write-server-tls',
    dir: '/etc/thanos/tls/remote-write-server',
    usage: 'server auth',
  },
  /** An agent's Prometheus writing to the observer's Receive. */
  remoteWriteClient: {
    certificate: `${PROMETHEUS_NAME}-remote-write-client`,
    secret: `${PROMETHEUS_NAME}-remote-write-client-tls`,
    volume: 'remote-write-client-tls',
    dir: '/etc/prometheus/tls/remote-write-client',
    usage: 'client auth',
  },
} as const satisfies Record<string, FleetTlsMount>;

/** The three files cert-manager writes into the Secret, as the pod sees them. */
export function tlsFiles(mount: FleetTlsMount): { cert: string; key: string; ca: string } {
  return { cert: `${mount.dir}/tls.crt`, key: `${mount.dir}/tls.key`, ca: `${mount.dir}/ca.crt` };
}

export function tlsVolume(mount: FleetTlsMount): IVolume {
  return { name: mount.volume, secret: { secretName: mount.secret } };
}

export function tlsVolumeMount(mount: FleetTlsMount): IVolumeMount {
  return { name: mount.volume, mountPath: mount.dir, readOnly: true };
}

/** The certificates a stack's fleet role needs, each with what it proves. */
export function fleetTlsMounts(stack: StackConfig): FleetTlsMount[] {
  const f = stack.fleet;
  switch (f.role) {
    case 'leaf':
      return [FLEET_TLS.queryServer];
    case 'observer':
      return [
        ...(f.leafEndpoints.length > 0 ? [FLEET_TLS.queryClient] : []),
        ...(stack.receive.enabled && f.exposure ? [FLEET_TLS.receiveServer] : []),
      ];
    case 'agent':
      return f.remoteWrite ? [FLEET_TLS.remoteWriteClient] : [];
    default:
      return [];
  }
}

const objectLabels = { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/component': 'fleet-tls' };

/**
 * A cert-manager Certificate from the fleet's issuer. A server certificate names the exposed host
 * (the name every client verifies); a client certificate names the overlay's cluster, so a server's
 * logs tell which cluster dialled. Keys are rotated with every renewal.
 */
export function fleetCertificate(stack: StackConfig, mount: FleetTlsMount): Certificate {
  const f = stack.fleet;
  const host = mount.usage === 'server auth' ? f.exposure?.host : undefined;
  if (mount.usage === 'server auth' && !host) throw new Error(`fleet: ${mount.certificate} needs the exposed host`);
  return new Certificate({
    metadata: { name: mount.certificate, labels: objectLabels },
    spec: {
      secretName: mount.secret,
      issuerRef: { group: 'cert-manager.io', kind: f.issuer.kind, name: f.issuer.name },
      ...(host ? { dnsNames: [host] } : { commonName: `${mount.certificate}.${stack.prometheus.clusterLabel}` }),
      duration: '2160h',
      renewBefore: '720h',
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      // No 'key encipherment': that usage is RSA key transport; an ECDSA key only signs (the TLS key
      // exchange is ECDHE), and RFC 5480 section 3 does not allow keyEncipherment for an EC key.
      usages: ['digital signature', mount.usage],
    },
  });
}

/** external-dns creates the DNS record of a LoadBalancer Service with this annotation. */
const EXTERNAL_DNS_HOSTNAME = 'external-dns.alpha.kubernetes.io/hostname';

/** The Service or TLSRoute name other clusters reach a component through. */
export function externalName(component: string): string {
  return `${component}-external`;
}

/**
 * How other clusters reach `component`'s `targetPort`: a LoadBalancer Service on the exposed port,
 * or a Gateway API v1 TLSRoute (passthrough: the Gateway routes by SNI and never terminates, so the
 * pod presents its own certificate and sees the client's).
 */
export function exposureObjects(id: ComponentIdentity, exposure: FleetExposure, targetPort: { name: string; port: number }): KubeObject[] {
  const name = externalName(id.name);
  const labels = { ...objectLabels, 'app.kubernetes.io/name': id.name };
  const annotations = { [EXPOSED_ADDRESS_ANNOTATION]: `${exposure.host}:${exposure.port}` };
  if (exposure.via === 'LoadBalancer') {
    const service = new Service({
      // external-dns, where it runs, points the host at the load balancer.
      metadata: { name, labels, annotations: { ...annotations, [EXTERNAL_DNS_HOSTNAME]: exposure.host } },
      spec: {
        type: 'LoadBalancer',
        selector: selectorLabels(id),
        ports: [{ name: targetPort.name, port: exposure.port, targetPort: targetPort.name, protocol: 'TCP' }],
        // Without it the cloud's load balancer admits every address; mTLS still refuses them, but each is a handshake to serve.
        ...(exposure.sourceRanges?.length ? { loadBalancerSourceRanges: [...exposure.sourceRanges] } : {}),
      },
    });
    return [dropUndefined(service) as KubeObject];
  }
  const gateway = exposure.gateway!;
  return [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'TLSRoute',
      metadata: { name, labels, annotations },
      spec: {
        parentRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: gateway.name,
            namespace: gateway.namespace,
            ...(gateway.sectionName ? { sectionName: gateway.sectionName } : {}),
          },
        ],
        hostnames: [exposure.host],
        rules: [{ backendRefs: [{ group: '', kind: 'Service', name: id.name, port: targetPort.port }] }],
      },
    },
  ];
}
