import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_LABEL } from '../../core/labels.js';
import { renderKustomize } from '../../core/kube/kubectl.js';
import { format } from '../../policies/engine/format.js';
import { parseStream } from '../../policies/engine/parse.js';
import { checkObjects, discoverOverlays, runCheck } from '../../policies/engine/run.js';
import { policies } from '../../policies/registry.js';
import type { CheckReport, CheckSettings, Finding } from '../../policies/lib/types.js';
import { overlays as REGISTRY } from '../../settings/overlays.js';
import { REPO_ROOT } from '../helpers/paths.js';

/**
 * `check --overlay X` and `kubectl kustomize overlays/X | check --file -` judge the same objects:
 * same rules, severities, objects and messages, for every shipped overlay, and for the fleet
 * across sets. Each overlay is rendered once by the test (the file path); the overlay path renders
 * it again itself, as the CLI does.
 */
const overlays = discoverOverlays(REPO_ROOT);
const renders = new Map<string, string>();
let dir: string;

const seen = (f: Finding) => [f.overlay ?? '', f.rule, f.severity, f.kind, f.namespace, f.name, f.message].join(' | ');
const findingsOf = (report: CheckReport) => report.findings.map(seen).sort();
const fromFiles = (files: string[], stdin?: string, settings?: CheckSettings) =>
  runCheck({ policies, root: REPO_ROOT, files, stdin, settings });
