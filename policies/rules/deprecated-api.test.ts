import { deprecatedApi } from './deprecated-api.js';
import { policyTable } from '../testing/rule-cases.js';

policyTable(deprecatedApi, [
  {
    name: 'passes: current versions',
    yaml: `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: ok}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: ok}\n---\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: ok}\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: TLSRoute\nmetadata: {name: ok}\n---\napiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata: {name: ok}\n`,
    expect: {},
  },
  {
    name: 'fails: removed and deprecated versions',
    yaml: `apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: old}\n---\napiVersion: rbac.authorization.k8s.io/v1beta1\nkind: ClusterRole\nmetadata: {name: old}\n---\napiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: old}\n---\napiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {name: old}\n---\napiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TLSRoute\nmetadata: {name: old}\n`,
    expect: {
      'PodDisruptionBudget/old': [/error: policy\/v1beta1 .*removed in Kubernetes 1.25/],
      'ClusterRole/old': [/error: .*removed in Kubernetes 1.22/],
      'HorizontalPodAutoscaler/old': [/error: .*1.26; use autoscaling\/v2/],
      'ExternalSecret/old': [/warning: .*use external-secrets.io\/v1/],
      'TLSRoute/old': [/warning: gateway.networking.k8s.io\/v1alpha2 TLSRoute: .*use gateway.networking.k8s.io\/v1$/],
    },
  },
]);
