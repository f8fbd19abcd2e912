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
