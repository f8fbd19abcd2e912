import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateAgainstSchema } from '../../core/kube/validate-objects.js';
import { PROVIDER_SPECS, allowedSecretsModes } from '../../generator/model/providers.js';
import { PLAINTEXT_ANNOTATION } from '../../generator/overlay/secrets.js';
import { PROVIDERS, type OverlayDefinition, type ProviderName, type SecretsMode } from '../../settings/schema/overlay-entry.js';
import { find, render, scratchRoot, writeOverlay, type Obj } from './helpers.js';

/** Non-secret settings per provider, and the exact objstore config each yields (credentials as `cred(key)`). */
const SETTINGS: Record<ProviderName, OverlayDefinition['settings']> = {
  s3: { region: 'eu-west-1' },
  gcs: {},
  azure: { storageAccount: 'thanosacct' },
  swift: { endpoint: 'https://keystone.example.com/v3', region: 'RegionTwo', project: 'obs' },
  cos: { region: 'ap-singapore', appId: '1250000000' },
  oss: { region: 'cn-shanghai' },
  minio: {},
  filesystem: {},
};

const cred = (key: string) => `value-of-${key}`;
const EXPECTED: Record<ProviderName, (wi: boolean) => Obj> = {
  s3: (wi) => ({
    type: 'S3',
    config: wi
      ? { aws_sdk_auth: true, bucket: 'b1', endpoint: 's3.eu-west-1.amazonaws.com', insecure: false, region: 'eu-west-1' }
      : {
          access_key: cred('access_key'),
          bucket: 'b1',
          endpoint: 's3.eu-west-1.amazonaws.com',
          insecure: false,
          region: 'eu-west-1',
          secret_key: cred('secret_key'),
        },
  }),
  gcs: (wi) => ({ type: 'GCS', config: wi ? { bucket: 'b1' } : { bucket: 'b1', service_account: cred('service_account') } }),
  azure: (wi) => ({
    type: 'AZURE',
    config: wi
      ? { container: 'b1', storage_account: 'thanosacct' }
      : { container: 'b1', storage_account: 'thanosacct', storage_account_key: cred('storage_account_key') },
  }),
  swift: () => ({
    type: 'SWIFT',
    config: {
      auth_url: 'https://keystone.example.com/v3',
      auth_version: 3,
      container_name: 'b1',
      password: cred('password'),
      project_domain_name: 'Default',
      project_name: 'obs',
      region_name: 'RegionTwo',
      user_domain_name: 'Default',
      username: cred('username'),
    },
  }),
  cos: () => ({
    type: 'COS',
    config: { app_id: '1250000000', bucket: 'b1', region: 'ap-singapore', secret_id: cred('secret_id'), secret_key: cred('secret_key') },
  }),
  oss: () => ({
    type: 'ALIYUNOSS',
    config: {
      access_key_id: cred('access_key_id'),
      access_key_secret: cred('access_key_secret'),
      bucket: 'b1',
      endpoint: 'https://oss-cn-shanghai.aliyuncs.com',
    },
  }),
  minio: () => ({
    type: 'S3',
    config: { access_key: cred('access_key'), bucket: 'b1', endpoint: 'minio:9000', insecure: true, secret_key: cred('secret_key') },
  }),
  filesystem: () => ({ type: 'FILESYSTEM', config: { directory: '/var/thanos/bucket/b1' } }),
};
const DEV_VALUES: Record<string, string> = { access_key: 'thanos-dev', secret_key: 'thanos-dev-secret' };

interface Case {
  readonly overlay: OverlayDefinition;
  readonly mode: SecretsMode;
}
const cases: Case[] = [];
for (const provider of PROVIDERS) {
  const modes = new Set([...allowedSecretsModes(provider, 'staging'), ...allowedSecretsModes(provider, 'dev')]);
  for (const mode of modes) {
    const profile = PROVIDER_SPECS[provider].devOnly ? 'dev' : 'staging';
    const name = `t${cases.length}-${provider}`;
    cases.push({
      mode,
      overlay: {
        name,
        profile,
        provider,
        cluster: name,
        namespace: `ns-${name}`,
        secrets: mode,
        bucket: 'b1',
        settings: SETTINGS[provider],
        identity: mode === 'workload-identity' ? 'the-identity' : undefined,
      },
    });
  }
}

