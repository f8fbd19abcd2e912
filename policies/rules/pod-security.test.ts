import { describe } from 'vitest';
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

// Upstream: k8s.io/pod-security-admission v0.32.0 (Kubernetes 1.32), policy/check_*.go and api/helpers.go.
describe('pod-security (mutation)', () => {
  const ns = (name: string, level?: string) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, ...(level === undefined ? {} : { labels: { 'pod-security.kubernetes.io/enforce': level } }) },
  });
  const restrictedSc = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true };
  policyTable(podSecurity, [
    {
      // check_restrictedVolumes.go: the eight volume types restricted allows; check_sysctls.go sysctlsAllowedV1Dot32
      // (1.32 adds net.ipv4.tcp_rmem and net.ipv4.tcp_wmem); check_seccompProfile_restricted.go: Localhost is allowed;
      // check_runAsNonRoot.go: the container's runAsNonRoot suffices; check_procMount.go: "Default" is allowed.
      name: 'passes: every volume type and safe sysctl of 1.32, Localhost seccomp, runAsNonRoot on the container, procMount Default',
      yaml: yamlOf(
        ns('monitoring', 'restricted'),
        workload({
          name: 'ok',
          podSpec: {
            securityContext: {
              sysctls: [
                'kernel.shm_rmid_forced',
                'net.ipv4.ip_local_port_range',
                'net.ipv4.ip_unprivileged_port_start',
                'net.ipv4.tcp_syncookies',
                'net.ipv4.ping_group_range',
                'net.ipv4.ip_local_reserved_ports',
                'net.ipv4.tcp_keepalive_time',
                'net.ipv4.tcp_fin_timeout',
                'net.ipv4.tcp_keepalive_intvl',
                'net.ipv4.tcp_keepalive_probes',
                'net.ipv4.tcp_rmem',
                'net.ipv4.tcp_wmem',
              ].map((name) => ({ name, value: '1' })),
            },
          },
          volumes: [
            { name: 'a', configMap: { name: 'c' } },
            { name: 'b', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true } },
            { name: 'c', downwardAPI: { items: [] } },
            { name: 'd', emptyDir: {} },
            { name: 'e', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } },
            { name: 'f', persistentVolumeClaim: { claimName: 'data' } },
            { name: 'g', projected: { sources: [] } },
            { name: 'h', secret: { secretName: 's' } },
          ],
          containers: [
            goodContainer({
              securityContext: {
                ...restrictedSc,
                seccompProfile: { type: 'Localhost', localhostProfile: 'thanos.json' },
                procMount: 'Default',
              },
            }),
          ],
        }),
      ),
      expect: {},
    },
    {
      name: 'fails in a restricted Namespace: every departure is refused, init containers included, container settings override the pod',
      yaml: yamlOf(
        ns('monitoring', 'restricted'),
        workload({
          name: 'loose',
          podSpec: {
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 0,
              seccompProfile: { type: 'RuntimeDefault' },
              sysctls: [{ name: 'kernel.msgmax', value: '65536' }],
            },
          },
          volumes: [{ name: 'shared', nfs: { server: 'nfs.example.com', path: '/exports' } }],
          initContainers: [
            goodContainer({ name: 'init', ports: [], securityContext: { runAsNonRoot: true, capabilities: { drop: ['ALL'] } } }),
          ],
          containers: [
            goodContainer({
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['all'], add: ['CAP_NET_BIND_SERVICE'] },
                runAsNonRoot: false,
                runAsUser: 0,
                seccompProfile: { type: 'Unconfined' },
                procMount: 'Unmasked',
              },
            }),
          ],
        }),
      ),
      expect: {
        'Deployment/loose': [
          /^error: volume shared is of type nfs, which restricted does not allow: namespace monitoring enforces restricted, so Pod Security admission refuses these pods$/,
          /^error: pod sets sysctl kernel.msgmax, which is not in the safe set: namespace monitoring enforces restricted/,
          /^error: pod runs as UID 0 \(securityContext.runAsUser: 0\): namespace monitoring enforces restricted/,
          /^error: container init: allowPrivilegeEscalation is not false: namespace monitoring enforces restricted/,
          /^error: container app: capabilities.drop does not include ALL; capabilities.add has CAP_NET_BIND_SERVICE; runAsNonRoot is not true \(pod or container\); runAsUser is 0; seccompProfile.type is Unconfined \(pod or container\), not RuntimeDefault or Localhost; procMount is Unmasked: namespace monitoring enforces restricted/,
        ],
      },
    },
    {
      // Baseline refuses: hostPath (check_hostPathVolumes.go), unsafe sysctls, Unconfined seccomp, procMount, host ports,
      // privileged, capabilities outside the runtime's default set, matched as written (check_capabilities_baseline.go).
      name: 'where baseline is enforced: the baseline departures are errors, the restricted-only ones advice',
      yaml: yamlOf(
        ns('monitoring', 'baseline'),
        workload({
          name: 'mixed',
          podSpec: {
            securityContext: { runAsUser: 0, sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] },
          },
          volumes: [
            { name: 'logs', hostPath: { path: '/var/log' } },
            { name: 'shared', nfs: { server: 'nfs.example.com', path: '/exports' } },
          ],
          containers: [
            goodContainer({ name: 'chown', securityContext: { ...restrictedSc, capabilities: { drop: ['ALL'], add: ['CHOWN'] } } }),
            goodContainer({ name: 'lower', securityContext: { ...restrictedSc, capabilities: { drop: ['ALL'], add: ['chown'] } } }),
            goodContainer({
              name: 'host',
              ports: [{ name: 'http', containerPort: 8080, hostPort: 8080 }],
              securityContext: { ...restrictedSc, privileged: true, seccompProfile: { type: 'Unconfined' }, procMount: 'Unmasked' },
            }),
          ],
        }),
      ),
      expect: {
        'Deployment/mixed': [
          /^error: volume logs is of type hostPath, which restricted does not allow: namespace monitoring enforces baseline, so Pod Security admission refuses these pods$/,
          /^error: pod sets sysctl net.core.somaxconn, which is not in the safe set: namespace monitoring enforces baseline/,
          /^error: container lower: capabilities.add has chown: namespace monitoring enforces baseline/,
          /^error: container host: privileged: true; seccompProfile.type is Unconfined \(pod or container\), not RuntimeDefault or Localhost; procMount is Unmasked; hostPort 8080: namespace monitoring enforces baseline/,
          /^warning: volume shared is of type nfs, which restricted does not allow: restricted is this project's practice; namespace monitoring enforces baseline, which admits these pods$/,
          /^warning: pod runs as UID 0 \(securityContext.runAsUser: 0\): restricted is this project's practice/,
          /^warning: container chown: capabilities.add has CHOWN; seccompProfile.type is unset \(pod or container\), not RuntimeDefault or Localhost: restricted is this project's practice/,
          /^warning: container lower: seccompProfile.type is unset \(pod or container\), not RuntimeDefault or Localhost: restricted/,
        ],
        'Namespace/monitoring': [/^warning: pod-security.kubernetes.io\/enforce is baseline, not restricted$/],
      },
    },
    {
      // api/helpers.go ParseLevel: any other value is an error and evaluates as LevelRestricted; admission.go refuses
      // to create a Namespace with an invalid label.
      name: 'fails: an enforce label that is no level (Restricted) is refused on the Namespace, and its pods are judged as restricted',
      yaml: yamlOf(ns('monitoring', 'Restricted'), workload({ name: 'loose', containers: [goodContainer({ securityContext: {} })] })),
      expect: {
        'Namespace/monitoring': [
          /^error: pod-security.kubernetes.io\/enforce is 'Restricted', not one of privileged, baseline, restricted: Pod Security admission rejects the Namespace/,
        ],
        'Deployment/loose': [
          /^error: container app: allowPrivilegeEscalation is not false; capabilities.drop does not include ALL: namespace monitoring enforces restricted, so Pod Security admission refuses these pods$/,
        ],
      },
    },
    {
      name: 'warns: a privileged Namespace with no workload in the input; a restricted one is quiet',
      yaml: yamlOf(ns('debug', 'privileged'), ns('monitoring', 'restricted')),
      expect: {
        'Namespace/debug': [
          /^warning: pod-security.kubernetes.io\/enforce is privileged, not restricted \(only a Namespace holding a node-exporter DaemonSet alone may be\)$/,
        ],
      },
    },
  ]);

  // node-exporter as the generator builds it, varied the ways upstream manifests vary it.
  const { namespace, daemonSet } = nodeExporter(DEFAULT_STACK);
  const privileged = dropUndefined(namespace) as Record<string, any>;
  const base = dropUndefined(daemonSet) as Record<string, any>;
  const variant = (name: string, change: (pod: Record<string, any>, ds: Record<string, any>) => void) => {
    const ds = structuredClone(base);
    ds.metadata.name = name;
    change(ds.spec.template.spec, ds);
    return ds;
  };
  policyTable(podSecurity, [
    {
      name: 'passes: node-exporter pinned by digest, and with a trailing slash on its hostPath /proc/',
      yaml: yamlOf(
        privileged,
        variant('node-exporter', (pod) => {
          pod.containers[0].image =
            'quay.io/prometheus/node-exporter:v1.12.1@sha256:0b8f3c5a9e6d4b2f1a7c8e9d0f1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b';
          pod.volumes[0].hostPath.path = '/proc/';
        }),
      ),
      expect: {},
    },
    {
      // kube-prometheus' node-exporter runs a kube-rbac-proxy beside it: not node-exporter alone, so no exception.
      name: 'advice: a node-exporter DaemonSet with a second image, a Deployment of node-exporter, node-exporter with hostIPC',
      yaml: yamlOf(
        privileged,
        variant('with-proxy', (pod) => {
          pod.containers.push({
            ...structuredClone(pod.containers[0]),
            name: 'kube-rbac-proxy',
            image: 'quay.io/brancz/kube-rbac-proxy:v0.19.1',
          });
        }),
        variant('hostipc', (pod) => {
          pod.hostIPC = true;
        }),
        (() => {
          const d = variant('deployed', () => {});
          d.kind = 'Deployment';
          delete d.spec.updateStrategy;
          return d;
        })(),
      ),
      expect: {
        'DaemonSet/with-proxy': [
          /^warning: pod sets hostNetwork: true: restricted is this project's practice; namespace node-exporter enforces privileged/,
          /^warning: pod sets hostPID: true: restricted/,
          /^warning: volume proc is of type hostPath, which restricted does not allow: restricted/,
          /^warning: volume sys is of type hostPath/,
          /^warning: volume root is of type hostPath/,
        ],
        'DaemonSet/hostipc': [
          /^warning: pod sets hostIPC: true: restricted is this project's practice; namespace node-exporter enforces privileged, which admits these pods$/,
        ],
        'Deployment/deployed': [
          /^warning: pod sets hostNetwork: true: restricted/,
          /^warning: pod sets hostPID: true: restricted/,
          /^warning: volume proc is of type hostPath, which restricted does not allow: restricted/,
          /^warning: volume sys/,
          /^warning: volume root/,
        ],
        'Namespace/node-exporter': [/^warning: pod-security.kubernetes.io\/enforce is privileged, not restricted/],
      },
    },
  ]);
});

