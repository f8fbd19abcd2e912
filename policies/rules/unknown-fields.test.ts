import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable, type PolicyCase } from '../testing/rule-cases.js';
import { OPERATOR_FIELDS, PINNED_OPERATOR } from '../lib/operator-fields.js';
import { FIELDS_PATH, installedSources } from '../build/strict-fields.js';
import { unknownFieldsPolicy } from './unknown-fields.js';

policyTable(unknownFieldsPolicy, [
  {
    name: 'passes: every field known; maps (labels, annotations, data, resources) are open',
    yaml: yamlOf(
      workload({ name: 'q', annotations: { anything: 'x' }, containers: [goodContainer({ env: [{ name: 'A', value: 'b' }] })] }),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { any: 'x' } }, data: { whatever: 'x' } },
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'es' },
        spec: {
          secretStoreRef: { name: 's', kind: 'ClusterSecretStore' },
          target: { name: 't' },
          data: [{ secretKey: 'k', remoteRef: { key: 'k' } }],
        },
      },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { free: 1 } },
    ),
    expect: {},
  },
  {
    name: 'fails: a misspelt field at the top, in the pod template, in a container, in a CRD and in a Prometheus (the pinned operator has none)',
    yaml: yamlOf(
      workload({
        name: 'q',
        spec: { replica: 2 },
        podSpec: { nodeSelecter: { a: 'b' } },
        containers: [goodContainer({ imagePullPolcy: 'Always' })],
      }),
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'es' },
        spec: { secretStoreRef: { name: 's', kind: 'ClusterSecretStore' }, target: { name: 't' }, refreshIntreval: '1h' },
      },
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'p' }, spec: { replica: 2 } },
    ),
    expect: {
      'Deployment/q': [
        /error: unknown field spec.replica:/,
        /error: unknown field spec.template.spec.nodeSelecter:/,
        /error: unknown field spec.template.spec.containers\[0\].imagePullPolcy:/,
      ],
      'ExternalSecret/es': [/error: unknown field spec.refreshIntreval/],
      'Prometheus/p': [
        /^error: unknown field spec.replica: monitoring.coreos.com\/v1 Prometheus has no such field in any prometheus-operator release up to v\d+\.\d+\.\d+, the one this project pins; the API server rejects it .* Did you mean 'replicas'\?$/,
      ],
    },
  },
]);

// Fields of the operator's CRDs per release: core/reference/prometheus-operator-fields-by-version.json.
policyTable(unknownFieldsPolicy, [
  {
    name: 'passes: Prometheus and ThanosRuler fields the pinned operator serves, nested ones and open maps included',
    yaml: yamlOf(
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'Prometheus',
        metadata: { name: 'p' },
        spec: {
          replicas: 2,
          externalLabels: { any: 'x' },
          thanos: { image: 'quay.io/thanos/thanos:v0.42.4', objectStorageConfig: { name: 's', key: 'k' } },
          containers: [{ name: 'prometheus', imagePullPolicy: 'Always' }],
        },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ThanosRuler',
        metadata: { name: 't' },
        spec: { replicas: 2, queryEndpoints: ['x'] },
      },
    ),
    expect: {},
  },
  {
    name: 'fails: a typo nested in a container, with the nearest name',
    yaml: yamlOf({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Prometheus',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'prometheus', imagePullPolcy: 'Always' }] },
    }),
    expect: { 'Prometheus/p': [/^error: unknown field spec.containers\[0\].imagePullPolcy: .* Did you mean 'imagePullPolicy'\?$/] },
  },
  // A field only operators newer than the pinned one serve (while there is one): upgrade, a warning.
  ...((): PolicyCase[] => {
    const table = OPERATOR_FIELDS;
    const pinned = table.releases.indexOf(PINNED_OPERATOR);
    const spec = table.types[table.kinds['monitoring.coreos.com/v1/Prometheus'][0]] as Record<string, readonly number[]>;
    const newer = Object.entries(spec).find(([, f]) => f[1] > pinned && table.types[f[0]] === null);
    if (!newer) return [];
    return [
      {
        name: `warns: spec.${newer[0]}, which only operators from ${table.releases[newer[1][1]]} serve`,
        yaml: yamlOf({ apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'p' }, spec: { [newer[0]]: 'x' } }),
        expect: {
          'Prometheus/p': [
            new RegExp(
              `^warning: field spec.${newer[0]}: .* from prometheus-operator ${table.releases[newer[1][1]]}, newer than the ${PINNED_OPERATOR} this project pins, whose CRD rejects it; upgrade the operator`,
            ),
          ],
        },
      },
    ];
  })(),
]);

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    names: { kind: 'Widget', plural: 'widgets' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  size: { type: 'integer' },
                  labels: { type: 'object', additionalProperties: { type: 'string' } },
                  raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
            },
          },
        },
      },
    ],
  },
};
const widget = (spec: Record<string, unknown>) => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w', namespace: 'x' },
  spec,
});

