import { describe, expect, it } from 'vitest';
import { runCheck } from '../../policies/engine/run.js';
import { policies } from '../../policies/registry.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const pdb = (annotations: Record<string, string>) => `apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: old
  namespace: x
  annotations: ${JSON.stringify(annotations)}
spec: {maxUnavailable: 1}
`;
const run = (yaml: string) => runCheck({ policies, root: ROOT, files: ['-'], stdin: yaml });

describe('suppression annotations', () => {
  it('a reason moves the finding to suppressed, with the reason', async () => {
    const report = await run(pdb({ 'thanos-ha.dev/ignore-deprecated-api': 'cluster is 1.24 until Q3' }));
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toEqual([
      expect.objectContaining({ rule: 'deprecated-api', suppressed: { reason: 'cluster is 1.24 until Q3' } }),
    ]);
    expect(report.summary).toEqual(expect.objectContaining({ errors: 0, suppressed: 1 }));
  });
  it('an empty reason is an error and suppresses nothing', async () => {
    const report = await run(pdb({ 'thanos-ha.dev/ignore-deprecated-api': '  ' }));
    expect(report.findings.map((f) => `${f.rule} ${f.severity}: ${f.message}`)).toEqual([
      expect.stringMatching(/^deprecated-api error: annotation thanos-ha.dev\/ignore-deprecated-api has an empty reason/),
      expect.stringMatching(/^deprecated-api error: policy\/v1beta1 PodDisruptionBudget: removed/),
    ]);
  });
  it('an annotation naming no rule is a warning', async () => {
    const report = await run(pdb({ 'thanos-ha.dev/ignore-deprecated-apis': 'typo' }));
    expect(report.findings.map((f) => `${f.rule} ${f.severity}`)).toEqual(['deprecated-api error', 'deprecated-apis warning']);
  });
});
