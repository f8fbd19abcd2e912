import { goodContainer, workload, yamlOf } from './engine/fixtures.js';
import { policyTable } from './engine/testing.js';
import { resources } from './resources.js';

policyTable(resources, [
  { name: 'passes: requests and memory limit on every container', yaml: yamlOf(workload({ name: 'ok', containers: [goodContainer()] })), expect: {} },
  {
    name: 'fails: container without resources, init container without a memory limit',
    yaml: yamlOf(
      workload({
        name: 'bad',
        containers: [goodContainer({ resources: undefined })],
        initContainers: [goodContainer({ name: 'init', resources: { requests: { cpu: '1m', memory: '1Mi' } } })],
      }),
    ),
    expect: { 'Deployment/bad': [/error: container app has no resources.requests.cpu, resources.requests.memory, resources.limits.memory/, /init container init has no resources.limits.memory/] },
  },
  {
    name: 'fails: hand-written pod',
    yaml: `apiVersion: v1
kind: Pod
metadata: {name: scratch}
spec:
  containers:
  - name: sh
    image: busybox:1.36
    resources: {limits: {memory: 10Mi}}
`,
    expect: { 'Pod/scratch': [/requests.cpu, resources.requests.memory$/] },
  },
]);
