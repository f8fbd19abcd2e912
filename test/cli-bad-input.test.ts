import { mkdirSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../cli/main.js';
import { copyRepo, treeHash } from './helpers/repo-copy.js';
import { commitAll, gitIn } from './helpers/git-repo.js';

/**
 * Bad input across every command: each case asserts exit code 2, a message that names the
 * problem, and that no file changed. Cases run in-process against a temporary copy.
 */
interface Case {
  readonly name: string;
  readonly args: (root: string) => string[];
  readonly message: RegExp;
  readonly setup?: (root: string) => void;
  readonly teardown?: (root: string) => void;
  readonly env?: Record<string, string>;
  readonly root?: 'git' | 'plain';
}

const REGISTRY = 'settings/overlays.ts';
let original = '';
const breakRegistry = (text: string) => (root: string) => writeFileSync(join(root, REGISTRY), text);
const restoreRegistry = (root: string) => writeFileSync(join(root, REGISTRY), original);

const cases: Case[] = [
  // generate
  { name: 'generate: unknown option', args: () => ['generate', '--bogus'], message: /Unknown argument|bogus/i },
  { name: 'generate: stray argument', args: () => ['generate', 'everything'], message: /Unknown argument|everything/i },
  {
    name: 'generate: registry with a syntax error',
    args: () => ['generate'],
    setup: (r) => breakRegistry(original.replace('];', ''))(r),
    message: /settings\/overlays\.ts/,
    teardown: restoreRegistry,
  },
  {
    name: 'generate: registry entry with an unknown provider',
    args: () => ['generate'],
    setup: (r) => breakRegistry(original.replace("provider: 'oss'", "provider: 'ftp'"))(r),
    message: /prod-oss|ftp/,
    teardown: restoreRegistry,
  },
  {
    name: 'generate: registry declares an overlay twice',
    args: () => ['generate'],
    setup: (r) => breakRegistry(original.replace("name: 'prod-gcs'", "name: 'prod-oss'").replace("provider: 'gcs'", "provider: 'oss'"))(r),
    message: /twice|duplicate|prod-oss/i,
    teardown: restoreRegistry,
  },
  { name: 'generate --check: unknown option', args: () => ['generate', '--check', '--fix'], message: /Unknown argument|fix/i },
  // new-overlay
  { name: 'new-overlay: no name', args: () => ['new-overlay'], message: /name|Not enough/i },
  { name: 'new-overlay: uppercase', args: () => ['new-overlay', 'Prod-S3'], message: /uppercase|lowercase/i },
  { name: 'new-overlay: path traversal', args: () => ['new-overlay', '../x-s3'], message: /\.\./ },
  { name: 'new-overlay: path separator', args: () => ['new-overlay', 'a/b-s3'], message: /separator|\// },
  { name: 'new-overlay: unknown provider', args: () => ['new-overlay', 'prod-ftp'], message: /unknown provider.*s3.*gcs/i },
  { name: 'new-overlay: unknown environment', args: () => ['new-overlay', 'qa-s3'], message: /qa.*(dev|staging|prod)|profile/i },
  { name: 'new-overlay: overlay exists', args: () => ['new-overlay', 'prod-oss'], message: /already exists.*--force/ },
  { name: 'new-overlay: unknown secrets mode', args: () => ['new-overlay', 'prod-s3', '--secrets', 'vault'], message: /vault|secrets/i },
  { name: 'new-overlay: dev-only provider in prod', args: () => ['new-overlay', 'prod-filesystem'], message: /dev only/i },
  {
    name: 'new-overlay: plaintext secrets in prod',
    args: () => ['new-overlay', 'prod-s3', '--secrets', 'plain'],
    message: /plain.*not allowed|Allowed/i,
  },
  { name: 'new-overlay: namespace not a DNS label', args: () => ['new-overlay', 'dev-s3', '--namespace', 'Bad_NS'], message: /namespace/i },
  { name: 'new-overlay: unknown option', args: () => ['new-overlay', 'dev-s3', '--colour', 'blue'], message: /Unknown argument|colour/i },
  {
    name: 'new-overlay: registry with a syntax error',
    args: () => ['new-overlay', 'dev-s3'],
    setup: breakRegistry('export const overlays = [ {'),
    message: /settings\/overlays\.ts/,
    teardown: restoreRegistry,
  },
  // check
  { name: 'check: unknown overlay', args: () => ['check', '--overlay', 'nope-s3'], message: /nope-s3/ },
  {
    name: 'check: overlay folder deleted by hand',
    args: () => ['check', '--overlay', 'staging-s3'],
    setup: (r) => rmSync(join(r, 'overlays/staging-s3'), { recursive: true }),
    message: /staging-s3/,
    teardown: (r) => gitIn(r, 'checkout', '-q', '--', 'overlays/staging-s3'),
    root: 'git',
  },
  { name: 'check: missing file', args: (r) => ['check', '--file', join(r, 'missing.yaml')], message: /missing\.yaml/ },
  {
    name: 'check: unreadable file (dangling link)',
    args: (r) => ['check', '--file', join(r, 'dangling.yaml')],
    setup: (r) => symlinkSync(join(r, 'nowhere.yaml'), join(r, 'dangling.yaml')),
    teardown: (r) => rmSync(join(r, 'dangling.yaml')),
    message: /dangling\.yaml/,
  },
  {
    name: 'check: YAML syntax error names file and line',
    args: (r) => ['check', '--file', join(r, 'bad.yaml')],
    setup: (r) => writeFileSync(join(r, 'bad.yaml'), 'kind: ConfigMap\nmetadata:\n  name: [unclosed\n'),
    teardown: (r) => rmSync(join(r, 'bad.yaml')),
    message: /bad\.yaml:\d+/,
  },
  { name: 'check: unknown format', args: () => ['check', '--format', 'xml'], message: /format|xml/i },
  {
    name: 'check: kustomization that does not build',
    args: () => ['check', '--overlay', 'broken-s3'],
    setup: (r) => {
      mkdirSync(join(r, 'overlays/broken-s3'));
      writeFileSync(join(r, 'overlays/broken-s3/kustomization.yaml'), 'resources:\n  - does-not-exist.yaml\n');
    },
    teardown: (r) => rmSync(join(r, 'overlays/broken-s3'), { recursive: true }),
    message: /broken-s3/,
  },
  {
    name: 'check: unknown --changed-since ref',
    args: () => ['check', '--changed-since', 'no-such-ref'],
    message: /no-such-ref/,
    root: 'git',
  },
  {
    name: 'check: --changed-since without git history',
    args: () => ['check', '--changed-since', 'HEAD'],
    message: /not a git repository/,
    root: 'plain',
  },
  {
    name: 'check: kubectl missing',
    args: () => ['check', '--overlay', 'prod-oss'],
    env: { KUBECTL: '/nonexistent/kubectl' },
    message: /kubectl was not found/,
  },
  // render
  { name: 'render: no folder', args: () => ['render'], message: /dir|Not enough/i },
  { name: 'render: folder does not exist', args: (r) => ['render', join(r, 'overlays/nope')], message: /not a folder/ },
  { name: 'render: folder without a kustomization', args: (r) => ['render', join(r, 'docs')], message: /no kustomization/ },
  {
    name: 'render: kustomization that does not build',
    args: (r) => ['render', join(r, 'overlays/broken-s3')],
    setup: (r) => {
      mkdirSync(join(r, 'overlays/broken-s3'));
      writeFileSync(join(r, 'overlays/broken-s3/kustomization.yaml'), 'resources:\n  - does-not-exist.yaml\n');
    },
    teardown: (r) => rmSync(join(r, 'overlays/broken-s3'), { recursive: true }),
    message: /kubectl kustomize .*failed/,
  },
  {
    name: 'render: kubectl missing',
    args: (r) => ['render', join(r, 'base')],
    env: { KUBECTL: '/nonexistent/kubectl' },
    message: /kubectl was not found.*install/i,
  },
  // diff
  // upgrade: every tag is judged before settings/versions.ts is touched
  { name: 'upgrade: no pin named', args: () => ['upgrade'], message: /name a pin and its new tag, e\.g\. --thanos v/ },
  { name: 'upgrade: a pin the file does not have', args: () => ['upgrade', '--grafana', 'v11.0.0'], message: /Unknown argument: grafana/ },
  { name: 'upgrade: a pin without its tag', args: () => ['upgrade', '--thanos'], message: /--thanos needs the new tag, e\.g\. --thanos v/ },
  {
    name: 'upgrade: a pin given twice',
    args: () => ['upgrade', '--thanos', 'v0.41.0', '--thanos', 'v0.40.1'],
    message: /--thanos is given more than once/,
  },
  {
    name: 'upgrade: a tag not of the pin form',
    args: () => ['upgrade', '--thanos', '0.41'],
    message: /--thanos 0\.41: '0\.41' is not a release tag of the form the pin uses \(v\d+\.\d+\.\d+\); give one like v1\.2\.3/,
  },
  {
    name: 'upgrade: a Thanos release newer than the flag reference',
    args: () => ['upgrade', '--thanos', 'v0.99.0'],
    message: /Thanos v0\.99\.0 is newer than the flag reference, which knows v0\.20\.2 to v\d+\.\d+\.\d+ .*Regenerate the reference first/,
  },
  {
    name: 'upgrade: a Thanos release older than the flag reference',
    args: () => ['upgrade', '--thanos', 'v0.19.0'],
    message: /Thanos v0\.19\.0 is older than the flag reference/,
  },
  {
    name: 'upgrade: a Prometheus release newer than the field reference',
    args: () => ['upgrade', '--prometheus', 'v3.99.0'],
    message: /Prometheus v3\.99\.0 is newer than the configuration field reference.*Regenerate the reference first/,
  },
  {
    name: 'upgrade: a Prometheus v2 release',
    args: () => ['upgrade', '--prometheus', 'v2.55.1'],
    message: /Prometheus v2\.55\.1 is not a v3 release/,
  },
  {
    name: 'upgrade: memcached without its variant suffix',
    args: () => ['upgrade', '--memcached', '1.6.46'],
    message: /--memcached 1\.6\.46: .*give one like 1\.2\.3-alpine/,
  },
  {
    name: 'upgrade: one good and one bad tag changes neither',
    args: () => ['upgrade', '--alertmanager', 'v0.28.1', '--prometheus', 'v3.99.0'],
    message: /nothing was changed:\n {2}--prometheus v3\.99\.0/,
  },
  {
    name: 'upgrade --since: unknown ref',
    args: () => ['upgrade', '--since', 'origin/does-not-exist'],
    message: /upgrade --since: 'origin\/does-not-exist' is not a commit/,
    root: 'git',
  },
  {
    name: 'upgrade --since: with a pin as well',
    args: () => ['upgrade', '--since', 'HEAD', '--thanos', 'v0.41.0'],
    message: /give --since alone/,
    root: 'git',
  },
  { name: 'diff: no --base', args: () => ['diff'], message: /base/ },
  { name: 'diff: unknown ref', args: () => ['diff', '--base', 'origin/does-not-exist'], message: /not a commit/, root: 'git' },
  { name: 'diff: no git history', args: () => ['diff', '--base', 'HEAD'], message: /not a git repository/, root: 'plain' },
  { name: 'diff: unknown format', args: () => ['diff', '--base', 'HEAD', '--format', 'pdf'], message: /format|pdf/i, root: 'git' },
  { name: 'diff: a ref that looks like an option', args: () => ['diff', '--base=--output=/tmp/x'], message: /not a git ref/, root: 'git' },
  // the CLI itself
  { name: 'unknown command', args: () => ['frobnicate'], message: /Unknown|frobnicate|command/i },
];

describe('bad input: exit 2, a message naming the problem, no file changed', () => {
  let git: { root: string; cleanup: () => void };
  let plain: { root: string; cleanup: () => void };
  beforeAll(() => {
    git = copyRepo();
    original = readFileSync(join(git.root, REGISTRY), 'utf8');
    gitIn(git.root, 'init', '-q', '-b', 'main');
    commitAll(git.root, 'fixture');
    plain = copyRepo();
  });
  afterAll(() => {
    git.cleanup();
    plain.cleanup();
  });

  it('covers at least 30 cases across generate, new-overlay, check, render and diff', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const command of ['generate', 'new-overlay', 'check', 'render', 'diff']) {
      expect(
        cases.some((c) => c.args('/r')[0] === command),
        command,
      ).toBe(true);
    }
  });

  it.each(cases.map((c) => [c.name, c]))('%s', async (_name, c) => {
    const root = c.root === 'plain' ? plain.root : git.root;
    c.setup?.(root);
    const before = treeHash(root);
    const errors: string[] = [];
    const spies = [
      vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' '))),
      vi.spyOn(console, 'log').mockImplementation(() => undefined),
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (errors.push(String(chunk)), true)),
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (errors.push(String(chunk)), true)),
    ];
    const saved = { root: process.env.THANOS_HA_ROOT, kubectl: process.env.KUBECTL, cwd: process.cwd() };
    process.env.THANOS_HA_ROOT = root;
    for (const [k, v] of Object.entries(c.env ?? {})) process.env[k] = v;
    process.chdir(root);
    let code: number;
    let after: string;
    try {
      code = await runCli(c.args(root));
    } finally {
      process.chdir(saved.cwd);
      for (const s of spies) s.mockRestore();
      process.env.THANOS_HA_ROOT = saved.root;
      if (saved.kubectl === undefined) delete process.env.KUBECTL;
      else process.env.KUBECTL = saved.kubectl;
      after = treeHash(root);
      c.teardown?.(root);
    }
    expect(errors.join('\n')).toMatch(c.message);
    expect(code).toBe(2);
    expect(after).toBe(before);
  });
});
