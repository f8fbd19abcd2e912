import { describe } from 'vitest';
import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { storeDeleteDelay } from './store-delete-delay.js';

const t = (kind: 'StatefulSet' | 'Deployment', name: string, args: string[], ns = 'monitoring') =>
  workload({ kind, name, namespace: ns, containers: [goodContainer({ args })] });

policyTable(storeDeleteDelay, [
  {
    name: 'passes: 24h below 48h; defaults; --flag value form',
    yaml: yamlOf(
      t('StatefulSet', 'store', ['store', '--ignore-deletion-marks-delay=24h']),
      t('StatefulSet', 'compact', ['compact', '--delete-delay', '48h']),
      t('StatefulSet', 'store-default', ['store']),
    ),
    expect: {},
  },
  {
    name: 'fails: store delay equal to or above the compactor delay',
    yaml: yamlOf(
      t('StatefulSet', 'store', ['store', '--ignore-deletion-marks-delay', '48h']),
      t('StatefulSet', 'compact', ['compact', '--delete-delay=48h']),
      t('StatefulSet', 'store-2', ['store', '--ignore-deletion-marks-delay=3d']),
    ),
    expect: {
      'StatefulSet/store': [/--ignore-deletion-marks-delay=48h is not below StatefulSet compact --delete-delay=48h/],
      'StatefulSet/store-2': [/=3d is not below/],
    },
  },
  {
    name: 'passes: a store and a compactor of two stacks (namespaces) whose storage the input cannot see are not compared',
    yaml: yamlOf(
      t(
        'StatefulSet',
        'store',
        ['store', '--ignore-deletion-marks-delay=72h', '--objstore.config-file=/vault/secrets/objstore.yml'],
        'team-a',
      ),
      t('StatefulSet', 'compact', ['compact', '--delete-delay=48h', '--objstore.config-file=/vault/secrets/objstore.yml'], 'team-b'),
    ),
    expect: {},
  },
  {
    name: 'fails: a store and a compactor in two namespaces on one visible bucket, the compactor named with its namespace',
    yaml: yamlOf(
      workload({
        kind: 'StatefulSet',
        name: 'store',
        namespace: 'team-a',
        containers: [
          goodContainer({ args: ['store', '--ignore-deletion-marks-delay=72h', '--objstore.config=type: GCS\nconfig: {bucket: shared}'] }),
        ],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'compact',
        namespace: 'team-b',
        containers: [goodContainer({ args: ['compact', '--delete-delay=48h', '--objstore.config=type: GCS\nconfig: {bucket: shared}'] })],
      }),
    ),
    expect: { 'StatefulSet/store': [/=72h is not below StatefulSet team-b\/compact --delete-delay=48h/] },
  },
]);

