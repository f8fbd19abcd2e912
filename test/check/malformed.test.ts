import { performance } from 'node:perf_hooks';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeOf, runCheck } from '../../policies/engine/run.js';
import { policies } from '../../policies/registry.js';
import { cli, FIXTURES } from './helpers.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const check = (stdin: string) => runCheck({ policies, root: ROOT, files: ['-'], stdin });

/** Deterministic noise: a linear congruential generator, so a failure can be reproduced. */
function noise(length: number, seed: number, withNul: boolean): Buffer {
  const bytes = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = withNul ? x & 0xff : 1 + (x % 255);
  }
  return bytes;
}

describe('malformed input never crashes the check', () => {
  it('a YAML syntax error gives file and line, exit 2, and the good documents are still checked', async () => {
    const run = await cli(['check', '--file', join(FIXTURES, 'syntax-error.yaml'), '--format', 'json']);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout);
    expect(report.inputErrors[0].message).toMatch(/syntax-error.yaml:\d+: YAML syntax error/);
    expect(report.inputErrors[0].line).toBeGreaterThanOrEqual(8);
    expect(run.stderr).toMatch(/error: .*syntax-error.yaml:\d+: YAML syntax error/);
    const text = await cli(['check', '--file', join(FIXTURES, 'syntax-error.yaml')]);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/input error .*syntax-error.yaml:\d+/);
  });

  it('a scalar or list document is an input error naming file and line (exit 2)', async () => {
    const run = await cli(['check', '--file', join(FIXTURES, 'not-a-mapping.yaml'), '--format', 'json']);
    expect(run.code).toBe(2);
    const messages = JSON.parse(run.stdout).inputErrors.map((e: { message: string }) => e.message);
    expect(messages).toEqual([
      expect.stringMatching(/not-a-mapping.yaml:5: the document is a string, not a Kubernetes object/),
      expect.stringMatching(/not-a-mapping.yaml:7: the document is a list, not a Kubernetes object/),
    ]);
  });

  it("a kustomization.yaml among the files is kustomize's input, not an object: an input error that says to render it (exit 2)", async () => {
    // kube-thanos v0.29.0 kustomization.yaml, beside the manifests/ it lists; a Flux Kustomization is an object.
    const report = await check(
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ./manifests/thanos-query-deployment.yaml\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: thanos, namespace: flux-system}\nspec: {interval: 10m, path: ./thanos, prune: true, sourceRef: {kind: GitRepository, name: fleet}}\n',
    );
    expect(exitCodeOf(report)).toBe(2);
    expect(report.inputErrors.map((e) => e.message)).toEqual([
      expect.stringMatching(
        /^-:1: the document is a Kustomization, kustomize's input rather than an object it renders; check what it renders: kubectl kustomize <folder> \| npm run check -- --file -$/,
      ),
    ]);
    expect(report.summary.objects).toBe(1);
  });

  it('an unrendered template value ({{ .Values.name }}, a mapping as a key) is an input error naming its line (exit 2)', async () => {
    const report = await check(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n',
    );
    expect(exitCodeOf(report)).toBe(2);
    expect(report.inputErrors.map((e) => e.message)).toEqual([
      expect.stringMatching(
        /^-:4: a mapping key is itself a mapping or list, as an unrendered Helm or Go template \(\{\{ \.\.\. \}\}\) reads; give the rendered manifests/,
      ),
    ]);
    expect(report.summary.objects).toBe(1);
  });

  it('an object without kind or metadata is a schema finding (exit 1), and other rules skip it', async () => {
    const run = await cli(['check', '--file', join(FIXTURES, 'no-kind-or-metadata.yaml'), '--format', 'json']);
    expect(run.code).toBe(1);
    const findings = JSON.parse(run.stdout).findings;
    expect(
      findings.map(
        (f: { rule: string; kind: string; line: number; message: string }) => `${f.rule} ${f.kind} line ${f.line}: ${f.message}`,
      ),
    ).toEqual([
      'schema (no kind) line 12: the object has no apiVersion, kind, metadata; every object needs apiVersion, kind and metadata.name',
      'schema (no kind) line 5: the object has no kind, metadata; every object needs apiVersion, kind and metadata.name',
      'schema Service line 8: the object has no metadata.name; every object needs apiVersion, kind and metadata.name',
    ]);
  });

  it('binary noise (with and without NUL bytes) is an input error, exit 2', async () => {
    for (const withNul of [true, false]) {
      for (const seed of [1, 7, 42]) {
        const report = await check(noise(4096, seed, withNul).toString('latin1'));
        expect(exitCodeOf(report), `seed ${seed} nul ${withNul}`).toBeGreaterThanOrEqual(1);
        expect(report.inputErrors.length + report.summary.errors, `seed ${seed}`).toBeGreaterThan(0);
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'check-noise-'));
    writeFileSync(join(dir, 'noise.yaml'), noise(2048, 3, true));
    const run = await cli(['check', '--file', join(dir, 'noise.yaml')]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/noise.yaml:\d+: the input contains NUL bytes; it is binary data, not YAML/);
  });

  it('odd but valid documents: empty stream, only separators, a List, numbers as names', async () => {
    expect((await check('')).summary).toEqual({ errors: 0, warnings: 0, objects: 0, suppressed: 0 });
    expect((await check('---\n---\n')).summary.objects).toBe(0);
    const list = await check(
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a, namespace: x}\n- 3\n',
    );
    expect(list.findings.map((f) => `${f.rule} ${f.kind}/${f.name}`)).toEqual(['schema (no kind)/(no name)']);
    // The summary counts objects, not documents: a List stands for its items, an empty one for none.
    const typed = await check(
      'apiVersion: v1\nkind: ConfigMapList\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: x}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b, namespace: x}}\n',
    );
    expect(typed.summary.objects).toBe(2);
    const empty = await check('apiVersion: v1\nkind: List\nitems: []\n');
    expect(exitCodeOf(empty)).toBe(2);
    expect(empty.inputErrors[0].message).toMatch(/no Kubernetes objects in standard input/);
    const numeric = await check('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 123, namespace: 7}\n');
    expect(exitCodeOf(numeric)).toBe(1);
  });

  it('a 10,000-object stream runs without crashing, in bounded time', async () => {
    const docs: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      docs.push(
        i % 2 === 0
          ? `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: ns-${i % 10}\ndata:\n  key: value-${i}\n`
          : `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\n  namespace: ns-${i % 10}\nspec:\n  selector: {app: a${i}}\n  ports: [{port: 80, targetPort: http}]\n`,
      );
    }
    const started = performance.now();
    const report = await check(docs.join('---\n'));
    const ms = performance.now() - started;
    console.log(`10,000-object stream: ${Math.round(ms)} ms, ${report.findings.length} findings`);
    expect(report.summary.objects).toBe(10_000);
    expect(report.findings.filter((f) => f.rule === 'service-selector')).toHaveLength(5_000);
    expect(ms).toBeLessThan(30_000);
  }, 120_000);
});
