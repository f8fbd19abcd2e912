import { goodContainer, workload, yamlOf } from './engine/fixtures.js';
import { policyTable } from './engine/testing.js';
import { podSecurity } from './pod-security.js';

policyTable(podSecurity, [
  {
    name: 'passes: restricted pod; restricted Namespace; NET_BIND_SERVICE added',
    yaml: yamlOf(
      workload({ name: 'ok', containers: [goodContainer({ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } })] }),
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    ),
    expect: {},
  },
  {
    name: 'fails: root, privileged, hostPath, hostNetwork, no seccomp; Namespace without a level',
    yaml: `apiVersion: v1
kind: Pod
metadata: {name: node-exporter}
spec:
  hostNetwork: true
  volumes: [{name: root, hostPath: {path: /}}]
  containers:
  - name: exporter
    image: prom/node-exporter:v1.8.0
    securityContext: {privileged: true, runAsUser: 0}
    ports: [{containerPort: 9100, hostPort: 9100}]
---
apiVersion: v1
kind: Namespace
metadata: {name: monitoring}
`,
    expect: {
      'Pod/node-exporter': [
        /pod sets hostNetwork: true/,
        /volume root is of type hostPath/,
        /container exporter: privileged: true; allowPrivilegeEscalation is not false; capabilities.drop does not include ALL; runAsNonRoot is not true \(pod or container\); runAsUser is 0; seccompProfile.type is unset .*; hostPort 9100/,
      ],
      'Namespace/monitoring': [/warning: has no pod-security.kubernetes.io\/enforce label/],
    },
  },
]);
