import { describe, expect, it } from 'vitest';
import { FLEET_TOPOLOGY_PATH, fleetDiagram, fleetTopologyFile } from '../../generator/gitops/fleet-diagram.js';
import { isGeneratedContent, isHandEdited } from '../../generator/write/writer.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';
import { FLEET_REGISTRY } from '../fixtures/registry/fleet.js';

const byName = (name: string) => FLEET_REGISTRY.find((o) => o.name === name)!;
const without = (...names: string[]) => FLEET_REGISTRY.filter((o) => !names.includes(o.name));
const lines = (registry: readonly OverlayDefinition[]) => (fleetDiagram(registry) ?? '').split('\n');

/** The fixture fleet: observer hub-s3; leaves north-s3 (LoadBalancer) and south-s3 (TLSRoute, port 8443); agent edge-s3; solo-s3 outside. */
describe('fleetDiagram: the registry fleet as a Mermaid flowchart', () => {
  const cases: Array<[string, readonly OverlayDefinition[], string[], string[]]> = [
    [
      'the whole fixture fleet: one box per fleet and per cluster, the bucket, every wire the generator makes',
      FLEET_REGISTRY,
      [
        'flowchart LR',
        '  subgraph fleet_hub_s3["fleet of hub-s3"]',
        '    subgraph fleet_hub_s3__cluster_north_1["cluster north-1"]',
        '      overlay_north_s3["north-s3<br/>leaf, namespace monitoring"]',
        '      overlay_hub_s3["hub-s3<br/>observer, namespace monitoring-hub"]',
        '    bucket_hub_s3[("s3 bucket<br/>fleet-metrics")]',
        '  overlay_hub_s3 <-->|"sidecars and Receive upload; Store and Compact read"| bucket_hub_s3',
        '  overlay_hub_s3 -->|"Query over gRPC, mTLS<br/>grpc.north-1.example.com:443 via LoadBalancer"| overlay_north_s3',
        '  overlay_hub_s3 -->|"Query over gRPC, mTLS<br/>grpc.south-1.example.com:8443 via TLSRoute on gateways/edge-gateway"| overlay_south_s3',
        '  overlay_north_s3 -->|"sidecars upload"| bucket_hub_s3',
        '  overlay_south_s3 -->|"sidecars upload"| bucket_hub_s3',
        '  overlay_edge_s3 -->|"remote write, HTTPS and client certificate<br/>https://receive.hub-1.example.com/api/v1/receive"| overlay_hub_s3',
      ],
      ['solo-s3', 'solo_s3'],
    ],
    [
      'leaves only: no Receive uploads, no remote write',
      without('edge-s3'),
      ['  overlay_hub_s3 <-->|"sidecars upload; Store and Compact read"| bucket_hub_s3'],
      ['edge-s3', 'remote write', 'Receive'],
    ],
    [
      'an agent only: it writes to the Receive the observer exposes, no Query edge',
      without('north-s3', 'south-s3'),
      [
        '  overlay_hub_s3 <-->|"sidecars and Receive upload; Store and Compact read"| bucket_hub_s3',
        '  overlay_edge_s3 -->|"remote write, HTTPS and client certificate<br/>https://receive.hub-1.example.com/api/v1/receive"| overlay_hub_s3',
      ],
      ['Query over gRPC', 'north', 'south'],
    ],
    [
      'a leaf sharing the observer cluster is drawn in the one box of that cluster',
      [byName('hub-s3'), { ...byName('north-s3'), cluster: 'hub-1' }],
      ['    subgraph fleet_hub_s3__cluster_hub_1["cluster hub-1"]', '      overlay_north_s3["north-s3<br/>leaf, namespace monitoring"]'],
      ['cluster_north_1'],
    ],
    [
      'registry values that are Mermaid syntax go in as entity codes',
      [{ ...byName('hub-s3'), bucket: 'a"b<c>|d#e`f' }],
      ['    bucket_hub_s3[("s3 bucket<br/>a#34;b#60;c#62;#124;d#35;e#96;f")]'],
      ['a"b'],
    ],
    [
      'two observers: two fleets, each with its own members',
      [
        ...FLEET_REGISTRY,
        { ...byName('hub-s3'), name: 'other-s3', cluster: 'other-1', expose: { host: 'receive.other-1.example.com' } },
        { ...byName('north-s3'), name: 'west-s3', observer: 'other-s3', cluster: 'west-1', expose: { host: 'grpc.west-1.example.com' } },
      ],
      [
        '  subgraph fleet_other_s3["fleet of other-s3"]',
        '    subgraph fleet_other_s3__cluster_west_1["cluster west-1"]',
        '  overlay_other_s3 -->|"Query over gRPC, mTLS<br/>grpc.west-1.example.com:443 via LoadBalancer"| overlay_west_s3',
      ],
      ['overlay_hub_s3 -->|"Query over gRPC, mTLS<br/>grpc.west-1'],
    ],
  ];
  it.each(cases)('%s', (_title, registry, present, absent) => {
    const diagram = lines(registry);
    for (const line of present) expect(diagram).toContain(line);
    for (const text of absent) expect(diagram.join('\n')).not.toContain(text);
    // Every box that opens closes.
    expect(diagram.filter((l) => l.trim().startsWith('subgraph ')).length).toBe(diagram.filter((l) => l.trim() === 'end').length);
  });

  it.each([
    ['an empty registry', []],
    ['overlays that are all full', [byName('solo-s3')]],
    ['members whose observer is missing', without('hub-s3')],
  ])('draws nothing for %s', (_title, registry) => expect(fleetDiagram(registry as OverlayDefinition[])).toBeUndefined());

  it('follows the registry order and nothing else: the same registry draws the same text', () => {
    expect(fleetDiagram([...FLEET_REGISTRY])).toBe(fleetDiagram(FLEET_REGISTRY));
    const reordered = lines([byName('hub-s3'), byName('south-s3'), byName('north-s3')]);
    expect(reordered.findIndex((l) => l.includes('cluster_south_1'))).toBeLessThan(
      reordered.findIndex((l) => l.includes('cluster_north_1')),
    );
  });
});

describe('fleetTopologyFile: docs/fleet-topology.md', () => {
  it('is a generated page with the diagram in a mermaid block, linking to docs/fleet.md', () => {
    const file = fleetTopologyFile(FLEET_REGISTRY);
    expect(file.path).toBe(FLEET_TOPOLOGY_PATH);
    expect(isGeneratedContent(file.content)).toBe(true);
    expect(isHandEdited(file.content)).toBe(false);
    expect(file.content).toContain(`\`\`\`mermaid\n${fleetDiagram(FLEET_REGISTRY)}\`\`\`\n`);
    expect(file.content).toContain('[fleet.md](fleet.md)');
  });
  it('says so when the registry declares no fleet', () => {
    const file = fleetTopologyFile([byName('solo-s3')]);
    expect(file.content).not.toContain('```mermaid');
    expect(file.content).toContain('The registry declares no fleet');
  });
});