/** The objstore.yml the cluster ends up with, with each credential resolved to `cred(key)` (or the dev value). */
function objstoreOf(root: string, c: Case, objects: Obj[]): Obj {
  const dir = join(root, 'overlays', c.overlay.name);
  switch (c.mode) {
    case 'external-secrets': {
      // What External Secrets does: Go template with the store's properties, `toJson` quoting each.
      const es = find(objects, 'ExternalSecret', 'thanos-objstore');
      const text: string = es.spec.target.template.data['objstore.yml'];
      return parse(text.replace(/\{\{ \.([a-z_]+) \| toJson \}\}/g, (_, key) => JSON.stringify(cred(key))));
    }
    case 'sops': {
      const secret = parse(readFileSync(join(dir, 'objstore.secret.sops.yaml.template'), 'utf8'));
      return parse(secret.stringData['objstore.yml'].replace(/CHANGE-ME-([a-z_]+)/g, (_: string, key: string) => cred(key)));
    }
    case 'sealed-secrets':
      return parse(readFileSync(join(dir, 'objstore.yml.template'), 'utf8').replace(/CHANGE-ME-([a-z_]+)/g, (_, key) => cred(key)));
    case 'workload-identity':
    case 'plain': {
      const secret = find(objects, 'Secret', 'thanos-objstore');
      const config = parse(secret.stringData['objstore.yml']);
      if (c.mode === 'plain' && config.config.access_key) {
        expect(config.config.access_key).toBe(DEV_VALUES.access_key);
        config.config.access_key = cred('access_key');
        config.config.secret_key = cred('secret_key');
      }
      return config;
    }
  }
}

