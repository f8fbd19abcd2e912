import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { resources } from './resources.js';

policyTable(resources, [
  {
    name: 'passes: requests and memory limit on every container',
    yaml: yamlOf(workload({ name: 'ok', containers: [goodContainer()] })),
    expect: {},
  },
  {
    name: 'fails: container without resources, init container without a memory limit',
    yaml: yamlOf(
      workload({
        name: 'bad',
        containers: [goodContainer({ resources: undefined })],
        initContainers: [goodContainer({ name: 'init', resources: { requests: { cpu: '1m', memory: '1Mi' } } })],
      }),
    ),
    settings: { profile: 'prod' },
    expect: {
      'Deployment/bad': [
        /error: container app has no resources.requests.cpu, resources.requests.memory, resources.limits.memory/,
        /init container init has no resources.limits.memory/,
      ],
    },
  },
  {
    // A practice of the project, not an API-server rule: someone else's --file manifests without --profile get a warning.
    name: 'warns: the same container in --file input judged without --profile',
    yaml: yamlOf(workload({ name: 'bad', containers: [goodContainer({ resources: undefined })] })),
    expect: {
      'Deployment/bad': [/warning: container app has no resources.requests.cpu, resources.requests.memory, resources.limits.memory/],
    },
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
