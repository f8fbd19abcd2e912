import { describe } from 'vitest';
import { policyTable } from '../testing/rule-cases.js';
import { yamlOf } from '../testing/fixtures.js';
import { placeholder } from './placeholder.js';

const cm = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'm' },
  data,
});
const secret = (name: string, text: string) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'm' },
  data: { 'objstore.yml': Buffer.from(text).toString('base64') },
});

policyTable(placeholder, [
  {
    name: 'passes: real values (words that merely contain the markers are no placeholders)',
    yaml: yamlOf(
      cm('ok', {
        'objstore.yml': 'type: S3\nconfig: {bucket: metrics-prod}\n',
        note: 'exchange me later',
        doc: 'replacement value of a Replace action',
        html: '<b>bold</b> <my_tag> a<B>b',
      }),
      secret('s', 'type: GCS\nconfig: {bucket: b}\n'),
    ),
    expect: {},
  },
  {
    name: 'warns on a placeholder, in plain values and in decoded Secret data',
    yaml: yamlOf(
      cm('bucket', { 'objstore.yml': 'type: S3\nconfig:\n  bucket: CHANGE-ME-prod-s3\n' }),
      cm('cache', { 'cache.yml': 'type: MEMCACHED\nconfig:\n  addresses: [dnssrv+_client._tcp.<MEMCACHED_SERVICE>.thanos]\n' }),
      secret('s', 'config: {access_key: <your-access-key>}'),
    ),
    expect: {
      'ConfigMap/bucket': [/warning: still at a placeholder: data.objstore.yml: bucket: CHANGE-ME-prod-s3/],
      'ConfigMap/cache': [
        /warning: still at a placeholder: data.cache.yml: addresses: \[dnssrv\+_client._tcp.<MEMCACHED_SERVICE>.thanos\]/,
      ],
      'Secret/s': [/warning: still at a placeholder: data.objstore.yml \(decoded\): config: \{access_key: <your-access-key>\}/],
    },
  },
  {
    name: 'fails under --fail-on-placeholder',
    settings: { failOnPlaceholder: true },
    yaml: yamlOf({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'a', namespace: 'argocd' },
      spec: { source: { repoURL: 'https://git.example.com/CHANGE-ME/x.git' } },
    }),
    expect: { 'Application/a': [/error: still at a placeholder: spec.source.repoURL: https:\/\/git.example.com\/CHANGE-ME\/x.git/] },
  },
]);

describe('placeholder (mutation)', () => {
  const longUrl = `https://grafana.example.com/d/thanos-overview/thanos-overview-dashboard?var-cluster=CHANGE-ME-cluster&orgId=1&refresh=30s&from=now-6h`;
  policyTable(placeholder, [
    {
      name: 'warns on a long line around its marker, on list items by index, and at most ten places',
      yaml: yamlOf(
        cm('long', { 'rules.yml': `runbook_url: ${longUrl}` }),
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'q', namespace: 'm' },
          spec: { template: { spec: { containers: [{ name: 'q', args: ['query', '--endpoint=<STORE_ADDRESS>:10901'] }] } } },
        },
        cm('many', Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${String(i).padStart(2, '0')}`, `CHANGE-ME-${i}`]))),
      ),
      expect: {
        'ConfigMap/long': [
          /^warning: still at a placeholder: data\.rules\.yml: \.\.\.w\/thanos-overview-dashboard\?var-cluster=CHANGE-ME-cluster&orgId=1&refresh=30s&f\.\.\.$/,
        ],
        'Deployment/q': [
          /^warning: still at a placeholder: spec\.template\.spec\.containers\[0\]\.args\[1\]: --endpoint=<STORE_ADDRESS>:10901$/,
        ],
        'ConfigMap/many': [
          /^warning: still at a placeholder: data\.k00: CHANGE-ME-0; (data\.k\d\d: CHANGE-ME-\d; ){8}data\.k09: CHANGE-ME-9$/,
        ],
      },
    },
    {
      name: 'passes: a placeholder only in an annotation (notes for people) is not a value the cluster uses',
      yaml: yamlOf({ ...cm('noted', { a: 'b' }), metadata: { name: 'noted', namespace: 'm', annotations: { note: 'CHANGE-ME later' } } }),
      expect: {},
    },
  ]);
});
