import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable, type PolicyCase } from '../testing/rule-cases.js';
import { podSecurity } from './pod-security.js';
import { DEFAULT_STACK } from '../../generator/model/stack.js';
import { nodeExporter } from '../../generator/components/node-exporter.js';
import { dropUndefined } from '../../core/yaml.js';

policyTable(podSecurity, [
  {
    name: 'passes: restricted pod; restricted Namespace; NET_BIND_SERVICE added',
    yaml: yamlOf(
      workload({
        name: 'ok',
        containers: [
          goodContainer({
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } },
          }),
        ],
      }),
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'monitoring', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
      },
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
  // node-exporter as the generator builds it, in its namespace, then the same DaemonSet where it does not belong.
  ...((): PolicyCase[] => {
    const { namespace, daemonSet } = nodeExporter(DEFAULT_STACK);
    const ds = dropUndefined(daemonSet) as Record<string, any>;
    const privileged = dropUndefined(namespace) as Record<string, any>;
    const elsewhere = { ...ds, metadata: { ...ds.metadata, namespace: 'monitoring' } };
    const writable = structuredClone(ds);
    writable.spec.template.spec.containers[0].volumeMounts[2].readOnly = false;
    const other = structuredClone(ds);
    other.metadata.name = 'debug';
    other.spec.template.spec.containers[0].image = 'busybox:1.36';
    const restricted = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'monitoring', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
    };
    return [
      {
        name: 'passes: the node-exporter DaemonSet alone in its namespace, which enforces privileged',
        yaml: yamlOf(privileged, ds),
        expect: {},
      },
      {
        name: 'fails: node-exporter in a restricted namespace; a writable hostPath mount; another DaemonSet beside it in the privileged one',
        yaml: yamlOf(privileged, restricted, elsewhere, { ...writable, metadata: { ...writable.metadata, name: 'writable' } }, other),
        expect: {
          'DaemonSet/node-exporter': [
            /^error: pod sets hostNetwork: true \(a node-exporter DaemonSet may, in a Namespace of its own that enforces privileged\): namespace monitoring enforces restricted, so Pod Security admission refuses these pods$/,
            /^error: pod sets hostPID: true/,
            /^error: volume proc is of type hostPath/,
            /^error: volume sys is of type hostPath/,
            /^error: volume root is of type hostPath/,
          ],
          // The privileged namespace admits them: for someone else's manifests restricted is advice.
          'DaemonSet/writable': [
            /^warning: volume root is of type hostPath, which restricted does not allow: restricted is this project's practice; namespace node-exporter enforces privileged, which admits these pods$/,
          ],
          'DaemonSet/debug': [
            /^warning: pod sets hostNetwork: true: restricted/,
            /^warning: pod sets hostPID: true/,
            /volume proc/,
            /volume sys/,
            /volume root/,
          ],
          'Namespace/node-exporter': [
            /^warning: pod-security.kubernetes.io\/enforce is privileged, not restricted \(only a Namespace holding a node-exporter DaemonSet alone may be\)$/,
          ],
        },
      },
      {
        name: 'fails with a profile: the same practice findings are errors for our own renders',
        yaml: yamlOf(privileged, { ...writable, metadata: { ...writable.metadata, name: 'writable' } }),
        settings: { profile: 'prod' },
        expect: {
          'DaemonSet/writable': [
            /^error: volume root is of type hostPath, which restricted does not allow: restricted is this project's practice/,
          ],
        },
      },
    ];
  })(),
  // What the cluster does (kube-prometheus' node-exporter, kube-thanos' containers): the Namespace's enforce label decides.
  ...((): PolicyCase[] => {
    const ns = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring', labels } });
    const hostile = workload({
      kind: 'DaemonSet',
      name: 'agent',
      podSpec: { hostNetwork: true },
      containers: [goodContainer({ securityContext: { capabilities: { add: ['SYS_TIME'] } } })],
    });
    const loose = workload({ name: 'loose', containers: [goodContainer({ securityContext: {} })] });
    return [
      {
        name: 'passes as advice: a Namespace labelled only warn (the default, privileged, enforces nothing) admits host access',
        yaml: yamlOf(ns({ 'pod-security.kubernetes.io/warn': 'privileged' }), hostile, loose),
        expect: {
          'DaemonSet/agent': [
            /^warning: pod sets hostNetwork: true: restricted is this project's practice; namespace monitoring enforces privileged \(no enforce label: the admission default\), which admits these pods$/,
            /^warning: container app: allowPrivilegeEscalation is not false; capabilities.drop does not include ALL; capabilities.add has SYS_TIME: restricted/,
          ],
          'Deployment/loose': [
            /^warning: container app: allowPrivilegeEscalation is not false; capabilities.drop does not include ALL: restricted/,
          ],
          'Namespace/monitoring': [/^warning: has no pod-security.kubernetes.io\/enforce label/],
        },
      },
      {
        name: 'fails where baseline is enforced: host network and SYS_TIME refused, the restricted-only settings advice',
        yaml: yamlOf(ns({ 'pod-security.kubernetes.io/enforce': 'baseline' }), hostile, loose),
        expect: {
          'DaemonSet/agent': [
            /^error: pod sets hostNetwork: true: namespace monitoring enforces baseline, so Pod Security admission refuses these pods$/,
            /^error: container app: capabilities.add has SYS_TIME: namespace monitoring enforces baseline/,
            /^warning: container app: allowPrivilegeEscalation is not false; capabilities.drop does not include ALL: restricted is this project's practice; namespace monitoring enforces baseline, which admits/,
          ],
          'Deployment/loose': [
            /^warning: container app: allowPrivilegeEscalation is not false; capabilities.drop does not include ALL: restricted/,
          ],
          'Namespace/monitoring': [/^warning: pod-security.kubernetes.io\/enforce is baseline, not restricted/],
        },
      },
      {
        name: 'advice when the Namespace is not in the input (the level is not known)',
        yaml: yamlOf(loose),
        expect: { 'Deployment/loose': [/^warning: .*: restricted is this project's practice; namespace monitoring is not in the input/] },
      },
    ];
  })(),
]);
