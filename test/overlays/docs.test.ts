import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROFILES, PROVIDERS, SECRETS_MODES } from '../../settings/schema/overlay-entry.js';
import { REPO_ROOT } from '../helpers/repo-copy.js';

const docs = readFileSync(join(REPO_ROOT, 'docs/overlays.md'), 'utf8');
const commandSource = readFileSync(join(REPO_ROOT, 'cli/commands/new-overlay.ts'), 'utf8');
const options = [...commandSource.matchAll(/\.option\('([a-z-]+)'/g)].map((m) => m[1]);

describe('docs/overlays.md covers what the code offers', () => {
  it('found the options of the command', () => expect(options.length).toBeGreaterThanOrEqual(8));
  it.each(options)('documents --%s', (option) => expect(docs).toContain(`| \`--${option}`));
  it.each([...PROVIDERS])('documents provider %s, in the table and in the next steps', (provider) => {
    expect(docs).toContain(`| \`${provider}\` |`);
    expect(docs).toContain(`- **${provider}**:`);
  });
  it.each([...SECRETS_MODES])('documents secrets mode %s', (mode) => expect(docs).toMatch(new RegExp(`\\| \`${mode}\``)));
  it.each([...PROFILES])('documents profile %s', (profile) => expect(docs).toContain(` ${profile} |`));
});
