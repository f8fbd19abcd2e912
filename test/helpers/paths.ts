import { join } from 'node:path';

/** The repository the tests run in: the live tree (its registry, its settings, its overlays). */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');
