import { exposureOf, fleetConfig, membersOf, roleOf } from '../model/fleet.js';
import type { FleetExposure } from '../model/stack.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';
import { generatedMarkdownFile, type GeneratedFile } from '../write/writer.js';

/** The picture of the registry's fleets, written by `npm run generate` and linked from docs/fleet.md. */
export const FLEET_TOPOLOGY_PATH = 'docs/fleet-topology.md';
const SOURCE = 'settings/overlays.ts';

/**
 * Mermaid reads `"`, `<`, `>`, `|`, `#` and backticks inside labels as syntax (quotes end a label,
 * backticks start a Markdown string): registry values go in as entity codes.
 */
function text(value: string): string {
  return value.replace(/[#"<>|`]/g, (c) => `#${c.charCodeAt(0)};`).replace(/\s+/g, ' ');
}

/** Overlay and cluster names are DNS labels; `_` never occurs in one, so ids cannot collide. */
const id = (prefix: string, name: string) => `${prefix}_${name.replace(/[^a-z0-9]/gi, '_')}`;

function via(exposure: FleetExposure): string {
  if (exposure.via !== 'TLSRoute') return 'via LoadBalancer';
  const g = exposure.gateway;
  return g ? `via TLSRoute on ${g.namespace}/${g.name}` : 'via TLSRoute';
}

/**
 * The registry's fleets as a Mermaid flowchart, or undefined when there is none. One box per fleet
 * (observer name), one per cluster inside it, the observer's bucket beside them. Every address on an
 * edge is the one the generator wires (fleetConfig): the observer's Query dials each leaf's exposed
 * gRPC over mTLS, each agent remote-writes to the observer's exposed Receive, leaves upload to the
 * observer's bucket. Registry order throughout, so the text is stable.
 */
export function fleetDiagram(registry: readonly OverlayDefinition[]): string | undefined {
  const observers = registry.filter((o) => roleOf(o) === 'observer');
  if (observers.length === 0) return undefined;
  const lines = ['flowchart LR'];
  const edges: string[] = [];
  for (const observer of observers) {
    const fleet = id('fleet', observer.name);
    const members = membersOf(observer, registry);
    const overlays = [observer, ...members];
    lines.push(`  subgraph ${fleet}["fleet of ${text(observer.name)}"]`);
    for (const cluster of [...new Set(overlays.map((o) => o.cluster))]) {
      lines.push(`    subgraph ${fleet}__${id('cluster', cluster)}["cluster ${text(cluster)}"]`);
      for (const o of overlays.filter((member) => member.cluster === cluster))
        lines.push(`      ${id('overlay', o.name)}["${text(o.name)}<br/>${roleOf(o)}, namespace ${text(o.namespace)}"]`);
      lines.push('    end');
    }
    const bucket = id('bucket', observer.name);
    lines.push(`    ${bucket}[("${text(observer.provider)} bucket<br/>${text(observer.bucket ?? '')}")]`);
    lines.push('  end');

    const node = id('overlay', observer.name);
    const endpoints = new Map(fleetConfig(observer, registry).leafEndpoints.map((e) => [e.overlay, e]));
    const leaves = membersOf(observer, registry, 'leaf');
    const agents = membersOf(observer, registry, 'agent');
    const writers = agents.length > 0 ? 'sidecars and Receive upload' : 'sidecars upload';
    edges.push(`  ${node} <-->|"${writers}; Store and Compact read"| ${bucket}`);
    for (const leaf of leaves) {
      const endpoint = endpoints.get(leaf.name);
      const exposure = exposureOf(leaf);
      const where = endpoint && exposure ? `<br/>${text(endpoint.address)} ${via(exposure)}` : '';
      edges.push(`  ${node} -->|"Query over gRPC, mTLS${where}"| ${id('overlay', leaf.name)}`);
      edges.push(`  ${id('overlay', leaf.name)} -->|"sidecars upload"| ${bucket}`);
    }
    for (const agent of agents) {
      const url = fleetConfig(agent, registry).remoteWrite?.url;
      edges.push(
        `  ${id('overlay', agent.name)} -->|"remote write, HTTPS and client certificate${url ? `<br/>${text(url)}` : ''}"| ${node}`,
      );
    }
  }
  return `${[...lines, ...edges].join('\n')}\n`;
}

/** docs/fleet-topology.md: the diagram with the generated header, or a note that the registry has no fleet. */
export function fleetTopologyFile(registry: readonly OverlayDefinition[]): GeneratedFile {
  const diagram = fleetDiagram(registry);
  const body = [
    '# Fleet topology',
    '',
    'The fleets of the registry (`settings/overlays.ts`), drawn by `npm run generate`',
    '(generator/gitops/fleet-diagram.ts) from the same fleet model that wires them: each observer,',
    'the leaves its Query reads over gRPC with mTLS, the agents that remote-write to its Receive, and',
    'the bucket they share. Overlays with the role `full` are in no fleet and not drawn. What each',
    'role runs and how the wiring is made: [fleet.md](fleet.md).',
    '',
    ...(diagram ? ['```mermaid', diagram.trimEnd(), '```'] : ['The registry declares no fleet: no overlay has the role `observer`.']),
    '',
  ];
  return generatedMarkdownFile(FLEET_TOPOLOGY_PATH, body.join('\n'), SOURCE);
}
