import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointSettings } from '../../generator/overlay/endpoint.js';
import type { WriteHooks } from '../../generator/write/writer.js';
import { readRegistry } from '../../generator/model/registry-file.js';
import { copyRepo, treeHash } from '../helpers/repo-copy.js';
import { runInProcess } from './cli-harness.js';

const REGISTRY = 'settings/overlays.ts';

describe('new-overlay refuses bad input with exit 2, a message, and no file changed', () => {
  const copy = copyRepo();
  afterAll(() => copy.cleanup());
  // These cases change nothing, so one hash before them all is the baseline for each.
  let baseline: string;
  beforeAll(() => {
    baseline = treeHash(copy.root);
  });

  const cases: Array<[string, string[], RegExp]> = [
    ['a path', ['../x'], /overlay name '\.\.\/x' is not a lowercase DNS label: it contains '\.\.'/],
    ['a nested path', ['a/b'], /overlay name 'a\/b' is not a lowercase DNS label: it contains a path separator/],
    ['uppercase', ['Prod-oss'], /it contains uppercase letters/],
    ['an underscore', ['prod_oss'], /only lowercase letters, digits and '-' are allowed/],
    ['too long', [`${'a'.repeat(60)}-oss`], /at most 63 are allowed/],
    ['no provider part', ['prod'], /is not <env>-<provider>.*Known providers: s3, gcs, azure, swift, cos, oss, minio, filesystem/],
    ['an unknown provider', ['prod-foo'], /unknown provider 'foo'\. Known providers: s3, gcs, azure, swift, cos, oss, minio, filesystem\./],
    ['an unknown environment', ['qa-s3'], /unknown environment 'qa' in 'qa-s3'\. Known environments: dev, staging, prod; .*--profile/],
    ['an existing overlay', ['prod-oss'], /overlay 'prod-oss' already exists .*pass --force/],
    ['plain outside dev', ['prod-s3', '--secrets', 'plain'], /secrets mode 'plain' is not allowed for provider 's3' with profile 'prod'/],
    ['minio (plain HTTP) outside dev', ['prod-minio'], /provider 'minio' is for dev only/],
    [
      'an http:// endpoint outside dev',
      ['prod-oss', '--force', '--endpoint', 'http://oss-cn-beijing.aliyuncs.com'],
      /settings\.endpoint: ALIYUNOSS endpoint 'http:\/\/oss-cn-beijing\.aliyuncs\.com' is plain http:\/\/; use https:\/\//,
    ],
    [
      'a scheme-less endpoint (--endpoint takes a URL)',
      ['staging-oss', '--endpoint', 'oss-cn-beijing.aliyuncs.com'],
      /--endpoint 'oss-cn-beijing\.aliyuncs\.com' of overlay 'staging-oss' is not a URL; give the scheme too, e\.g\. https:\/\/oss-cn-beijing\.aliyuncs\.com\./,
    ],
    [
      'a plain-HTTP OSS endpoint outside dev',
      ['staging-oss', '--endpoint', 'http://oss-cn-beijing.aliyuncs.com'],
      /ALIYUNOSS endpoint 'http:\/\/oss-cn-beijing\.aliyuncs\.com' is plain http:\/\/; use https:\/\/ \(only the dev profile may use plain HTTP\)/,
    ],
    [
      '--internal where the provider has no internal endpoint',
      ['prod-s3', '--internal'],
      /'settings\.internal' is for oss only\. For S3, a gateway VPC endpoint needs no setting/,
    ],
    [
      'workload identity where the provider has none',
      ['staging-cos', '--secrets', 'workload-identity'],
      /secrets mode 'workload-identity' is not allowed for provider 'cos'/,
    ],
    ['filesystem outside dev', ['prod-filesystem'], /provider 'filesystem' is for dev only/],
    ['a bad namespace', ['prod-s3', '--namespace', 'Bad_NS'], /namespace 'Bad_NS' is not a DNS label/],
    ['an unknown profile', ['qa-s3', '--profile', 'qa'], /--profile 'qa' \(overlay 'qa-s3'\) is not one of dev, staging, prod\./],
    ['a provider typo', ['prod-gsc'], /unknown provider 'gsc'\. Known providers: .*\. Did you mean 'gcs'\?/],
    ['an environment typo', ['prdo-s3'], /unknown environment 'prdo' in 'prdo-s3'\. .* Did you mean 'prod'\?/],
    [
      'a secrets mode typo',
      ['prod-s3', '--secrets', 'external-secret'],
      /--secrets 'external-secret' \(overlay 'prod-s3'\) is not one of .* Did you mean 'external-secrets'\?/,
    ],
    ['a profile typo', ['qa-s3', '--profile', 'stagign'], /Did you mean 'staging'\?/],
    [
      '--region where the provider has none',
      ['staging-gcs', '--region', 'europe-west1'],
      /--region does not apply to provider 'gcs' \(overlay 'staging-gcs'\); it applies to s3, cos, oss, swift\./,
    ],
    [
      '--endpoint where the provider has none',
      ['staging-azure', '--endpoint', 'https://acme.blob.core.windows.net'],
      /--endpoint does not apply to provider 'azure' \(overlay 'staging-azure'\)/,
    ],
    [
      '--identity without workload identity',
      ['staging-gcs', '--identity', 'thanos@p.iam.gserviceaccount.com'],
      /--identity applies only with --secrets workload-identity; overlay 'staging-gcs' uses secrets mode 'external-secrets'\./,
    ],
    [
      '--endpoint that is not a URL',
      ['qa-s3', '--profile', 'staging', '--endpoint', 's3.example.com'],
      /--endpoint 's3\.example\.com' of overlay 'qa-s3' is not a URL; give the scheme too, e\.g\. https:\/\/s3\.example\.com\./,
    ],
    [
      'an S3 endpoint with a path',
      ['qa-s3', '--profile', 'staging', '--endpoint', 'https://s3.example.com/bucket'],
      /an S3 endpoint is a host\[:port\] without a path/,
    ],
    [
      'plain HTTP S3 outside dev',
      ['qa-s3', '--profile', 'staging', '--endpoint', 'http://ceph.example.com:7480'],
      /insecure: true.*only the dev profile may use plain HTTP/,
    ],
  ];

  it.each(cases)('%s', async (_, args, message) => {
    const result = await runInProcess(copy.root, ['new-overlay', ...args]);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(treeHash(copy.root)).toBe(baseline);
  });

  it('a registry file that does not parse: file and line, exit 2, nothing changed', async () => {
    const registry = join(copy.root, REGISTRY);
    const good = readFileSync(registry, 'utf8');
    writeFileSync(registry, good.replace("name: 'prod-gcs',", "name: 'prod-gcs'\n    oops: {,"));
    try {
      const before = treeHash(copy.root);
      const result = await runInProcess(copy.root, ['new-overlay', 'prod-s3']);
      expect(result.stderr).toMatch(/^error: settings\/overlays\.ts:\d+:\d+: the overlay registry does not parse: .+ Fix the file/);
      expect(result.code).toBe(2);
      expect(treeHash(copy.root)).toBe(before);
      // generate and remove-overlay read the same registry and fail the same way, without a stack trace.
      for (const args of [['generate'], ['remove-overlay', 'prod-oss']]) {
        const other = await runInProcess(copy.root, args);
        expect(other.code, args[0]).toBe(2);
        expect(other.stderr).toMatch(/^error: settings\/overlays\.ts:\d+:\d+: the overlay registry does not parse/);
        expect(treeHash(copy.root)).toBe(before);
      }
    } finally {
      writeFileSync(registry, good);
    }
  });

  const failures: Record<string, WriteHooks> = {
    'after-first-file': {
      afterFile: (path) => {
        if (path !== REGISTRY) throw new Error('injected failure after the first overlay file');
      },
    },
    'after-files': {
      afterAll: () => {
        throw new Error('injected failure after writing the overlay');
      },
    },
  };
  it.each(Object.keys(failures))('a failure halfway (%s) rolls back the registry edit and the overlay files', async (when) => {
    const before = treeHash(copy.root);
    const result = await runInProcess(copy.root, ['new-overlay', 'staging-gcs'], failures[when]);
    expect(result.stderr).toMatch(
      /new-overlay staging-gcs failed while writing: injected failure.* Rolled back: settings\/overlays\.ts, overlays\/staging-gcs\/ and every other file written are as they were\./,
    );
    expect(result.code).toBe(2);
    expect(treeHash(copy.root)).toBe(before);
    expect(existsSync(join(copy.root, 'overlays/staging-gcs'))).toBe(false);
  });

  it('--force replaces an existing overlay and keeps the user files', async () => {
    const userFile = join(copy.root, 'overlays/prod-oss/user/kustomization.yaml');
    writeFileSync(userFile, `${readFileSync(userFile, 'utf8')}# my note\n`);
    const mine = readFileSync(userFile, 'utf8');
    const result = await runInProcess(copy.root, [
      'new-overlay',
      'prod-oss',
      '--force',
      '--bucket',
      'metrics-oss',
      '--region',
      'cn-beijing',
      '--internal',
    ]);
    expect(result.code).toBe(0);
    expect(readFileSync(userFile, 'utf8')).toBe(mine);
    const entry = readRegistry(copy.root).find((o) => o.name === 'prod-oss')!;
    expect(entry).toMatchObject({ bucket: 'metrics-oss', settings: { region: 'cn-beijing', internal: true } });
    // The internal (VPC) endpoint, over https: the OSS SDK would speak HTTP without the scheme.
    expect(readFileSync(join(copy.root, 'overlays/prod-oss/external-secret.yaml'), 'utf8')).toContain(
      'endpoint: https://oss-cn-beijing-internal.aliyuncs.com',
    );
  });

  it("--force keeps the entry's fields that no option overrides", async () => {
    const before = readRegistry(copy.root).find((o) => o.name === 'prod-gcs')!;
    const result = await runInProcess(copy.root, ['new-overlay', 'prod-gcs', '--force', '--bucket', 'metrics-gcs']);
    expect(result.code, result.stderr).toBe(0);
    expect(readRegistry(copy.root).find((o) => o.name === 'prod-gcs')).toEqual({ ...before, bucket: 'metrics-gcs' });
  });

  it("--endpoint is written in each provider's form: S3 host[:port] with insecure from the scheme, OSS the full https:// URL", async () => {
    const s3 = await runInProcess(copy.root, [
      'new-overlay',
      'lab-s3',
      '--profile',
      'dev',
      '--endpoint',
      'http://minio.lab.internal:9000',
      '--bucket',
      'lab',
    ]);
    expect(s3.code, s3.stderr).toBe(0);
    expect(readRegistry(copy.root).find((o) => o.name === 'lab-s3')!.settings).toEqual({
      endpoint: 'minio.lab.internal:9000',
      insecure: true,
    });
    const es = readFileSync(join(copy.root, 'overlays/lab-s3/external-secret.yaml'), 'utf8');
    expect(es).toContain('endpoint: minio.lab.internal:9000');
    expect(es).toContain('insecure: true');
    const oss = await runInProcess(copy.root, [
      'new-overlay',
      'staging-oss',
      '--endpoint',
      'https://oss-cn-beijing-internal.aliyuncs.com/',
    ]);
    expect(oss.code, oss.stderr).toBe(0);
    expect(readRegistry(copy.root).find((o) => o.name === 'staging-oss')!.settings).toEqual({
      endpoint: 'https://oss-cn-beijing-internal.aliyuncs.com',
    });
  });

  it('a new environment starts from the profile given, with defaults for the rest', async () => {
    const result = await runInProcess(copy.root, ['new-overlay', 'qa-gcs', '--profile', 'staging', '--secrets', 'workload-identity']);
    expect(result.code).toBe(0);
    expect(readRegistry(copy.root).find((o) => o.name === 'qa-gcs')).toEqual({
      name: 'qa-gcs',
      profile: 'staging',
      provider: 'gcs',
      cluster: 'qa-gcs',
      namespace: 'monitoring-qa',
      secrets: 'workload-identity',
      bucket: 'CHANGE-ME-qa-gcs',
    });
    expect(result.stdout).toContain(
      "set bucket of 'qa-gcs' in settings/overlays.ts: it is the placeholder 'CHANGE-ME-qa-gcs' (the real bucket (container) name)",
    );
    expect(result.stdout).toContain(
      "set identity of 'qa-gcs' in settings/overlays.ts: it is the placeholder 'CHANGE-ME-thanos@CHANGE-ME-project.iam.gserviceaccount.com'",
    );
    expect(result.stdout).toContain('ServiceAccount annotation iam.gke.io/gcp-service-account');
  });

  it('dev-minio defaults to plain; dev with a cloud provider defaults to external-secrets', async () => {
    const minio = await runInProcess(copy.root, ['new-overlay', 'devx-minio', '--profile', 'dev']);
    expect(minio.stdout).toContain('secrets plain');
    const s3 = await runInProcess(copy.root, ['new-overlay', 'dev-s3']);
    expect(s3.stdout).toContain('secrets external-secrets');
  });
});

