import type { TestProject } from 'vitest/node';
import { buildFixtureRepo } from '../helpers/fixture-repo.js';
import { REPO_ROOT } from '../helpers/paths.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A generated copy of the repository on the fixture registry; read-only (copy it to write). */
    fixtureRoot: string;
  }
}

/** Built once per run and shared: generating the fixture tree costs seconds, reading it nothing. */
export default async function setup(project: TestProject): Promise<() => void> {
  const fixture = await buildFixtureRepo(REPO_ROOT);
  project.provide('fixtureRoot', fixture.root);
  return fixture.cleanup;
}
