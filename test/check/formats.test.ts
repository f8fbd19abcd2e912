import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMarkdown, POLICY_MARKDOWN_LIMIT } from '../../policies/engine/format-markdown.js';
import type { Finding } from '../../policies/lib/types.js';
import { cli, FIXTURES } from './helpers.js';

const upstream = join(FIXTURES, 'upstream-query-store.yaml');

describe('check: every format from one run', () => {
  it('pairs each --format with the --output after it; the last may go to standard output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-formats-'));
    const run = await cli([
      'check',
      '--file',
      upstream,
      '--format',
      'sarif',
      '--output',
      join(dir, 'a.sarif'),
      '--format',
      'markdown',
      '--output',
      join(dir, 'a.md'),
      '--format',
      'github',
    ]);
    expect(run.code).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'a.sarif'), 'utf8')).version).toBe('2.1.0');
    const markdown = readFileSync(join(dir, 'a.md'), 'utf8');
    expect(markdown).toMatch(/^### Policy check\n\n\*\*FAIL\*\*: \d+ errors?, \d+ warnings?, 1 suppressed; 1 set \(files\), 2 objects\.$/m);
    expect(markdown).toMatch(/^\| error \| `thanos-flags` \| {2}\| Deployment thanos\/thanos-query \| /m);
    expect(markdown).toContain('<details><summary>1 suppressed finding</summary>');
    expect(run.stdout).toMatch(/^::error file=/m);
  });
  it('refuses formats and outputs that do not pair, with exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-formats-'));
    const run = await cli([
      'check',
      '--file',
      upstream,
      '--format',
      'sarif',
      '--format',
      'json',
      '--format',
      'github',
      '--output',
      join(dir, 'x'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/3 --format and 1 --output given; give one --output after each --format/);
  });

  it('the markdown summary keeps to its share of the comment, saying how many findings are left out', () => {
    const finding = (i: number): Finding => ({
      rule: 'resources',
      severity: i % 2 ? 'warning' : 'error',
      kind: 'Deployment',
      name: `d${i}`,
      namespace: 'ns',
      overlay: 'prod-oss',
      message: 'x'.repeat(400),
    });
    const findings = Array.from({ length: 300 }, (_, i) => finding(i));
    const text = formatMarkdown({
      findings,
      suppressed: [],
      inputErrors: [],
      summary: { errors: 150, warnings: 150, objects: 300, suppressed: 0 },
      sets: ['prod-oss'],
    });
    expect(text.length).toBeLessThanOrEqual(POLICY_MARKDOWN_LIMIT);
    expect(text).toMatch(/_\d+ more finding\(s\): see the annotations and code scanning\._/);
    // Errors come first: the 150 errors fill the share before any warning.
    expect(text).toContain('| error |');
    expect(text).not.toContain('| warning |');
  });
});
