import { describe, expect, it } from 'vitest';
import { THANOS_VERSION as THANOS_FLAGS_VERSION } from '../settings/versions.js';
import { referenceNote } from '../policies/rules/thanos-flags.js';

/** After a bump of THANOS_VERSION (docs/getting-started.md, "Upgrading"), warnings say what they checked against. */
describe('thanos-flags after an upgrade', () => {
  it('while the pin and the flag reference agree, the warning says the version is the pinned one', () => {
    expect(referenceNote(THANOS_FLAGS_VERSION, THANOS_FLAGS_VERSION)).toBe('the version the project pins');
  });
  it('once the pin moved past the reference, it names both and the reference file to add', () => {
    const note = referenceNote('v9.9.9', THANOS_FLAGS_VERSION);
    expect(note).not.toContain('the version the project pins');
    expect(note).toContain('the project now pins v9.9.9');
    expect(note).toContain('generator/reference/thanos-flags-v9.9.9.json');
  });
});
