import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

/**
 * Other people's correct manifests (test/fixtures/upstream/<repo>/NOTICE says which release) through
 * `check --file`, as someone comparing them with ours would run it: no error the cluster or the
 * process would not give. Practices of this project and what the input cannot tell are warnings.
 */
const UPSTREAM = new URL('../fixtures/upstream/', import.meta.url).pathname;

interface JsonFinding {
  readonly rule: string;
  readonly severity: string;
  readonly kind: string;
  readonly name: string;
  readonly message: string;
}

async function errorsOf(folder: string): Promise<{ code: number; errors: string[] }> {
  const run = await cli(['check', '--file', `${UPSTREAM}${folder}`, '--format', 'json']);
  const { findings } = JSON.parse(run.stdout) as { findings: JsonFinding[] };
  return {
    code: run.code,
    errors: findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.kind}/${f.name}: ${f.message}`),
  };
}

describe('check --file on upstream manifests', () => {
  it('kube-thanos manifests/ (Receive router and ingestor, Query, Store): no error', async () => {
    expect(await errorsOf('kube-thanos/manifests')).toEqual({ code: 0, errors: [] });
  });

  it('prometheus-operator v0.89.0 example/thanos: no error', async () => {
    expect(await errorsOf('prometheus-operator/example-thanos')).toEqual({ code: 0, errors: [] });
  });

  it('kube-prometheus v0.17.0 manifests/ (node-exporter in a Namespace labelled only warn: privileged): no error', async () => {
    expect(await errorsOf('kube-prometheus/manifests')).toEqual({ code: 0, errors: [] });
  });

  it('kube-thanos examples/all applied whole: only the errors it deserves', async () => {
    const { code, errors } = await errorsOf('kube-thanos/examples-all');
    expect(code).toBe(1);
    // The unsharded compactor beside the three Compact shards: on it for each shard, and on each shard.
    expect(errors.filter((e) => e.startsWith('compact-singleton StatefulSet/thanos-compact:'))).toHaveLength(3);
    for (const shard of [0, 1, 2])
      expect(errors).toContainEqual(
        expect.stringMatching(
          new RegExp(`^compact-singleton StatefulSet/thanos-compact-${shard}: .*StatefulSet thanos/thanos-compact is not sharded`),
        ),
      );
    // Three ServiceMonitors written twice with different content (the sharded and unsharded component each ship one).
    for (const name of ['thanos-compact', 'thanos-receive', 'thanos-store'])
      expect(errors).toContainEqual(expect.stringMatching(new RegExp(`^schema ServiceMonitor/${name}: duplicate: .* different content`)));
    // The Receive hashrings replicate writes (--receive.replication-factor=2, thanos-receive-default-statefulSet.yaml:73)
    // and label each copy --label=replica="$(NAME)" (:76), but Query deduplicates only prometheus_replica and
    // rule_replica (thanos-query-deployment.yaml:47-48, from kube-thanos all.jsonnet:11): every series written
    // through Receive is returned twice. Deserved, though the count of 9 left it out.
    expect(errors).toContainEqual(
      expect.stringMatching(/^replica-labels Deployment\/thanos-query: .*--query.replica-label does not list replica/),
    );
    // The ruler gives --alertmanagers.url beside --alertmanagers.config-file (thanos-rule-statefulSet.yaml:59-60), which
    // its image, v0.30.2, refuses at start (cmd/thanos/rule.go:198-200@v0.30.2), and the URL has no scheme or host
    // (pkg/alert/config.go:97-105@v0.30.2): the ruler never runs.
    expect(errors.filter((e) => e.startsWith('thanos-config-files StatefulSet/thanos-rule:'))).toEqual([
      expect.stringMatching(/--alertmanagers.url and --alertmanagers.config\* are given together/),
      expect.stringMatching(/--alertmanagers.url=alertmanager:9093 has no host/),
    ]);
    expect(errors).toHaveLength(12);
  });
});
