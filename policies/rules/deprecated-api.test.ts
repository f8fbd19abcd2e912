import { describe } from 'vitest';
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

describe('deprecated-api (mutation)', () => {
  const object = (apiVersion: string, kind: string, name: string) =>
    `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: ${name}}\n`;
  // Removed group versions and where each kind moved: Kubernetes "Deprecated API Migration Guide"
  // (kubernetes.io/docs/reference/using-api/deprecation-guide), one object per version as old manifests have them.
  const removedInKubernetes: readonly [apiVersion: string, kind: string, replacement: RegExp][] = [
    ['extensions/v1beta1', 'Ingress', /removed in Kubernetes 1\.16\/1\.22; use apps\/v1, networking\.k8s\.io\/v1 or policy\/v1$/],
    ['apps/v1beta1', 'Deployment', /removed in Kubernetes 1\.16; use apps\/v1$/],
    ['apps/v1beta2', 'StatefulSet', /removed in Kubernetes 1\.16; use apps\/v1$/],
    ['rbac.authorization.k8s.io/v1alpha1', 'Role', /1\.22; use rbac\.authorization\.k8s\.io\/v1$/],
    ['networking.k8s.io/v1beta1', 'Ingress', /1\.22; use networking\.k8s\.io\/v1$/],
    ['admissionregistration.k8s.io/v1beta1', 'ValidatingWebhookConfiguration', /1\.22; use admissionregistration\.k8s\.io\/v1$/],
    ['apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', /1\.22; use apiextensions\.k8s\.io\/v1$/],
    ['apiregistration.k8s.io/v1beta1', 'APIService', /1\.22; use apiregistration\.k8s\.io\/v1$/],
    ['authentication.k8s.io/v1beta1', 'TokenReview', /1\.22; use authentication\.k8s\.io\/v1$/],
    ['authorization.k8s.io/v1beta1', 'SubjectAccessReview', /1\.22; use authorization\.k8s\.io\/v1$/],
    ['certificates.k8s.io/v1beta1', 'CertificateSigningRequest', /1\.22; use certificates\.k8s\.io\/v1$/],
    ['coordination.k8s.io/v1beta1', 'Lease', /1\.22; use coordination\.k8s\.io\/v1$/],
    ['scheduling.k8s.io/v1beta1', 'PriorityClass', /1\.22; use scheduling\.k8s\.io\/v1$/],
    ['scheduling.k8s.io/v1alpha1', 'PriorityClass', /1\.22; use scheduling\.k8s\.io\/v1$/],
    ['storage.k8s.io/v1beta1', 'CSIDriver', /1\.22\/1\.27; use storage\.k8s\.io\/v1$/],
    ['batch/v1beta1', 'CronJob', /1\.25; use batch\/v1$/],
    ['batch/v2alpha1', 'CronJob', /removed; use batch\/v1$/],
    ['discovery.k8s.io/v1beta1', 'EndpointSlice', /1\.25; use discovery\.k8s\.io\/v1$/],
    ['events.k8s.io/v1beta1', 'Event', /1\.25; use events\.k8s\.io\/v1$/],
    ['node.k8s.io/v1beta1', 'RuntimeClass', /1\.25; use node\.k8s\.io\/v1$/],
    ['autoscaling/v2beta1', 'HorizontalPodAutoscaler', /1\.25; use autoscaling\/v2$/],
    ['flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema', /1\.26; use flowcontrol\.apiserver\.k8s\.io\/v1$/],
    ['flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema', /1\.29; use flowcontrol\.apiserver\.k8s\.io\/v1$/],
    ['flowcontrol.apiserver.k8s.io/v1beta3', 'PriorityLevelConfiguration', /1\.32; use flowcontrol\.apiserver\.k8s\.io\/v1$/],
  ];
  // Controllers' versions: External Secrets Operator v0.17 release notes (v1beta1 no longer served), Flux v2.3/v2.4
  // release notes (fluxcd.io/flux/migration): removed versions are errors, versions still served are warnings.
  const controllers: readonly [apiVersion: string, kind: string, expected: RegExp][] = [
    ['external-secrets.io/v1alpha1', 'SecretStore', /^error: .*removed from External Secrets Operator; use external-secrets\.io\/v1$/],
    ['source.toolkit.fluxcd.io/v1beta1', 'GitRepository', /^error: .*removed in Flux v2\.3; use source\.toolkit\.fluxcd\.io\/v1$/],
    [
      'source.toolkit.fluxcd.io/v1beta2',
      'GitRepository',
      /^warning: .*deprecated in Flux v2\.3 .*; use source\.toolkit\.fluxcd\.io\/v1 where served$/,
    ],
    ['kustomize.toolkit.fluxcd.io/v1beta1', 'Kustomization', /^error: .*removed in Flux v2\.3; use kustomize\.toolkit\.fluxcd\.io\/v1$/],
    [
      'kustomize.toolkit.fluxcd.io/v1beta2',
      'Kustomization',
      /^warning: .*deprecated in Flux v2\.3; use kustomize\.toolkit\.fluxcd\.io\/v1$/,
    ],
    ['helm.toolkit.fluxcd.io/v2beta1', 'HelmRelease', /^error: .*removed in Flux v2\.4; use helm\.toolkit\.fluxcd\.io\/v2$/],
    ['helm.toolkit.fluxcd.io/v2beta2', 'HelmRelease', /^warning: .*deprecated in Flux v2\.3; use helm\.toolkit\.fluxcd\.io\/v2$/],
    ['gateway.networking.k8s.io/v1alpha3', 'TLSRoute', /^warning: .*v1alpha3 is deprecated; use gateway\.networking\.k8s\.io\/v1$/],
  ];
  policyTable(deprecatedApi, [
    {
      name: 'fails: every group version Kubernetes 1.32 no longer serves, each naming its replacement',
      yaml: removedInKubernetes.map(([v, kind], i) => object(v, kind, `old-${i}`)).join('---\n'),
      expect: Object.fromEntries(
        removedInKubernetes.map(([v, kind, replacement], i) => [
          `${kind}/old-${i}`,
          [new RegExp(`^error: ${v.replace(/\./g, '\\.')} ${kind}: (removed in Kubernetes )?${replacement.source}`)],
        ]),
      ),
    },
    {
      name: 'fails or warns: controller versions removed (error) or deprecated but still served (warning)',
      yaml: controllers.map(([v, kind], i) => object(v, kind, `c-${i}`)).join('---\n'),
      expect: Object.fromEntries(controllers.map(([, kind, expected], i) => [`${kind}/c-${i}`, [expected]])),
    },
    {
      name: 'passes: Flux OCIRepository at source.toolkit.fluxcd.io/v1beta2, the only version Flux 2.3/2.4 serve it at',
      yaml: object('source.toolkit.fluxcd.io/v1beta2', 'OCIRepository', 'charts'),
      expect: {},
    },
  ]);
});
