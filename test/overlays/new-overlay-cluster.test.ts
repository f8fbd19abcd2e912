import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRegistry } from '../../generator/model/registry-file.js';
import { copyRepo, treeHash } from '../helpers/repo-copy.js';
import { expectRefusal, runInProcess } from './cli-harness.js';

/** `new-overlay --cluster`: the cluster an overlay deploys to, and the refusals that keep two overlays apart. */
describe('new-overlay --cluster', () => {
  const copy = copyRepo();
  afterAll(() => copy.cleanup());

  describe('refuses, exit 2 with nothing changed', () => {
    let baseline: string;
    beforeAll(() => {
      baseline = treeHash(copy.root);
    });
    const cases: Array<[string, string[], RegExp]> = [
      [
        'a cluster name with uppercase',
        ['staging-gcs', '--cluster', 'Prod-EU'],
        /--cluster 'Prod-EU' is not a DNS label: it contains uppercase letters/,
      ],
      [
        'a cluster name with an underscore',
        ['staging-gcs', '--cluster', 'prod_eu'],
        /--cluster 'prod_eu' is not a DNS label: only lowercase letters/,
      ],
      ['a cluster name that is a path', ['staging-gcs', '--cluster', '../x'], /--cluster '\.\.\/x' is not a DNS label: it contains '\.\.'/],
      ...['kube-system', 'kube-public', 'kube-node-lease', 'default'].map((ns): [string, string[], RegExp] => [
        `Kubernetes' own namespace ${ns}`,
        ['staging-gcs', '--namespace', ns],
        new RegExp(
          `namespace '${ns}' belongs to Kubernetes itself; the overlay's default-deny NetworkPolicy and "restricted" Pod Security enforcement would land there`,
        ),
      ]),
      ...['argocd', 'flux-system'].map((ns): [string, string[], RegExp] => [
        `the GitOps controllers' namespace ${ns}`,
        ['staging-gcs', '--namespace', ns],
        new RegExp(`namespace '${ns}' belongs to the GitOps controllers`),
      ]),
    ];
    it.each(cases)('%s', (_, args, message) => expectRefusal(copy.root, ['new-overlay', ...args], message, baseline));
  });

  it('a second overlay on the same cluster and namespace is refused; in another namespace it joins the cluster', async () => {
    // GIVEN an overlay created on cluster shared-1
    const first = await runInProcess(copy.root, ['new-overlay', 'staging-gcs', '--cluster', 'shared-1']);
    expect(first.code, first.stderr).toBe(0);
    expect(readRegistry(copy.root).find((o) => o.name === 'staging-gcs')).toMatchObject({
      cluster: 'shared-1',
      namespace: 'monitoring-staging',
    });
    // WHEN another one asks for the same cluster and (default) namespace THEN it is refused and nothing changes
    await expectRefusal(
      copy.root,
      ['new-overlay', 'staging-azure', '--cluster', 'shared-1'],
      /overlay 'staging-gcs' already deploys to namespace 'monitoring-staging' of cluster 'shared-1'; .* Pass another --cluster or --namespace\./,
      treeHash(copy.root),
    );
    // WHEN it asks for another namespace THEN both deploy to shared-1, side by side
    const third = await runInProcess(copy.root, [
      'new-overlay',
      'staging-azure',
      '--cluster',
      'shared-1',
      '--namespace',
      'monitoring-staging-azure',
    ]);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toContain('argocd cluster add <kube-context> --name shared-1');
    // node-exporter runs once per cluster: the first overlay there keeps it, the second leaves it off and says so.
    expect(third.stdout).toContain(
      "note: cluster 'shared-1' already runs node-exporter through 'staging-gcs', so 'staging-azure' leaves it off",
    );
    expect(readRegistry(copy.root).find((o) => o.name === 'staging-azure')!.components).toEqual({ nodeExporter: false });
    expect(readRegistry(copy.root).find((o) => o.name === 'staging-gcs')!.components).toBeUndefined();
    expect(third.stdout).toContain('--path=clusters/shared-1');
    const folder = join(copy.root, 'clusters/shared-1/thanos-ha');
    expect(parse(readFileSync(join(folder, 'kustomization.yaml'), 'utf8')).resources).toEqual(['staging-azure.yaml', 'staging-gcs.yaml']);
    const app = parse(readFileSync(join(copy.root, 'gitops/argocd/applications/staging-azure.yaml'), 'utf8'));
    expect(app.spec.destination).toEqual({ name: 'shared-1', namespace: 'monitoring-staging-azure' });
    // The default cluster is the overlay's name.
    const own = await runInProcess(copy.root, ['new-overlay', 'prod-azure']);
    expect(own.code, own.stderr).toBe(0);
    expect(readRegistry(copy.root).find((o) => o.name === 'prod-azure')!.cluster).toBe('prod-azure');
    expect(existsSync(join(copy.root, 'clusters/prod-azure/thanos-ha/prod-azure.yaml'))).toBe(true);
  });
});
