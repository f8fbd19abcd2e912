import { describe } from 'vitest';
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

describe('image-pinned (mutation)', () => {
  const thanos = (name: string, image: string, sub: string, namespace?: string | null) =>
    workload({ name, ...(namespace !== undefined ? { namespace } : {}), containers: [goodContainer({ image, args: [sub] })] });
  policyTable(imagePinned, [
    {
      name: 'passes: a Thanos image pinned by digest alone is no second version beside a tagged one',
      yaml: yamlOf(
        thanos('query', 'quay.io/thanos/thanos@sha256:4f7a6b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a', 'query'),
        thanos('store', 'quay.io/thanos/thanos:v0.42.4', 'store'),
      ),
      expect: {},
    },
    {
      name: 'passes: one workload whose init container and main container run the same Thanos release is listed once',
      yaml: yamlOf(
        workload({
          kind: 'StatefulSet',
          name: 'compact',
          initContainers: [goodContainer({ name: 'cleanup', args: ['tools', 'bucket', 'cleanup'] })],
          containers: [goodContainer({ args: ['compact'] })],
        }),
        thanos('query', 'quay.io/thanos/thanos:v0.40.1', 'query'),
      ),
      expect: {
        'StatefulSet/compact': [
          /^error: namespace monitoring mixes Thanos versions: v0.40.1 \(Deployment query\); v0.42.4 \(StatefulSet compact\)$/,
        ],
        'Deployment/query': [/^error: namespace monitoring mixes Thanos versions/],
      },
    },
    {
      name: 'passes: a Deployment without a pod template (a bare patch target) has no containers to check',
      yaml: yamlOf({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'stub', namespace: 'monitoring' },
        spec: { replicas: 2 },
      }),
      expect: {},
    },
    {
      name: 'fails: a container without an image',
      yaml: yamlOf(workload({ name: 'broken', containers: [goodContainer({ image: undefined })] })),
      expect: { 'Deployment/broken': [/^error: container app has no image$/] },
    },
    {
      name: 'fails: an untagged Thanos image pulls latest, and is no version of its own',
      yaml: yamlOf(thanos('query', 'quay.io/thanos/thanos', 'query'), thanos('store', 'quay.io/thanos/thanos:v0.42.4', 'store')),
      expect: { 'Deployment/query': [/^error: container app image quay.io\/thanos\/thanos has no tag: it pulls whatever latest is$/] },
    },
    {
      name: 'fails: a kube-thanos v0.8.1 leftover beside v0.42.4, versions ordered as numbers (0.8 before 0.42)',
      yaml: yamlOf(thanos('new', 'quay.io/thanos/thanos:v0.42.4', 'store'), thanos('old', 'quay.io/thanos/thanos:v0.8.1', 'query')),
      expect: {
        'Deployment/old': [/^error: namespace monitoring mixes Thanos versions: v0.8.1 \(Deployment old\); v0.42.4 \(Deployment new\)$/],
        'Deployment/new': [/^error: namespace monitoring mixes Thanos versions: v0.8.1/],
      },
    },
    {
      name: 'fails: two minors apart (v0.40 beside v0.42) is no rolling upgrade; a digest-only component is not counted in the mix',
      yaml: yamlOf(
        thanos('old', 'quay.io/thanos/thanos:v0.40.1', 'query'),
        thanos('new', 'quay.io/thanos/thanos:v0.42.4', 'store'),
        thanos('new2', 'quay.io/thanos/thanos:v0.42.4', 'compact'),
        thanos('pinned', 'quay.io/thanos/thanos@sha256:4f7a6b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a', 'receive'),
      ),
      expect: {
        'Deployment/old': [
          /^error: namespace monitoring mixes Thanos versions: v0.40.1 \(Deployment old\); v0.42.4 \(Deployment new, Deployment new2\)$/,
        ],
        'Deployment/new': [/^error: .*mixes Thanos versions/],
        'Deployment/new2': [/^error: .*mixes Thanos versions/],
      },
    },
    {
      name: 'fails: another major version is no rolling upgrade, even at a lower minor',
      yaml: yamlOf(thanos('old', 'quay.io/thanos/thanos:v0.42.4', 'query'), thanos('new', 'quay.io/thanos/thanos:v1.0.0', 'store')),
      expect: {
        'Deployment/old': [/^error: namespace monitoring mixes Thanos versions: v0.42.4 \(Deployment old\); v1.0.0 \(Deployment new\)$/],
        'Deployment/new': [/^error: .*mixes Thanos versions/],
      },
    },
    {
      name: 'warns: patches of one minor (v0.42.3 beside v0.42.4), ordered as numbers',
      yaml: yamlOf(thanos('new', 'quay.io/thanos/thanos:v0.42.4', 'store'), thanos('old', 'quay.io/thanos/thanos:v0.42.3', 'query')),
      expect: {
        'Deployment/old': [
          /^warning: namespace monitoring runs Thanos v0.42.3 beside v0.42.4: v0.42.3 \(Deployment old\); v0.42.4 \(Deployment new\); this looks like an upgrade in progress from v0.42.3 to v0.42.4, which works while it lasts; finish it by moving every component to v0.42.4$/,
        ],
        'Deployment/new': [/^warning: .*upgrade in progress from v0.42.3 to v0.42.4/],
      },
    },
    {
      name: 'fails: a main-branch build tag beside a release is no rolling upgrade; two build tags are listed in name order',
      yaml: yamlOf(
        thanos('b', 'quay.io/thanos/thanos:main-2025-06-02-b2c3d4e', 'store', 'dev'),
        thanos('a', 'quay.io/thanos/thanos:main-2025-05-01-a1b2c3d', 'query', 'dev'),
        thanos('release', 'quay.io/thanos/thanos:v0.42.4', 'store'),
        thanos('build', 'quay.io/thanos/thanos:main-2025-05-01-a1b2c3d', 'query'),
      ),
      expect: {
        'Deployment/b': [
          /^error: namespace dev mixes Thanos versions: main-2025-05-01-a1b2c3d \(Deployment a\); main-2025-06-02-b2c3d4e \(Deployment b\)$/,
        ],
        'Deployment/a': [/^error: namespace dev mixes Thanos versions/],
        'Deployment/build': [
          /^error: namespace monitoring mixes Thanos versions: main-2025-05-01-a1b2c3d \(Deployment build\); v0.42.4 \(Deployment release\)$/,
        ],
        'Deployment/release': [/^error: namespace monitoring mixes Thanos versions/],
      },
    },
    {
      name: 'fails: objects without a namespace (a manifest applied with -n) are one set',
      yaml: yamlOf(
        thanos('old', 'quay.io/thanos/thanos:v0.39.2', 'query', null),
        thanos('new', 'quay.io/thanos/thanos:v0.42.4', 'store', null),
      ),
      expect: {
        'Deployment/old': [/^error: the rendered set mixes Thanos versions: v0.39.2 \(Deployment old\); v0.42.4 \(Deployment new\)$/],
        'Deployment/new': [/^error: the rendered set mixes Thanos versions/],
      },
    },
  ]);
});
