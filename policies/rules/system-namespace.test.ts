import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { systemNamespace } from './system-namespace.js';

const namespace = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});
const networkPolicy = (name: string, namespace: string) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
});
const restricted = { 'pod-security.kubernetes.io/enforce': 'restricted' };

policyTable(systemNamespace, [
  {
    name: 'passes: the stack in a namespace of its own; a system namespace only named, unlabelled; no namespace at all',
    yaml: yamlOf(
      namespace('monitoring-prod', restricted),
      workload({ kind: 'StatefulSet', name: 'prometheus', namespace: 'monitoring-prod', containers: [goodContainer()] }),
      networkPolicy('default-deny', 'monitoring-prod'),
      namespace('kube-system'),
      workload({ name: 'unplaced', namespace: null, containers: [goodContainer()] }),
    ),
    expect: {},
  },
  {
    name: 'fails: workloads, NetworkPolicies and Pod Security labels in Kubernetes and GitOps controller namespaces',
    yaml: yamlOf(
      workload({ kind: 'StatefulSet', name: 'prometheus', namespace: 'kube-system', containers: [goodContainer()] }),
      workload({ name: 'query', namespace: 'default', containers: [goodContainer()] }),
      networkPolicy('default-deny', 'flux-system'),
      networkPolicy('allow-dns', 'kube-public'),
      namespace('argocd', restricted),
      namespace('kube-node-lease', { 'pod-security.kubernetes.io/warn': 'baseline' }),
    ),
    expect: {
      // Nothing refuses a misplaced workload: for someone else's manifests that is advice.
      'StatefulSet/prometheus': [
        /^warning: is placed into namespace kube-system, which belongs to Kubernetes itself: a workload of this stack/,
      ],
      'Deployment/query': [/^warning: is placed into namespace default, which belongs to Kubernetes itself/],
      'NetworkPolicy/default-deny': [
        /^error: is placed into namespace flux-system, which belongs to the GitOps controllers \(Argo CD, Flux\): a NetworkPolicy/,
      ],
      'NetworkPolicy/allow-dns': [/namespace kube-public/],
      'Namespace/argocd': [/^error: sets pod-security.kubernetes.io\/enforce on namespace argocd, which belongs to the GitOps controllers/],
      'Namespace/kube-node-lease': [
        /^warning: sets pod-security.kubernetes.io\/warn on namespace kube-node-lease, which belongs to Kubernetes itself/,
      ],
    },
  },
  {
    name: 'fails with a profile: a workload in default is an error for our own renders',
    yaml: yamlOf(workload({ name: 'query', namespace: 'default', containers: [goodContainer()] })),
    settings: { profile: 'dev' },
    expect: { 'Deployment/query': [/^error: is placed into namespace default/] },
  },
]);
