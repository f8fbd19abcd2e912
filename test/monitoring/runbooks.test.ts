import { describe, expect, it } from 'vitest';
import { DEFAULT_STACK, mergeStack } from '../../generator/model/stack.js';
import { registryModel } from '../../generator/model/registry.js';
import { readRegistry } from '../../generator/model/registry-file.js';
import { RUNBOOKS_DIR, runbookFiles } from '../../generator/monitoring/runbooks.js';
import { fleetMembers, prometheusRuleFiles, rulerRuleFiles } from '../../generator/monitoring/rules/index.js';
import { REPO_ROOT } from '../helpers/repo-copy.js';

const pages = (files: ReturnType<typeof runbookFiles>) => new Map(files.map((f) => [f.path, f.content]));

describe('runbooks', () => {
  // One page per alert serves every overlay, so a page must not carry the base's retention: GIVEN
  // two stacks that differ only in every local retention WHEN the runbooks are rendered THEN they
  // are byte for byte the same, and the pages that need the figure say where each overlay sets it.
  it('name no retention figure: pages are the same whatever the retention', () => {
    const other = mergeStack(DEFAULT_STACK, {
      prometheus: { retention: '97h', retentionSizePercent: 55 },
      receive: { retention: '33d', retentionSizePercent: 44 },
      compact: { retentionRaw: '11d', retention5m: '22d', retention1h: '99d' },
    });
    expect(pages(runbookFiles(other))).toEqual(pages(runbookFiles(DEFAULT_STACK)));
    const byAlert = pages(runbookFiles(DEFAULT_STACK));
    const sidecar = byAlert.get(`${RUNBOOKS_DIR}/ThanosSidecarNoUpload.md`)!;
    expect(sidecar).toContain('overrides.prometheus.retention');
    expect(sidecar).toContain('`storage.tsdb.retention`');
    expect(sidecar).not.toContain(DEFAULT_STACK.prometheus.retention);
    expect(byAlert.get(`${RUNBOOKS_DIR}/ThanosReceiveNoUpload.md`)).toContain('`--tsdb.retention`');
  });

  // Any registry, not the shipped entries by name: whatever an overlay turns on, its alerts' runbook_url resolves.
  it('cover every alert of every overlay of the registry', () => {
    const documented = new Set([...pages(runbookFiles(DEFAULT_STACK)).keys()]);
    const registry = registryModel(readRegistry(REPO_ROOT), REPO_ROOT);
    for (const { name } of registry.entries) {
      const stack = registry.overlay(name).stack;
      const files = [...prometheusRuleFiles(stack), ...rulerRuleFiles(stack, fleetMembers(stack))];
      for (const alert of files.flatMap((f) => f.groups.flatMap((g) => g.rules.map((r) => r.alert))))
        expect(documented.has(`${RUNBOOKS_DIR}/${alert}.md`), `${name}: ${alert}`).toBe(true);
    }
  });
});
