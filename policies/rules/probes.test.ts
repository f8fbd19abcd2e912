import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { probes } from './probes.js';

policyTable(probes, [
  {
    name: 'passes: probes on containers; init containers and Jobs are exempt',
    yaml: yamlOf(
      workload({ name: 'ok', containers: [goodContainer()], initContainers: [{ name: 'init', image: 'busybox:1.36' }] }),
      workload({ kind: 'Job', name: 'once', containers: [{ name: 'run', image: 'busybox:1.36' }] }),
    ),
    expect: {},
  },
  {
    name: 'fails: missing readiness; a native sidecar without probes',
    yaml: yamlOf(
      workload({
        kind: 'StatefulSet',
        name: 'bad',
        containers: [goodContainer({ readinessProbe: undefined })],
        initContainers: [{ name: 'proxy', image: 'envoy:1.30', restartPolicy: 'Always' }],
      }),
    ),
    expect: { 'StatefulSet/bad': [/container app has no readinessProbe/, /container proxy has no livenessProbe and no readinessProbe/] },
  },
  {
    name: 'a practice: an error with a profile, a warning for manifests that name none (Kubernetes runs containers without probes)',
    yaml: yamlOf(workload({ name: 'bare', containers: [goodContainer({ livenessProbe: undefined })] })),
    settings: { profile: 'staging' },
    expect: { 'Deployment/bare': [/^error: container app has no livenessProbe: Kubernetes sends it traffic/] },
  },
  {
    name: 'a practice: a warning for manifests that name no profile',
    yaml: yamlOf(workload({ name: 'bare', containers: [goodContainer({ livenessProbe: undefined })] })),
    expect: { 'Deployment/bare': [/^warning: container app has no livenessProbe/] },
  },
]);
