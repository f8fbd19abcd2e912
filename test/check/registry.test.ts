import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sentencesOf } from '../../policies/build/docs.js';
import { PolicyRegistry, policies, registry } from '../../policies/registry.js';
import type { Policy } from '../../policies/lib/types.js';

const REQUIRED = [
  'compact-singleton',
  'discovery-headless',
  'anti-affinity',
  'replica-labels',
  'receive-hashring',
  'external-labels',
  'block-duration',
  'retention-order',
  'store-delete-delay',
  'ruler-ha',
  'objstore-config',
  'plaintext-secret',
  'deprecated-api',
  'thanos-flags',
  'image-pinned',
  'pod-security',
  'resources',
  'probes',
  'pdb',
  'service-selector',
  'schema',
];
const policiesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'policies', 'rules');

const fake = (id: string): Policy => ({ id, severity: 'error', description: 'd', remediation: 'Do it.', check: () => [] });

describe('policy registry', () => {
  it('has every rule the issue names', () => {
    expect(policies.map((p) => p.id)).toEqual(expect.arrayContaining(REQUIRED));
  });
  it('rejects a duplicate id at registration', () => {
    const r = new PolicyRegistry().register(fake('a-rule'));
    expect(() => r.register(fake('a-rule'))).toThrow(/registered twice/);
  });
  it('rejects an id that is not kebab-case and a remediation that is not a sentence', () => {
    expect(() => new PolicyRegistry().register(fake('Bad_Id'))).toThrow(/kebab-case/);
    expect(() => new PolicyRegistry().register({ ...fake('x'), remediation: 'no period' })).toThrow(/sentence/);
  });
  it('has a module and a table test per policy, named by id', () => {
    const files = new Set(readdirSync(policiesDir));
    for (const p of policies) {
      expect(files.has(`${p.id}.ts`), p.id).toBe(true);
      expect(files.has(`${p.id}.test.ts`), p.id).toBe(true);
      expect(registry.get(p.id)).toBe(p);
      expect(p.description.length).toBeGreaterThan(20);
    }
  });
  it('describes every rule in at most 2 sentences and 45 words (details go to the remediation or the rule file)', () => {
    for (const p of policies) {
      expect(sentencesOf(p.description).length, `${p.id}: ${p.description}`).toBeLessThanOrEqual(2);
      expect(p.description.trim().split(/\s+/).length, `${p.id}: ${p.description}`).toBeLessThanOrEqual(45);
    }
  });
  it('counts sentences at their end, not at dots inside names and versions', () => {
    expect(sentencesOf('Checks objstore.yml on v0.42.4 (a `--a.b` flag). Then more.')).toHaveLength(2);
  });
});