describe("endpointSettings: one URL, each provider's form", () => {
  it.each([
    ['s3', 'https://s3.eu-central-1.amazonaws.com', { endpoint: 's3.eu-central-1.amazonaws.com' }],
    ['s3', 'https://minio.example.com:9000/', { endpoint: 'minio.example.com:9000' }],
    ['s3', 'http://ceph.lab:7480', { endpoint: 'ceph.lab:7480', insecure: true }],
    ['oss', 'https://oss-cn-hangzhou.aliyuncs.com', { endpoint: 'https://oss-cn-hangzhou.aliyuncs.com' }],
    ['cos', 'https://cos.ap-singapore.myqcloud.com/', { endpoint: 'https://cos.ap-singapore.myqcloud.com' }],
    ['swift', 'https://keystone.example.com:5000/v3/', { endpoint: 'https://keystone.example.com:5000/v3' }],
  ] as const)('%s %s', (provider, url, expected) => {
    expect(endpointSettings(provider, url, 'x')).toEqual(expected);
  });
  it.each([
    ['ftp://files.example.com', /the scheme must be https:\/\//],
    ['https://user:secret@s3.example.com', /credentials do not go in the URL/],
    ['https://s3.example.com/?x=1', /without a query/],
  ])('refuses %s', (url, message) => {
    expect(() => endpointSettings('s3', url, 'x')).toThrow(message);
  });
});
