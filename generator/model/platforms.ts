import { PLATFORMS, type OverlayDefinition, type PlatformName } from '../../settings/schema/overlay-entry.js';

/** Who signs the certificate a platform's kubelets serve on port 10250. */
export type KubeletServingCertificate = 'cluster-ca' | 'self-signed' | 'not-documented';

export interface PlatformSpec {
  readonly description: string;
  readonly kubeletServingCertificate: KubeletServingCertificate;
  /** Where the statement comes from; docs/overlays.md prints it beside the platform. */
  readonly source: string;
}

/**
 * What each platform's kubelets serve. Only a certificate the cluster CA signs can be verified with
 * the CA file Kubernetes mounts into the pod; everything else is scraped without verification (the
 * kubelet jobs say why), since a job that verifies a self-signed certificate has every target down.
 */
export const PLATFORM_SPECS: Readonly<Record<PlatformName, PlatformSpec>> = {
  eks: {
    description: 'Amazon EKS with the EKS-optimized AMIs',
    // Since amazon-eks-node v20181210 (files/kubelet-config.json, commit 0bf1109) and in nodeadm's
    // defaults for AL2023 (nodeadm/internal/kubelet/config.go:125 at v20260724): serverTLSBootstrap: true,
    // and EKS signs the kubernetes.io/kubelet-serving CSRs with the cluster CA.
    kubeletServingCertificate: 'cluster-ca',
    source: 'https://github.com/awslabs/amazon-eks-ami/blob/main/nodeadm/internal/kubelet/config.go',
  },
  gke: {
    description: 'Google Kubernetes Engine',
    // GKE's cluster-trust page names the cluster CA for the API server's and the kubelets' client
    // certificates, not for the kubelets' serving certificates.
    kubeletServingCertificate: 'not-documented',
    source: 'https://cloud.google.com/kubernetes-engine/docs/concepts/cluster-trust',
  },
  aks: {
    description: 'Azure Kubernetes Service',
    // AKS' certificate page lists the kubelet's client certificate (a CSR the cluster CA signs), no serving certificate.
    kubeletServingCertificate: 'not-documented',
    source: 'https://learn.microsoft.com/en-us/azure/aks/certificate-rotation',
  },
  ack: {
    description: 'Alibaba Cloud Container Service for Kubernetes',
    kubeletServingCertificate: 'not-documented',
    source: 'https://www.alibabacloud.com/help/en/ack/',
  },
  tke: {
    description: 'Tencent Kubernetes Engine',
    kubeletServingCertificate: 'not-documented',
    source: 'https://www.tencentcloud.com/document/product/457',
  },
  kubeadm: {
    description: 'kubeadm (kind, and most self-managed clusters)',
    // kubeadm leaves serverTLSBootstrap off: the kubelet writes a self-signed kubelet.crt at start.
    kubeletServingCertificate: 'self-signed',
    source: 'https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/#kubelet-serving-certs',
  },
  generic: {
    description: 'any other distribution',
    // The kubelet's own default without serverTLSBootstrap.
    kubeletServingCertificate: 'self-signed',
    source: 'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/#certificate-rotation',
  },
};

export const DEFAULT_PLATFORM: PlatformName = 'generic';

export function platformOf(overlay: Pick<OverlayDefinition, 'platform'>): PlatformName {
  return overlay.platform ?? DEFAULT_PLATFORM;
}

/** The kubelet jobs skip verification unless the platform's kubelets serve a certificate the cluster CA signs. */
export function kubeletSkipsVerification(platform: PlatformName): boolean {
  return PLATFORM_SPECS[platform].kubeletServingCertificate !== 'cluster-ca';
}

export function isPlatform(value: unknown): value is PlatformName {
  return typeof value === 'string' && (PLATFORMS as readonly string[]).includes(value);
}
