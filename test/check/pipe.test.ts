import { describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';

/**
 * GIVEN input with thousands of findings (an untagged image per Deployment)
 * WHEN the CLI runs as a child process whose stdout is a pipe (spawnSync reads a real pipe)
 * THEN every format arrives whole: the report is over 1 MiB and ends where the format ends.
 */
const COUNT = 2500;
const input = Array.from(
  { length: COUNT },
  (_, i) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${i}, namespace: ns}
spec:
  selector: {matchLabels: {app: a${i}}}
  template:
    metadata: {labels: {app: a${i}}}
    spec:
      containers: [{name: c, image: nginx}]`,
).join('\n---\n');

const ENDINGS: Record<string, (out: string) => void> = {
  json: (out) => expect(JSON.parse(out).summary.objects).toBe(COUNT),
  sarif: (out) => expect(JSON.parse(out).runs[0].results.length).toBeGreaterThanOrEqual(COUNT),
  junit: (out) => expect(out.trimEnd().endsWith('</testsuites>')).toBe(true),
  github: (out) => expect(out.trimEnd().split('\n').at(-1)).toMatch(/errors?.*objects|::(error|warning|notice)/),
  text: (out) => expect(out).toMatch(new RegExp(`${COUNT} objects`)),
};

describe('check through a pipe', () => {
  for (const [format, complete] of Object.entries(ENDINGS)) {
    it(`--format ${format}: a report over 1 MiB arrives whole`, () => {
      const run = runCliProcess(['check', '--file', '-', '--format', format], { input });
      expect(run.code, run.stderr).toBe(1);
      expect(Buffer.byteLength(run.stdout)).toBeGreaterThan(1024 * 1024);
      complete(run.stdout);
      // Every Deployment is named in the report, the last one included.
      expect(run.stdout).toContain(`app-${COUNT - 1}`);
    });
  }

  it('exits 2 with a message when standard input holds no objects', () => {
    const run = runCliProcess(['check', '--file', '-'], { input: '---\n# nothing rendered\n' });
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toMatch(/no Kubernetes objects in standard input/);
  });
});