describe('pod-security pod-level seccomp', () => {
  const ns = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'monitoring', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } },
  };
  const sc = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  };
  policyTable(podSecurity, [
    {
      // k8s.io/pod-security-admission v0.32.0 policy/check_seccompProfile_baseline.go:121-131: a pod-level type other than
      // RuntimeDefault or Localhost is refused at baseline even when every container sets RuntimeDefault.
      name: 'fails: a pod-level Unconfined seccomp under baseline although each container sets RuntimeDefault (PSA v0.32.0 check_seccompProfile_baseline.go:121-131)',
      yaml: yamlOf(
        ns,
        workload({
          name: 'unconfined',
          podSpec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Unconfined' } } },
          containers: [goodContainer({ securityContext: sc })],
        }),
      ),
      expect: {
        'Deployment/unconfined': [
          /^error: pod sets seccompProfile\.type Unconfined, not RuntimeDefault or Localhost: namespace monitoring enforces baseline, so Pod Security admission refuses these pods$/,
        ],
        'Namespace/monitoring': [/^warning: pod-security.kubernetes.io\/enforce is baseline, not restricted$/],
      },
    },
    {
      name: 'passes: a pod-level RuntimeDefault that the containers inherit, under restricted',
      yaml: yamlOf(
        { ...ns, metadata: { name: 'monitoring', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
        workload({
          name: 'inherits',
          podSpec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } },
          containers: [
            goodContainer({ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true } }),
          ],
        }),
      ),
      expect: {},
    },
  ]);
});
