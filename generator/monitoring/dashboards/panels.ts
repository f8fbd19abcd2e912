import {
  DashboardBuilder,
  DashboardCursorSync,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { JOBS } from '../scrape.js';

/** Every panel queries the datasource the viewer picks: one Thanos datasource per overlay. */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/** `metric{cluster=~"$cluster", namespace="$namespace", job="<job>", ...}`: one stack, chosen by the variables. */
export function m(metric: string, job: string, extra = ''): string {
  return `${metric}{cluster=~"$cluster", namespace="$namespace", job="${job}"${extra ? `, ${extra}` : ''}}`;
}

export interface Query {
  readonly expr: string;
  /** Legend, e.g. "{{pod}}". */
  readonly legend: string;
}

export interface Panel {
  readonly title: string;
  /** What the panel shows and what a bad value means. */
  readonly description: string;
  readonly unit: string;
  readonly queries: readonly Query[];
  /** A single number (stat) rather than a graph. @default "timeseries" */
  readonly kind?: 'timeseries' | 'stat';
}

export interface Row {
  readonly title: string;
  readonly panels: readonly Panel[];
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly rows: readonly Row[];
}

const WIDTH = 24;
const HEIGHT = 8;

function panelBuilder(panel: Panel) {
  const builder = panel.kind === 'stat' ? new StatPanel() : new TimeseriesPanel();
  builder.title(panel.title).description(panel.description).datasource(DATASOURCE).unit(panel.unit);
  for (const [i, q] of panel.queries.entries()) {
    builder.withTarget(
      new DataqueryBuilder()
        .expr(q.expr)
        .legendFormat(q.legend)
        .refId(String.fromCharCode(65 + i)),
    );
  }
  return builder;
}

/**
 * A dashboard with the three variables every one of ours shares (datasource, cluster, namespace)
 * and its rows laid out left to right, up to three panels side by side.
 */
export function buildDashboard(spec: DashboardSpec): Dashboard {
  const prometheusUp = `up{job="${JOBS.prometheus}"}`;
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(['thanos-ha', 'thanos', 'prometheus'])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser')
    .withVariable(new DatasourceVariableBuilder('datasource').label('Datasource').type('prometheus').regex('/Thanos.*/'))
    .withVariable(
      new QueryVariableBuilder('cluster')
        .label('Cluster')
        .datasource(DATASOURCE)
        .query(`label_values(${prometheusUp}, cluster)`)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc)
        .includeAll(true)
        .allValue('.*'),
    )
    .withVariable(
      new QueryVariableBuilder('namespace')
        .label('Namespace')
        .datasource(DATASOURCE)
        .query(`label_values(up{job="${JOBS.prometheus}", cluster=~"$cluster"}, namespace)`)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc),
    );
  let y = 0;
  for (const row of spec.rows) {
    builder.withRow(new RowBuilder(row.title).gridPos({ h: 1, w: WIDTH, x: 0, y }));
    y += 1;
    const perLine = row.panels.length % 3 === 0 || row.panels.length > 4 ? 3 : 2;
    const width = WIDTH / perLine;
    row.panels.forEach((panel, index) => {
      const x = (index % perLine) * width;
      if (index > 0 && index % perLine === 0) y += HEIGHT;
      builder.withPanel(panelBuilder(panel).gridPos({ h: HEIGHT, w: width, x, y }));
    });
    y += HEIGHT;
  }
  return builder.build();
}
