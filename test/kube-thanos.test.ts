import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compactSingleton } from '../policies/rules/compact-singleton.js';
import { checkObjects } from '../policies/engine/run.js';
import { parseStream } from '../policies/engine/parse.js';
import { receiveHashring } from '../policies/rules/receive-hashring.js';
import { receiveTopology } from '../policies/rules/receive-topology.js';
import { shardCoverage } from '../policies/rules/shard-coverage.js';
import { cacheWiring } from '../policies/rules/cache-wiring.js';

/**
 * The scale rules on kube-thanos' own manifests (test/fixtures/upstream/kube-thanos/NOTICE says which
 * commit). examples/all is read as its sharded Store and Compact parts (and the unsharded compactor where
 * a case adds it); test/check/upstream.test.ts runs every rule on the whole folders.
 */
const FIXTURES = join(import.meta.dirname, 'fixtures', 'upstream', 'kube-thanos');
/** The Compact and Store shards, their Services, and the unsharded compactor. */
const SHARDED = /^thanos-(compact|store-shard\d)-(.*-)?(service|statefulSet)\.yaml$/;
const RULES = [shardCoverage, compactSingleton, receiveTopology, receiveHashring, cacheWiring];

function findings(folder: string, only?: (file: string) => boolean, edit: (text: string) => string = (t) => t): string[] {
  const files = readdirSync(join(FIXTURES, folder))
    .filter((f) => f.endsWith('.yaml') && (folder !== 'examples-all' || SHARDED.test(f)) && (!only || only(f)))
    .sort();
  const text = edit(files.map((f) => readFileSync(join(FIXTURES, folder, f), 'utf8')).join('\n---\n'));
  const parsed = parseStream(text, { file: folder });
  expect(parsed.errors).toEqual([]);
  return checkObjects(parsed.objects, RULES).findings.map((f) => `${f.rule} ${f.severity} ${f.kind}/${f.name}: ${f.message}`);
}

describe('kube-thanos examples/all', () => {
  it('recognises the three hashmod Store shards and the three Compact shards as complete', () => {
    expect(findings('examples-all', (f) => !f.startsWith('thanos-compact-statefulSet'))).toEqual([]);
  });

  it('reports the unsharded compactor beside the Compact shards, on it and on each shard', () => {
    const found = findings('examples-all');
    expect(found.filter((f) => f.startsWith('compact-singleton error StatefulSet/thanos-compact:'))).toHaveLength(3);
    for (const shard of ['thanos-compact-0', 'thanos-compact-1', 'thanos-compact-2']) {
      expect(found).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^compact-singleton error StatefulSet/${shard}: .* as StatefulSet thanos/thanos-compact, and StatefulSet thanos/thanos-compact is not sharded`,
          ),
        ),
      );
    }
    expect(found.filter((f) => !f.startsWith('compact-singleton error'))).toEqual([]);
  });

  // GIVEN the same manifests with one change each, THEN the shards are no longer complete.
  const shards = (f: string) => !f.startsWith('thanos-compact-statefulSet');
  it('fails when a Store shard is missing, or two keep one residue', () => {
    expect(findings('examples-all', (f) => shards(f) && !f.startsWith('thanos-store-shard2'))).toEqual([
      'shard-coverage error StatefulSet/thanos-store-0: Store shards thanos-store-0, thanos-store-1 (hashmod of __block_id mod 3) keep no shard for residue 2: those blocks are served by no Store Gateway',
    ]);
    const twice = findings('examples-all', shards, (t) => t.replace(/(name: thanos-store-2[\s\S]*?regex: )2/, '$11'));
    expect(twice).toEqual([
      'shard-coverage error StatefulSet/thanos-store-0: Store shards thanos-store-0, thanos-store-1, thanos-store-2 (hashmod of __block_id mod 3) keep no shard for residue 2: those blocks are served by no Store Gateway',
      'shard-coverage error StatefulSet/thanos-store-0: Store shards thanos-store-1 and thanos-store-2 both keep residue 1 of hashmod __block_id mod 3: those blocks are loaded twice',
    ]);
  });

  it('fails when compactors shard on __block_id', () => {
    const found = findings('examples-all', shards, (t) => t.replaceAll('source_labels: ["cluster"]', 'source_labels: ["__block_id"]'));
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(
      /^shard-coverage error StatefulSet\/thanos-compact-0: container thanos-compact: shards compaction on __block_id/,
    );
  });
});

describe('kube-thanos manifests (Receive router and ingestor)', () => {
  it('passes receive-topology and receive-hashring', () => {
    expect(findings('manifests')).toEqual([]);
  });

  it('fails when Query reaches the router instead of the ingestor', () => {
    const found = findings('manifests', undefined, (t) =>
      t.replace('dnssrv+_grpc._tcp.thanos-receive-ingestor-default.thanos', 'dnssrv+_grpc._tcp.thanos-receive-router.thanos'),
    );
    expect(found).toEqual([
      "receive-topology error Deployment/thanos-query: container thanos-query: its endpoints reach Receive router thanos-receive-router, which holds no data: every query fans out to it for nothing; point Query at the ingestors' headless Service",
      'receive-topology error Deployment/thanos-query: container thanos-query: its endpoints reach no pod of Receive ingestor thanos-receive-ingestor-default: the newest samples written there are missing from every query',
    ]);
  });
});
