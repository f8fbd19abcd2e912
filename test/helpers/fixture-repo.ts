import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The tests' registry (see the file's comment); written over settings/overlays.ts in a fixture copy. */
export const FIXTURE_REGISTRY = 'test/fixtures/registry/overlays.ts';
/** Generated folders: recreated from the fixture registry, so nothing of the live overlays leaks in. */
const GENERATED = new Set(['overlays', 'gitops', 'clusters']);
// .stryker-tmp and reports: a mutation run's sandboxes and reports (npm run mutation), which change while it runs.
const SKIPPED = new Set(['node_modules', '.git', '.thanos-ha.lock', 'coverage', '.bench-tmp', '.stryker-tmp', 'reports']);

/** The fixture registry as it reads at settings/overlays.ts (its type import made relative to there). */
export function fixtureRegistryText(source: string): string {
  return readFileSync(join(source, FIXTURE_REGISTRY), 'utf8').replace(
    "from '../../../settings/schema/overlay-entry.js'",
    "from './schema/overlay-entry.js'",
  );
}

/**
 * A copy of the repository at `source` whose registry is the fixture registry and whose overlays/
 * and gitops/ are generated from it (user/ folders fresh), node_modules linked. The live registry,
 * the live overlays and their user/ folders never reach it; settings.ts is the live one (tests
 * read GITOPS rather than assume its values).
 */
export async function buildFixtureRepo(source: string): Promise<{ root: string; cleanup: () => void }> {
  const root = mkdtempSync(join(tmpdir(), 'thanos-ha-fixture-'));
  for (const entry of readdirSync(source)) {
    if (SKIPPED.has(entry) || GENERATED.has(entry)) continue;
    cpSync(join(source, entry), join(root, entry), { recursive: true });
  }
  symlinkSync(join(source, 'node_modules'), join(root, 'node_modules'), 'dir');
  writeFileSync(join(root, 'settings/overlays.ts'), fixtureRegistryText(source));
  // Imported here, not at the top: the generator loads kubernetes-models, which a caller that only
  // needs the paths should not pay for.
  const { generate } = await import('../../generator/operations/generate.js');
  await generate(root);
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