policyTable(unknownFieldsPolicy, [
  {
    name: 'passes: a custom resource within the CRD in the input (maps and preserved fields open)',
    yaml: yamlOf(crd, widget({ size: 1, labels: { a: 'b' }, raw: { anything: { goes: 1 } } })),
    expect: {},
  },
  {
    name: 'fails: a field the CRD in the input does not define',
    yaml: yamlOf(crd, widget({ sise: 1 })),
    expect: { 'Widget/w': [/error: unknown field spec.sise/] },
  },
]);

// Not in `npm run mutation`: Stryker's sandbox inserts `// @ts-nocheck` into every TypeScript file, the
// builder's own text included, which installedSources() hashes; the drift check runs in the ordinary suite.
describe.skipIf(process.env.MUTATION_RULE !== undefined)('policies/lib/strict-fields.json', () => {
  it('was built from the installed kubernetes-models declarations (run `npm run docs` after upgrading them)', () => {
    const committed = JSON.parse(readFileSync(FIELDS_PATH, 'utf8')) as { packages: Record<string, string>; sources: string };
    const installed = installedSources();
    expect(committed.packages).toEqual(installed.packages);
    expect(committed.sources).toBe(installed.sources);
  });
});

describe('unknown-fields (mutation)', () => {
  const newerThanPinned = ((): string | undefined => {
    const pinned = OPERATOR_FIELDS.releases.indexOf(PINNED_OPERATOR);
    const spec = OPERATOR_FIELDS.types[OPERATOR_FIELDS.kinds['monitoring.coreos.com/v1/Prometheus'][0]] as Record<
      string,
      readonly number[]
    >;
    return Object.entries(spec).find(([, f]) => f[1] > pinned && OPERATOR_FIELDS.types[f[0]] === null)?.[0];
  })();
  /** The Prometheus CRD of an operator newer than the pinned one, as a user applying newer CRDs carries it (trimmed to spec). */
  const newerPrometheusCrd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'prometheuses.monitoring.coreos.com' },
    spec: {
      group: 'monitoring.coreos.com',
      names: { kind: 'Prometheus', plural: 'prometheuses' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    replicas: { type: 'integer' },
                    ...(newerThanPinned ? { [newerThanPinned]: { type: 'string' } } : {}),
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
  const listCrd = {
    ...crd,
    metadata: { name: 'gadgets.example.com' },
    spec: {
      ...crd.spec,
      names: { kind: 'Gadget', plural: 'gadgets' },
      versions: [
        {
          name: 'v1beta1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    parts: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
                    settings: { type: 'object', additionalProperties: true },
                    strict: { type: 'object', additionalProperties: false, properties: { on: { type: 'boolean' } } },
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
  const gadget = (spec: Record<string, unknown>, apiVersion = 'example.com/v1beta1') => ({
    apiVersion,
    kind: 'Gadget',
    metadata: { name: 'g', namespace: 'x' },
    spec,
  });
  policyTable(unknownFieldsPolicy, [
    {
      name: 'passes: open maps (additionalProperties: true), list items within their schema; a version the CRD does not define is not judged by another',
      yaml: yamlOf(
        listCrd,
        crd,
        gadget({ parts: [{ name: 'a' }, { name: 'b' }], settings: { anything: { goes: 1 } }, strict: { on: true } }),
        { ...gadget({ anything: 1 }, 'example.com/v2'), metadata: { name: 'g2', namespace: 'x' } },
      ),
      expect: {},
    },
    {
      name: 'fails: a typo in the second list item, a key under additionalProperties: false, and metadata misplaced under spec',
      yaml: yamlOf(
        listCrd,
        gadget({ parts: [{ name: 'a' }, { nmae: 'b' }], strict: { on: true, of: false }, metadata: { labels: { a: 'b' } } }),
      ),
      expect: {
        'Gadget/g': [
          /^error: unknown field spec.parts\[1\].nmae: example.com\/v1beta1 Gadget has no such field; the API server rejects it under strict validation and drops it otherwise$/,
          /^error: unknown field spec.strict.of:/,
          /^error: unknown field spec.metadata:/,
        ],
      },
    },
    {
      name: 'fails: at most 20 unknown fields are listed for one object',
      yaml: yamlOf(listCrd, gadget({ parts: Array.from({ length: 25 }, (_, i) => ({ nmae: `part-${i}` })) })),
      expect: { 'Gadget/g': Array.from({ length: 20 }, (_, i) => new RegExp(`^error: unknown field spec\\.parts\\[${i}\\]\\.nmae:`)) },
    },
    ...(newerThanPinned
      ? [
          {
            name: `passes: the Prometheus CRD in the input (a newer operator's, with spec.${newerThanPinned}) wins over the pinned operator's fields`,
            yaml: yamlOf(newerPrometheusCrd, {
              apiVersion: 'monitoring.coreos.com/v1',
              kind: 'Prometheus',
              metadata: { name: 'p', namespace: 'monitoring' },
              spec: { replicas: 2, [newerThanPinned]: 'x' },
            }),
            expect: {},
          },
        ]
      : []),
    {
      name: 'passes: a field newer than the model package but served by the pinned operator (spec.scrapeClasses, from v0.72.0)',
      yaml: yamlOf({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'Prometheus',
        metadata: { name: 'p', namespace: 'monitoring' },
        spec: { replicas: 2, scrapeClasses: [{ name: 'default', default: true }] },
      }),
      expect: {},
    },
    {
      name: 'fails: an operator resource with a misspelt label map and a key at the top level, and a spec field no release has and nothing is near',
      yaml: yamlOf({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ThanosRuler',
        metadata: { name: 't', namespace: 'monitoring', label: { app: 't' } },
        replicas: 2,
        spec: { queryEndpoints: ['dnssrv+_http._tcp.thanos-query.monitoring.svc'], zzzQqq: true },
      }),
      expect: {
        'ThanosRuler/t': [
          /^error: unknown field metadata.label: monitoring.coreos.com\/v1 ThanosRuler has no such field; the API server rejects it under strict validation \(server-side apply, as Flux and the generated Argo CD Applications apply, and kubectl apply by default\) and the sync fails$/,
          /^error: unknown field replicas: monitoring.coreos.com\/v1 ThanosRuler has no such field;/,
          /^error: unknown field spec.zzzQqq: monitoring.coreos.com\/v1 ThanosRuler has no such field in any prometheus-operator release up to v\d+\.\d+\.\d+, the one this project pins; the API server rejects it .* and the sync fails\.$/,
        ],
      },
    },
    {
      // core/reference/prometheus-operator-fields-by-version.json: the CRDs read from v0.77.2 on have httpConfig.proxyUrl, not proxyURL.
      name: 'fails: an Alertmanager global httpConfig.proxyURL, which the operator dropped in v0.77.2',
      yaml: yamlOf({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'Alertmanager',
        metadata: { name: 'main', namespace: 'monitoring' },
        spec: { alertmanagerConfiguration: { name: 'global', global: { httpConfig: { proxyURL: 'http://proxy:3128' } } } },
      }),
      expect: {
        'Alertmanager/main': [
          /^error: unknown field spec.alertmanagerConfiguration.global.httpConfig.proxyURL: monitoring.coreos.com\/v1 Alertmanager lost it in prometheus-operator v0.77.2; the API server rejects it/,
        ],
      },
    },
  ]);
});