// Thanos v0.42.4 defaults: store --ignore-deletion-marks-delay 24h (cmd/thanos/store.go:193-198), compact
// --delete-delay 48h (cmd/thanos/compact.go:802-807); the store's help asks for half of the compactor's delay.
describe('store-delete-delay (mutation)', () => {
  const fromSecret = (secretName: string) => ({
    volumes: [{ name: 'objstore', secret: { secretName } }],
    mount: [{ name: 'objstore', mountPath: '/etc/thanos' }],
  });
  /** A Thanos workload reading its bucket config from Secret `secret` (key objstore.yml) or from a path no volume serves. */
  const thanos = (name: string, args: string[], opts: { secret?: string; namespace?: string | null } = {}) => {
    const s = opts.secret ? fromSecret(opts.secret) : undefined;
    return workload({
      kind: 'StatefulSet',
      name,
      namespace: opts.namespace,
      ...(s ? { volumes: s.volumes } : {}),
      containers: [
        goodContainer({
          args: [...args, s ? '--objstore.config-file=/etc/thanos/objstore.yml' : '--objstore.config-file=/vault/secrets/objstore.yml'],
          ...(s ? { volumeMounts: s.mount } : {}),
        }),
      ],
    });
  };
  const secret = (name: string, bucket: string, namespace = 'monitoring') => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    stringData: { 'objstore.yml': `type: GCS\nconfig:\n  bucket: ${bucket}\n` },
  });

  policyTable(storeDeleteDelay, [
    {
      name: 'passes: a compactor at --delete-delay=24h with its store at half of it (12h), as the store flag help advises',
      yaml: yamlOf(
        t('StatefulSet', 'store', ['store', '--ignore-deletion-marks-delay=12h']),
        t('StatefulSet', 'compact', ['compact', '--delete-delay=24h']),
      ),
      expect: {},
    },
    {
      name: 'fails: the store default (24h) against a compactor shortened to --delete-delay=24h',
      yaml: yamlOf(t('StatefulSet', 'store', ['store']), t('StatefulSet', 'compact', ['compact', '--delete-delay=24h'])),
      expect: {
        'StatefulSet/store': [
          /^error: --ignore-deletion-marks-delay=24h is not below StatefulSet compact --delete-delay=24h: the store can read blocks after they are deleted$/,
        ],
      },
    },
    {
      name: 'fails: a store raised to 72h against the compactor default (48h)',
      yaml: yamlOf(
        t('StatefulSet', 'store', ['store', '--ignore-deletion-marks-delay=72h']),
        t('Deployment', 'compact', ['compact', '--wait']),
      ),
      expect: {
        'StatefulSet/store': [/^error: --ignore-deletion-marks-delay=72h is not below Deployment compact --delete-delay=48h: the store/],
      },
    },
    {
      name: 'fails: a delay without its unit (--ignore-deletion-marks-delay=24) is not a duration',
      yaml: yamlOf(
        t('StatefulSet', 'store', ['store', '--ignore-deletion-marks-delay=24']),
        t('StatefulSet', 'compact', ['compact', '--delete-delay=1h']),
      ),
      expect: { 'StatefulSet/store': [/^error: container app: --ignore-deletion-marks-delay=24 is not a duration$/] },
    },
    {
      name: 'passes: a compactor whose --delete-delay does not parse is not compared; the next compactor still is',
      yaml: yamlOf(
        t('StatefulSet', 'store', ['store', '--ignore-deletion-marks-delay=36h']),
        t('StatefulSet', 'compact-typo', ['compact', '--delete-delay=48']),
        t('StatefulSet', 'compact', ['compact', '--delete-delay=36h']),
      ),
      expect: { 'StatefulSet/store': [/=36h is not below StatefulSet compact --delete-delay=36h/] },
    },
    {
      name: 'fails: manifests without a namespace (a kustomize base) are one stack',
      yaml: yamlOf(
        t('StatefulSet', 'store', ['store', '--ignore-deletion-marks-delay=48h'], null as unknown as string),
        t('StatefulSet', 'compact', ['compact'], null as unknown as string),
      ),
      expect: { 'StatefulSet/store': [/^error: --ignore-deletion-marks-delay=48h is not below StatefulSet compact --delete-delay=48h/] },
    },
    {
      name: 'fails: store and compactor mounting one Secret the input does not hold are compared, named by the Secret',
      yaml: yamlOf(
        thanos('store', ['store', '--ignore-deletion-marks-delay=48h'], { secret: 'thanos-objstore' }),
        thanos('compact', ['compact'], { secret: 'thanos-objstore' }),
      ),
      expect: {
        'StatefulSet/store': [
          /^error: --ignore-deletion-marks-delay=48h is not below StatefulSet compact --delete-delay=48h \(Secret thanos-objstore key objstore.yml\): /,
        ],
      },
    },
    {
      name: 'passes: two stacks in one namespace on two Secrets the input does not hold are not compared',
      yaml: yamlOf(
        thanos('store', ['store', '--ignore-deletion-marks-delay=48h'], { secret: 'team-a-objstore' }),
        thanos('compact', ['compact'], { secret: 'team-b-objstore' }),
      ),
      expect: {},
    },
    {
      name: 'passes: two visible Secrets naming two buckets in one namespace are two block stores',
      yaml: yamlOf(
        secret('team-a-objstore', 'team-a-blocks'),
        secret('team-b-objstore', 'team-b-blocks'),
        thanos('store', ['store', '--ignore-deletion-marks-delay=48h'], { secret: 'team-a-objstore' }),
        thanos('compact', ['compact'], { secret: 'team-b-objstore' }),
      ),
      expect: {},
    },
    {
      name: 'fails: a Secret in one namespace and an inline config in another naming the same bucket',
      yaml: yamlOf(
        secret('thanos-objstore', 'shared-blocks', 'team-a'),
        thanos('store', ['store', '--ignore-deletion-marks-delay=48h'], { secret: 'thanos-objstore', namespace: 'team-a' }),
        workload({
          kind: 'StatefulSet',
          name: 'compact',
          namespace: 'team-b',
          containers: [goodContainer({ args: ['compact', '--objstore.config=type: GCS\nconfig:\n  bucket: shared-blocks\n'] })],
        }),
      ),
      expect: {
        'StatefulSet/store': [/=48h is not below StatefulSet team-b\/compact --delete-delay=48h \(an inline --objstore.config\)/],
      },
    },
    {
      name: 'fails: where one side reads its config from a path the input cannot serve (an injected file), one namespace is one stack',
      yaml: yamlOf(
        secret('thanos-objstore', 'blocks'),
        thanos('store', ['store', '--ignore-deletion-marks-delay=48h'], { secret: 'thanos-objstore' }),
        thanos('compact', ['compact']),
        thanos('store-injected', ['store', '--ignore-deletion-marks-delay=72h']),
        thanos('compact-b', ['compact', '--delete-delay=72h'], { secret: 'other-objstore' }),
      ),
      expect: {
        'StatefulSet/store': [/=48h is not below StatefulSet compact --delete-delay=48h \(--objstore.config-file \(not from a Secret\)\)/],
        'StatefulSet/store-injected': [
          /=72h is not below StatefulSet compact --delete-delay=48h/,
          /=72h is not below StatefulSet compact-b --delete-delay=72h \(Secret other-objstore key objstore.yml\)/,
        ],
      },
    },
    {
      name: 'a compactor with no objstore flag the input shows: compared within its namespace only',
      yaml: yamlOf(
        thanos('store', ['store', '--ignore-deletion-marks-delay=48h'], { namespace: 'team-a' }),
        t('StatefulSet', 'compact', ['compact'], 'team-b'),
        thanos('store', ['store', '--ignore-deletion-marks-delay=48h'], { namespace: 'team-b' }),
      ),
      expect: {
        'StatefulSet/store': [/^error: --ignore-deletion-marks-delay=48h is not below StatefulSet compact --delete-delay=48h: the store/],
      },
    },
    {
      name: 'passes: a Deployment patch without a pod template, and a store whose only container is not Thanos store',
      yaml: yamlOf(
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'patch', namespace: 'monitoring' }, spec: { replicas: 2 } },
        t('StatefulSet', 'compact', ['compact', '--delete-delay=24h']),
        t('Deployment', 'query', ['query', '--endpoint=dnssrv+_grpc._tcp.store']),
      ),
      expect: {},
    },
  ]);
});
