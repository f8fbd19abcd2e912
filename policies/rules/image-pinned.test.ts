import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { imagePinned } from './image-pinned.js';
import { policyTable } from '../testing/rule-cases.js';

policyTable(imagePinned, [
  {
    name: 'passes: tags, digests and a registry port',
    yaml: yamlOf(
      workload({ name: 'a', containers: [goodContainer(), goodContainer({ name: 'b', image: 'localhost:5000/tool@sha256:abc' })] }),
      workload({ name: 'b', containers: [goodContainer({ image: 'registry.local:5000/thanos/thanos:v0.42.4' })] }),
      // Two stacks in two namespaces may run two versions; a Bitnami tag is the same version as its v-tag.
      workload({
        name: 'c',
        namespace: 'team-a',
        containers: [goodContainer({ image: 'quay.io/thanos/thanos:v0.39.2', args: ['query'] })],
      }),
      workload({
        name: 'd',
        namespace: 'team-a',
        containers: [goodContainer({ image: 'docker.io/bitnami/thanos:0.39.2-debian-12-r1', args: ['store'] })],
      }),
    ),
    expect: {},
  },
  {
    name: 'fails: latest, untagged, two Thanos versions',
    yaml: yamlOf(
      workload({
        name: 'latest',
        containers: [goodContainer({ image: 'nginx:latest' }), goodContainer({ name: 'x', image: 'registry:5000/busybox' })],
      }),
      workload({ name: 'old', containers: [goodContainer({ image: 'thanosio/thanos:v0.35.1', args: ['query'] })] }),
      workload({ name: 'new', containers: [goodContainer({ args: ['store'] })] }),
    ),
    expect: {
      'Deployment/latest': [/nginx:latest uses the tag latest/, /registry:5000\/busybox has no tag/],
      'Deployment/old': [/^error: namespace monitoring mixes Thanos versions: v0.35.1 \(Deployment old\); v0.42.4 \(Deployment new\)/],
      'Deployment/new': [/mixes Thanos versions/],
    },
  },
  {
    name: 'warns only: one component on v0.41 beside v0.42 is a rolling upgrade in progress',
    yaml: yamlOf(
      workload({ name: 'old', containers: [goodContainer({ image: 'quay.io/thanos/thanos:v0.41.0', args: ['query'] })] }),
      workload({ name: 'new', containers: [goodContainer({ args: ['store'] })] }),
    ),
    expect: {
      'Deployment/old': [
        /^warning: namespace monitoring runs Thanos v0.41.0 beside v0.42.4: v0.41.0 \(Deployment old\); v0.42.4 \(Deployment new\); this looks like an upgrade in progress from v0.41.0 to v0.42.4/,
      ],
      'Deployment/new': [/^warning: .*upgrade in progress/],
    },
  },
]);
