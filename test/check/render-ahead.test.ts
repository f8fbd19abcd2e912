import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rendersToStart } from '../../cli/start.js';
import { renderKustomize, startRender } from '../../core/kube/kubectl.js';

// A repository with two overlays and one folder that is not an overlay (no kustomization).
const root = mkdtempSync(join(tmpdir(), 'render-ahead-'));
for (const name of ['a', 'b']) {
  mkdirSync(join(root, 'overlays', name), { recursive: true });
  writeFileSync(join(root, 'overlays', name, 'kustomization.yaml'), `resources: [cm.yaml]\n`);
  writeFileSync(join(root, 'overlays', name, 'cm.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${name}}\ndata: {k: v}\n`);
}
mkdirSync(join(root, 'overlays', 'notes'), { recursive: true });
const dir = (name: string) => join(root, 'overlays', name);

describe('rendersToStart: the renders a check will ask for, read from its arguments before the CLI loads', () => {
  const cases: Array<[string, string[], string[]]> = [
    ['one overlay', ['check', '--overlay', 'a'], [dir('a')]],
    ['the --overlay=x spelling', ['check', '--overlay=b'], [dir('b')]],
    ['several values after one --overlay, as yargs reads them', ['check', '--overlay', 'a', 'b', '--format', 'json'], [dir('a'), dir('b')]],
    ['repeated --overlay, a name given twice once', ['check', '--overlay', 'a', '--overlay', 'a', '--overlay', 'b'], [dir('a'), dir('b')]],
    ['a format that needs no origin annotations', ['check', '--overlay', 'a', '--format', 'text', '--output', 'x.txt'], [dir('a')]],
    ['--no-origins renders plainly too', ['check', '--no-origins', '--overlay', 'a'], [dir('a')]],
    ['a name with no overlay folder is left to check to report', ['check', '--overlay', 'a', '--overlay', 'missing'], [dir('a')]],
    ['a folder without a kustomization', ['check', '--overlay', 'notes'], []],
    ['a path instead of a name', ['check', '--overlay', '../overlays/a'], []],
    ['every overlay (no --overlay): the render pool starts them', ['check'], []],
    ['another command', ['render', 'overlays/a'], []],
    ['--file', ['check', '--file', 'x.yaml'], []],
    ['--changed-since', ['check', '--changed-since', 'origin/main'], []],
    ['sarif renders with origin annotations', ['check', '--overlay', 'a', '--format', 'sarif'], []],
    ['junit, the = spelling', ['check', '--overlay', 'a', '--format=junit'], []],
    ['--origins', ['check', '--overlay', 'a', '--origins'], []],
    ['--concurrency paces the renders', ['check', '--overlay', 'a', '--concurrency', '1'], []],
    ['--help', ['check', '--overlay', 'a', '--help'], []],
  ];
  it.each(cases)('%s', (_, argv, expected) => {
    expect(rendersToStart(argv, root, 2)).toEqual(expected);
  });

  it('no more than one wave of renders (the number of CPUs)', () => {
    expect(rendersToStart(['check', '--overlay', 'a', 'b'], root, 1)).toEqual([]);
  });
});

describe('startRender: renderKustomize takes over a render started ahead', () => {
  const saved = process.env.KUBECTL;
  afterEach(() => {
    if (saved === undefined) delete process.env.KUBECTL;
    else process.env.KUBECTL = saved;
  });

  // The real kubectl behind a wrapper that notes each start.
  const log = join(root, 'starts.log');
  const wrapper = join(root, 'kubectl-counting');
  writeFileSync(wrapper, `#!/bin/sh\necho "$2" >> '${log}'\nexec kubectl "$@"\n`);
  chmodSync(wrapper, 0o755);
  const starts = () => readFileSync(log, 'utf8').trim().split('\n');

  it('the same folder: one kubectl start, and the same output as a render of its own', async () => {
    process.env.KUBECTL = wrapper;
    writeFileSync(log, '');
    startRender(dir('a'));
    const taken = await renderKustomize(dir('a'));
    expect(starts()).toEqual([dir('a')]);
    const own = await renderKustomize(dir('a'));
    expect(starts()).toEqual([dir('a'), dir('a')]);
    expect(taken.yaml).toBe(own.yaml);
    expect(taken.yaml).toContain('name: cm-a');
  });

  it('another folder renders on its own; the render started ahead is not taken for it', async () => {
    process.env.KUBECTL = wrapper;
    writeFileSync(log, '');
    startRender(dir('a'));
    const other = await renderKustomize(dir('b'));
    expect(other.yaml).toContain('name: cm-b');
    expect(starts().sort()).toEqual([dir('a'), dir('b')]);
    // Taken over later still: nothing started twice.
    expect((await renderKustomize(dir('a'))).yaml).toContain('name: cm-a');
    expect(starts()).toHaveLength(2);
  });

  it('a render that fails fails the same way when taken over', async () => {
    process.env.KUBECTL = wrapper;
    writeFileSync(log, '');
    startRender(dir('notes'));
    const ahead = await renderKustomize(dir('notes')).catch((error: Error) => error);
    const own = await renderKustomize(dir('notes')).catch((error: Error) => error);
    expect(ahead).toBeInstanceOf(Error);
    // kubectl's log line carries a time and a thread id: the same message apart from that header.
    const body = (error: unknown) => (error as Error).message.replace(/E\d{4} [\d:.]+\s+\d+ /, '');
    expect(body(ahead)).toContain("unable to find one of 'kustomization.yaml'");
    expect(body(ahead)).toBe(body(own));
    expect((ahead as Error).name).toBe((own as Error).name);
  });
});