describe('every provider x secrets mode', () => {
  const scratch = scratchRoot();
  const rendered = new Map<string, { objects: Obj[]; warnings: string }>();
  beforeAll(async () => {
    for (const c of cases) writeOverlay(scratch.root, c.overlay);
    const results = await Promise.all(cases.map((c) => render(join(scratch.root, 'overlays', c.overlay.name))));
    cases.forEach((c, i) => {
      rendered.set(c.overlay.name, results[i]);
    });
  });
  afterAll(() => scratch.cleanup());

  it('covers all 8 providers and all 5 modes', () => {
    expect(new Set(cases.map((c) => c.overlay.provider)).size).toBe(8);
    expect(new Set(cases.map((c) => c.mode)).size).toBe(5);
  });

  it.each(cases.map((c) => [`${c.overlay.provider} / ${c.mode}`, c] as const))(
    '%s: exact objstore config, clean render, valid schemas',
    (_, c) => {
      const { objects, warnings } = rendered.get(c.overlay.name)!;
      expect(warnings).toBe('');
      const invalid = objects.map((o) => ({ o, r: validateAgainstSchema(o) })).filter(({ r }) => !r.ok);
      expect(invalid.map(({ o, r }) => `${o.kind}/${o.metadata.name}: ${!r.ok && r.message}`)).toEqual([]);
      expect(objstoreOf(scratch.root, c, objects)).toEqual(EXPECTED[c.overlay.provider](c.mode === 'workload-identity'));
      // Every component mounts the same Secret name, whatever produced it.
      const producers = objects.filter(
        (o) => (o.kind === 'Secret' || o.kind === 'ExternalSecret') && o.metadata.name === 'thanos-objstore',
      );
      expect(producers.length).toBe(c.mode === 'sops' || c.mode === 'sealed-secrets' ? 0 : 1);
      if (c.mode === 'sealed-secrets')
        expect(find(objects, 'SealedSecret', 'thanos-objstore').metadata.namespace).toBe(c.overlay.namespace);
    },
  );

  it('sops: once the user lists the encrypted file in the user Component, it renders as thanos-objstore', async () => {
    // GIVEN the template copied to the user file (sops would encrypt it in place; kustomize sees the same shape)
    const c = cases.find((c) => c.mode === 'sops')!;
    const dir = join(scratch.root, 'overlays', c.overlay.name);
    writeFileSync(join(dir, 'user/objstore.secret.sops.yaml'), readFileSync(join(dir, 'objstore.secret.sops.yaml.template'), 'utf8'));
    const kustomization = join(dir, 'user/kustomization.yaml');
    writeFileSync(kustomization, readFileSync(kustomization, 'utf8').replace('resources: []', 'resources:\n  - objstore.secret.sops.yaml'));
    // WHEN rendered THEN the Secret is there, in the overlay's namespace, with no warning
    const { objects, warnings } = await render(dir);
    expect(warnings).toBe('');
    expect(find(objects, 'Secret', 'thanos-objstore').metadata.namespace).toBe(c.overlay.namespace);
  });

  it('plain Secrets are marked as deliberate and exist only for dev minio/filesystem', () => {
    for (const c of cases.filter((c) => c.mode === 'plain')) {
      expect(['minio', 'filesystem']).toContain(c.overlay.provider);
      expect(c.overlay.profile).toBe('dev');
      const secret = find(rendered.get(c.overlay.name)!.objects, 'Secret', 'thanos-objstore');
      expect(secret.metadata.annotations[PLAINTEXT_ANNOTATION]).toBe('deliberate: dev only');
    }
  });

  it('no credential reaches Git outside plain mode', () => {
    for (const c of cases.filter((c) => c.mode !== 'plain')) {
      const text = JSON.stringify(rendered.get(c.overlay.name)!.objects);
      expect(text).not.toContain('thanos-dev-secret');
      expect(text).not.toContain('value-of-');
    }
  });

  it('workload identity annotates every object-store client ServiceAccount (and labels Azure pods)', () => {
    const annotation: Record<string, string> = {
      s3: 'eks.amazonaws.com/role-arn',
      gcs: 'iam.gke.io/gcp-service-account',
      azure: 'azure.workload.identity/client-id',
    };
    for (const c of cases.filter((c) => c.mode === 'workload-identity')) {
      const objects = rendered.get(c.overlay.name)!.objects;
      for (const name of ['prometheus', 'thanos-store', 'thanos-compact', 'thanos-rule']) {
        expect(
          find(objects, 'ServiceAccount', name).metadata.annotations?.[annotation[c.overlay.provider]],
          `${c.overlay.provider} ${name}`,
        ).toBe('the-identity');
        const label = find(objects, 'StatefulSet', name).spec.template.metadata.labels['azure.workload.identity/use'];
        expect(label).toBe(c.overlay.provider === 'azure' ? 'true' : undefined);
      }
      expect(find(objects, 'ServiceAccount', 'thanos-query').metadata.annotations).toBeUndefined();
    }
  });

  it('minio brings a restricted MinIO, its volume, its Service and a bucket Job', () => {
    for (const c of cases.filter((c) => c.overlay.provider === 'minio')) {
      const objects = rendered.get(c.overlay.name)!.objects;
      const minio = find(objects, 'Deployment', 'minio');
      const container = minio.spec.template.spec.containers[0];
      expect(container.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(minio.spec.template.spec.securityContext.seccompProfile.type).toBe('RuntimeDefault');
      expect(container.resources.limits.memory).toBeDefined();
      expect(container.livenessProbe && container.readinessProbe).toBeTruthy();
      find(objects, 'PersistentVolumeClaim', 'minio-data');
      find(objects, 'Service', 'minio');
      expect(find(objects, 'Job', 'minio-create-bucket').spec.template.spec.containers[0].args[0]).toContain(
        'mc mb --ignore-existing local/b1',
      );
    }
  });

  it('filesystem mounts one shared claim at the directory in every object-store client', () => {
    const c = cases.find((c) => c.overlay.provider === 'filesystem')!;
    const objects = rendered.get(c.overlay.name)!.objects;
    find(objects, 'PersistentVolumeClaim', 'thanos-bucket');
    for (const name of ['thanos-store', 'thanos-compact']) {
      const spec = find(objects, 'StatefulSet', name).spec.template.spec;
      expect(spec.volumes.some((v: Obj) => v.persistentVolumeClaim?.claimName === 'thanos-bucket')).toBe(true);
      expect(spec.containers[0].volumeMounts.some((m: Obj) => m.mountPath === '/var/thanos/bucket')).toBe(true);
    }
  });

  it("object-store egress: only the endpoint's port (443 for every cloud), plus the node-local credential endpoint for workload identity", () => {
    const credentialEndpoints: Record<string, string[]> = {
      s3: ['169.254.170.23/32:80'],
      gcs: ['169.254.169.254/32:80', '169.254.169.252/32:988'],
      azure: [],
    };
    for (const c of cases) {
      const objects = rendered.get(c.overlay.name)!.objects;
      const egress = find(objects, 'NetworkPolicy', 'thanos-store').spec.egress as Obj[];
      const open = egress.filter((r) => !r.to).flatMap((r) => r.ports.map((p: Obj) => p.port));
      const pinned = egress.filter((r) => r.to?.[0].ipBlock).map((r) => `${r.to[0].ipBlock.cidr}:${r.ports[0].port}`);
      const expected = c.overlay.provider === 'minio' ? [9000] : c.overlay.provider === 'filesystem' ? [] : [443];
      expect(open, `${c.overlay.provider}/${c.mode}`).toEqual(expected);
      expect(pinned, `${c.overlay.provider}/${c.mode}`).toEqual(
        c.mode === 'workload-identity' ? credentialEndpoints[c.overlay.provider] : [],
      );
      // Every egress rule names its ports: a rule without them would open every port.
      expect(egress.every((r) => r.ports?.length > 0)).toBe(true);
    }
  });

  it('pods that read the objstore Secret roll when it changes, in the way each secrets mode allows', () => {
    for (const c of cases) {
      const objects = rendered.get(c.overlay.name)!.objects;
      for (const name of ['thanos-store', 'thanos-compact', 'prometheus']) {
        const workload = find(objects, 'StatefulSet', name);
        const hash = workload.spec.template.metadata.annotations?.['thanos-ha.dev/objstore-secret-hash'];
        const reload = workload.metadata.annotations?.['secret.reloader.stakater.com/reload'];
        const at = `${c.overlay.provider}/${c.mode} ${name}`;
        if (c.mode === 'plain' || c.mode === 'sealed-secrets') expect(hash, at).toMatch(/^sha256:[0-9a-f]{64}$/);
        else if (c.mode === 'sops') expect(hash, at).toBe('missing: user/objstore.secret.sops.yaml');
        else expect(hash, at).toBeUndefined();
        expect(reload, at).toBe(c.mode === 'external-secrets' ? 'thanos-objstore' : undefined);
      }
      // Query reads no Secret: nothing rolls it.
      const query = find(objects, 'Deployment', 'thanos-query');
      expect(query.metadata.annotations?.['secret.reloader.stakater.com/reload']).toBeUndefined();
      expect(query.spec.template.metadata.annotations?.['thanos-ha.dev/objstore-secret-hash']).toBeUndefined();
    }
  });
});
