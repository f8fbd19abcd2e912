import { describe, expect, it } from 'vitest';
import { policies } from '../registry.js';
import { DEFAULT_FILE_SET, splitFileSets } from './file-sets.js';
import { parseStream } from './parse.js';
import { runCheck } from './run.js';

const namespace = (name: string, labels: Record<string, string> = {}) =>
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: ${JSON.stringify(labels)}\n`;
// kube-prometheus' node-exporter, one per cluster; the image differs so the copies are not identical.
const nodeExporter = (tag: string, labels: Record<string, string> = {}) => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter, namespace: monitoring, labels: ${JSON.stringify(labels)}}
spec:
  selector: {matchLabels: {app: node-exporter}}
  template:
    metadata: {labels: {app: node-exporter}}
    spec:
      containers: [{name: node-exporter, image: "quay.io/prometheus/node-exporter:${tag}"}]
`;
const clusterRole = (name: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: ${name}}\nrules: []\n`;

const setsOf = (...files: string[]) =>
  splitFileSets(files.flatMap((text, i) => parseStream(text, { file: `render-${i}.yaml`, startPosition: i * 100 }).objects)).map((s) => ({
    name: s.name,
    objects: s.inputs.map((x) => `${x.object.kind}/${x.object.metadata.name}`),
  }));

describe('splitFileSets', () => {
  it('an object goes to the overlay its thanos-ha.dev/overlay label names, whatever file it is in', () => {
    const a = `${namespace('monitoring-a', { 'thanos-ha.dev/overlay': 'a' })}---\n${nodeExporter('v1', { 'thanos-ha.dev/overlay': 'b' })}`;
    expect(setsOf(a)).toEqual([
      { name: 'a', objects: ['Namespace/monitoring-a'] },
      { name: 'b', objects: ['DaemonSet/node-exporter'] },
    ]);
  });

  it('without the overlay label: by Namespace and cluster label, the nearest Namespace before an object in its file deciding between clusters', () => {
    const one = [namespace('monitoring', { 'thanos-ha.dev/cluster': 'c1' }), nodeExporter('v1'), clusterRole('node-exporter')].join(
      '---\n',
    );
    const two = [namespace('monitoring', { 'thanos-ha.dev/cluster': 'c2' }), nodeExporter('v2'), clusterRole('node-exporter')].join(
      '---\n',
    );
    const expected = (cluster: string) => ({
      name: `monitoring on cluster ${cluster}`,
      objects: ['Namespace/monitoring', 'DaemonSet/node-exporter', 'ClusterRole/node-exporter'],
    });
    expect(setsOf(one, two)).toEqual([expected('c1'), expected('c2')]);
    // Concatenated into one stream, as `cat a.yaml b.yaml | check --file -` hands them over.
    expect(setsOf(`${one}---\n${two}`)).toEqual([expected('c1'), expected('c2')]);
  });

  it("someone else's manifests, which say neither, stay one set: their objects may refer to each other across namespaces", () => {
    expect(setsOf(`${namespace('monitoring')}---\n${nodeExporter('v1')}`, clusterRole('x'))).toEqual([
      { name: DEFAULT_FILE_SET, objects: ['Namespace/monitoring', 'DaemonSet/node-exporter', 'ClusterRole/x'] },
    ]);
  });
});

describe('duplicates in --file input are judged per cluster', () => {
  const check = (stdin: string) => runCheck({ policies, root: '.', files: ['-'], stdin });
  const duplicates = (report: Awaited<ReturnType<typeof check>>) =>
    report.findings.filter((f) => f.rule === 'schema' && f.message.startsWith('duplicate:'));

  it("two clusters' renders concatenated: each cluster's node-exporter is no duplicate of the other's", async () => {
    const render = (cluster: string, tag: string) =>
      [namespace('monitoring', { 'thanos-ha.dev/cluster': cluster }), nodeExporter(tag)].join('---\n');
    const report = await check(`${render('c1', 'v1')}---\n${render('c2', 'v2')}`);
    expect(report.sets).toEqual(['monitoring on cluster c1', 'monitoring on cluster c2']);
    expect(duplicates(report)).toEqual([]);
  });

  it('the same two objects with nothing telling the clusters apart are still a duplicate (kubectl would apply one over the other)', async () => {
    const report = await check([namespace('monitoring'), nodeExporter('v1'), nodeExporter('v2')].join('---\n'));
    expect(duplicates(report).map((f) => f.severity)).toEqual(['error']);
  });
});
