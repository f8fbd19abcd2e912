import { JOBS } from '../scrape.js';
import { m, type DashboardSpec } from './panels.js';

const C = JOBS.compact;

export function compactDashboard(): DashboardSpec {
  return {
    uid: 'thanos-ha-compact',
    title: 'Thanos HA / Compact',
    description: 'The compactor: progress, halts, backlog and the blocks it compacts, downsamples and deletes.',
    rows: [
      {
        title: 'Progress',
        panels: [
          {
            kind: 'stat',
            title: 'Halted',
            description: '1 when the compactor stopped on an error that needs a person (ThanosCompactHalted); see its runbook.',
            unit: 'short',
            queries: [{ expr: `max(${m('thanos_compact_halted', C)})`, legend: 'halted' }],
          },
          {
            title: 'Completed iterations (1h)',
            description:
              'Iterations (sync, compact, downsample, retention) finished per hour; none in 24h fires ThanosCompactNotRunRecently.',
            unit: 'short',
            queries: [{ expr: `sum(increase(${m('thanos_compact_iterations_total', C)}[1h]))`, legend: 'iterations' }],
          },
          {
            title: 'Backlog',
            description: 'Compactions still to do; a line that only grows means the compactor cannot keep up.',
            unit: 'short',
            queries: [{ expr: `sum(${m('thanos_compact_todo_compactions', C)})`, legend: 'todo compactions' }],
          },
        ],
      },
      {
        title: 'Blocks',
        panels: [
          {
            title: 'Compactions and failures',
            description: 'Group compactions per second and the failing ones.',
            unit: 'ops',
            queries: [
              { expr: `sum(rate(${m('thanos_compact_group_compactions_total', C)}[$__rate_interval]))`, legend: 'compactions' },
              { expr: `sum(rate(${m('thanos_compact_group_compactions_failures_total', C)}[$__rate_interval]))`, legend: 'failures' },
            ],
          },
          {
            title: 'Downsampling and failures',
            description: 'Downsampling runs (5m and 1h resolutions) and the failing ones.',
            unit: 'ops',
            queries: [
              { expr: `sum(rate(${m('thanos_compact_downsample_total', C)}[$__rate_interval]))`, legend: 'downsamples' },
              { expr: `sum(rate(${m('thanos_compact_downsample_failures_total', C)}[$__rate_interval]))`, legend: 'failures' },
            ],
          },
          {
            title: 'Blocks marked and cleaned',
            description: 'Blocks marked for deletion (retention, compaction) and removed after the delete delay.',
            unit: 'short',
            queries: [
              { expr: `sum by (marker) (increase(${m('thanos_compact_blocks_marked_total', C)}[1h]))`, legend: 'marked {{marker}}' },
              { expr: `sum(increase(${m('thanos_compact_blocks_cleaned_total', C)}[1h]))`, legend: 'cleaned' },
            ],
          },
        ],
      },
    ],
  };
}
