import { beforeAll, describe, expect, it } from 'vitest';
import { renderKustomize } from '../../core/kube/kubectl.js';
import { runCheck } from '../../policies/engine/run.js';
import { policies } from '../../policies/registry.js';

const ROOT = new URL('../../', import.meta.url).pathname;
let base = '';

beforeAll(async () => {
  base = (await renderKustomize(`${ROOT}base`)).yaml;
});

async function errorsAfter(edit: (yaml: string) => string): Promise<string[]> {
  const changed = edit(base);
  expect(changed, 'the edit must change the manifests').not.toBe(base);
  const report = await runCheck({ policies, root: ROOT, files: ['-'], stdin: changed });
  return report.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.kind}/${f.name}: ${f.message}`);
}

/** GIVEN the generated base WHEN one known pitfall is introduced THEN the matching rule reports it. */
describe('policies on the generated base', () => {
  it('the base as generated has no errors', async () => {
    expect(await errorsAfter((y) => `${y}\n`)).toEqual([]);
  });

  const cases: [string, (y: string) => string, RegExp][] = [
    [
      'a replica label missing from Query',
      (y) => y.replace(/ *- --query.replica-label=rule_replica\n/, ''),
      /^replica-labels Deployment\/thanos-query: .*rule_replica/,
    ],
    [
      // Two Store replicas: behind one cluster IP Query reaches one of them (with one replica, that one is all there is).
      'store Service not headless',
      (y) =>
        y
          .replace(/(name: thanos-store\n {2}namespace: monitoring\nspec:\n) {2}clusterIP: None\n/, '$1')
          .replace(/(name: thanos-store\n {2}namespace: monitoring\nspec:\n {2}podManagementPolicy: Parallel\n {2}replicas: )1/, '$12'),
      /^discovery-headless Deployment\/thanos-query: .*thanos-store is not headless/,
    ],
    [
      'hashring entry in the wrong namespace',
      (y) => y.replace('thanos-receive-1.thanos-receive.monitoring', 'thanos-receive-1.thanos-receive.default'),
      /^receive-hashring StatefulSet\/thanos-receive: .*namespace monitoring, not default/,
    ],
    [
      'no per-replica external label',
      (y) => y.replace(/ *prometheus_replica: \$\(POD_NAME\)\n/, ''),
      /^external-labels StatefulSet\/prometheus: 2 replicas share the external labels/,
    ],
    [
      'a second compactor replica',
      (y) =>
        y.replace(
          /(name: thanos-compact\n {2}namespace: monitoring\nspec:\n {2}podManagementPolicy: OrderedReady\n {2})replicas: 1/,
          '$1replicas: 2',
        ),
      /^compact-singleton StatefulSet\/thanos-compact: runs thanos compact with 2 replicas/,
    ],
    [
      'store delay above compact delay',
      (y) => y.replace('--ignore-deletion-marks-delay=24h', '--ignore-deletion-marks-delay=72h'),
      /^store-delete-delay StatefulSet\/thanos-store/,
    ],
    [
      'retention out of order',
      (y) => y.replace('--retention.resolution-5m=90d', '--retention.resolution-5m=7d'),
      /^retention-order StatefulSet\/thanos-compact/,
    ],
    [
      'a removed flag',
      (y) => y.replace('--query.timeout=2m', '--store=dnssrv+_grpc._tcp.thanos-store.monitoring.svc'),
      /^thanos-flags Deployment\/thanos-query: .*--store was removed/,
    ],
    [
      'ruler label not dropped',
      (y) => y.replace(/ *- --alert.label-drop=rule_replica\n/, ''),
      /^ruler-ha StatefulSet\/thanos-rule: .*not dropped from alerts/,
    ],
    [
      'Prometheus compacting locally',
      (y) => y.replace('--storage.tsdb.max-block-duration=2h', '--storage.tsdb.max-block-duration=1d'),
      /^block-duration StatefulSet\/prometheus/,
    ],
  ];
  for (const [name, edit, expected] of cases) {
    it(name, async () => {
      const errors = await errorsAfter(edit);
      expect(
        errors.some((e) => expected.test(e)),
        errors.join('\n'),
      ).toBe(true);
    });
  }
});