const fromOverlays = (names: string[]) => runCheck({ policies, root: REPO_ROOT, overlays: names, origins: false });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'thanos-ha-parity-'));
  for (const name of overlays) {
    const { yaml } = await renderKustomize(join(REPO_ROOT, 'overlays', name));
    renders.set(name, yaml);
    writeFileSync(join(dir, `${name}.yaml`), yaml);
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fleet = REGISTRY.filter((o) => o.role !== undefined).map((o) => o.name);

describe('check --file judges a render as check --overlay judges its overlay', () => {
  it('ships overlays and a fleet (observer, leaves, agent) to compare', () => {
    expect(overlays.length).toBeGreaterThanOrEqual(9);
    expect(new Set(REGISTRY.filter((o) => o.role !== undefined).map((o) => o.role))).toEqual(new Set(['observer', 'leaf', 'agent']));
  });

  it('every shipped overlay: the same findings through --overlay X and through its render on standard input', async () => {
    for (const name of overlays) {
      const [overlay, file] = await Promise.all([fromOverlays([name]), fromFiles(['-'], renders.get(name))]);
      expect(file.inputErrors).toEqual([]);
      expect(file.sets, name).toEqual([name]);
      expect(findingsOf(file), name).toEqual(findingsOf(overlay));
      expect(file.summary, name).toEqual(overlay.summary);
    }
  }, 240_000);

  it('all overlays: a folder of their renders, the renders concatenated and the overlays give the same findings, cross-set ones included', async () => {
    const concatenated = overlays.map((name) => renders.get(name)).join('\n---\n');
    const [overlay, folder, stdin] = await Promise.all([fromOverlays(overlays), fromFiles([dir]), fromFiles(['-'], concatenated)]);
    expect(folder.sets).toEqual(overlays);
    expect(findingsOf(folder)).toEqual(findingsOf(overlay));
    expect(findingsOf(stdin)).toEqual(findingsOf(overlay));
    // Three overlays deploy monitoring-prod on three clusters: each its own set, no duplicate objects.
    expect(stdin.findings.filter((f) => f.rule === 'schema')).toEqual([]);
  }, 240_000);
});

describe('check --file takes the profile from the rendered Namespace', () => {
  // A prod overlay's render without its PodDisruptionBudgets: a practice (pdb) the API server does not enforce.
  const withoutPdbs = (name: string) =>
    renders
      .get(name)!
      .split(/^---\n/m)
      .filter((doc) => !/^kind: PodDisruptionBudget$/m.test(doc))
      .join('---\n');
  const pdbSeverities = (findings: readonly Finding[]) => [...new Set(findings.filter((f) => f.rule === 'pdb').map((f) => f.severity))];

  it('a practice broken in a labelled render is an error, as in the overlay; unlabelled, a warning; --profile overrides', async () => {
    const text = withoutPdbs('prod-gcs');
    // The overlay path's check of one rendered set, on the same objects.
    const asOverlay = checkObjects(
      parseStream(text, { file: 'kubectl kustomize overlays/prod-gcs', overlay: 'prod-gcs', trusted: true }).objects,
      policies,
    );
    expect(pdbSeverities(asOverlay.findings)).toEqual(['error']);
    const labelled = await fromFiles(['-'], text);
    expect(pdbSeverities(labelled.findings)).toEqual(['error']);
    expect(
      labelled.findings
        .filter((f) => f.rule === 'pdb')
        .map(seen)
        .sort(),
    ).toEqual(
      asOverlay.findings
        .filter((f) => f.rule === 'pdb')
        .map(seen)
        .sort(),
    );
    // Each says it is a practice of this project, in JSON and in the text report.
    expect(labelled.findings.filter((f) => f.rule === 'pdb').every((f) => f.practice === true)).toBe(true);
    expect(labelled.findings.filter((f) => f.rule === 'placeholder').some((f) => f.practice)).toBe(false);
    expect(format(labelled, 'text', { policies })).toMatch(/error {3}pdb \(practice\): /);
    expect(JSON.parse(format(labelled, 'json', { policies })).findings.find((f: Finding) => f.rule === 'pdb').practice).toBe(true);
    const unlabelled = text.replace(new RegExp(`^ +${PROFILE_LABEL}: prod\n`, 'm'), '');
    expect(unlabelled).not.toBe(text);
    expect(pdbSeverities((await fromFiles(['-'], unlabelled)).findings)).toEqual(['warning']);
    expect(pdbSeverities((await fromFiles(['-'], unlabelled, { profile: 'staging' })).findings)).toEqual(['error']);
  });

  it('zone-spread follows the label: prod by the Namespace, not prod when --profile says dev', async () => {
    const text = renders
      .get('prod-gcs')!
      .replace(/^( +)topologyKey: topology\.kubernetes\.io\/zone$/gm, '$1topologyKey: kubernetes.io/hostname');
    expect((await fromFiles(['-'], text)).findings.some((f) => f.rule === 'zone-spread')).toBe(true);
    expect((await fromFiles(['-'], text, { profile: 'dev' })).findings.some((f) => f.rule === 'zone-spread')).toBe(false);
  });
});

describe('check --file checks a fleet across its renders', () => {
  const files = () => fleet.map((name) => join(dir, `${name}.yaml`));

  it('the shipped fleet from several --file arguments: the same findings as its overlays, and no fleet-wiring finding', async () => {
    const [overlay, file] = await Promise.all([fromOverlays(fleet), fromFiles(files())]);
    expect(file.sets).toEqual(fleet);
    expect(findingsOf(file)).toEqual(findingsOf(overlay));
    expect(file.findings.filter((f) => f.rule === 'fleet-wiring')).toEqual([]);
  }, 240_000);

  it("a leaf missing from its observer's Query endpoints fails from files (fleet-wiring, on the leaf)", async () => {
    const observer = REGISTRY.find((o) => o.role === 'observer')!.name;
    const edited = mkdtempSync(join(tmpdir(), 'thanos-ha-fleet-'));
    try {
      for (const name of fleet) {
        let text = renders.get(name)!;
        // The observer's render without the last leaf endpoint of its Query's --endpoint.sd-config (the item and its deeper lines).
        if (name === observer) {
          const cut = /\n( +)- address: (thanos-grpc\.[^\n]+)(?:\n\1 [^\n]*)*/g;
          const all = [...text.matchAll(cut)];
          expect(all.length).toBeGreaterThan(0);
          const last = all.at(-1)!;
          text = text.slice(0, last.index) + text.slice(last.index + last[0].length);
        }
        writeFileSync(join(edited, `${name}.yaml`), text);
      }
      const report = await fromFiles([edited]);
      const wiring = report.findings.filter((f) => f.rule === 'fleet-wiring');
      expect(wiring.map((f) => f.severity)).toEqual(['error']);
      expect(wiring[0].message).toMatch(
        new RegExp(`^leaf \\S+ \\(thanos-grpc\\.[^)]+\\) is missing from observer ${observer}'s Query endpoints`),
      );
      expect(fleet).toContain(wiring[0].overlay);
    } finally {
      rmSync(edited, { recursive: true, force: true });
    }
  }, 120_000);
});
