import { type RetentionLayout, retentionLayout } from '../../core/prometheus/retention.js';
import { PROMETHEUS_VERSION } from '../../settings/versions.js';
import { parseImage } from './images.js';
import { asRecord, type Container, type Index, type Workload } from './model.js';
import { prometheusConfigOf, prometheusContainer, yamlIn } from './thanos.js';

/** Prometheus' default time retention when neither time nor size is set (cmd/prometheus/main.go defaultRetentionDuration). */
export const DEFAULT_RETENTION = '15d';

export interface PrometheusRetention {
  readonly server: Container;
  readonly layout: RetentionLayout;
  /** Said when the image's tag names no version and the pinned release stands in. */
  readonly note?: string;
  /** `storage.tsdb.retention` as the config file writes it; undefined when the file has none (or none is in sight). */
  readonly block?: Record<string, unknown>;
  readonly timeFlag?: string;
  readonly sizeFlag?: string;
  /**
   * The time limit the release applies, as text ("0" = none), read as core/prometheus/retention.ts
   * describes: from v3.11 a block is read whole, flags only stand in without one; before, the
   * flags, with a block's `time`/`size` over them when > 0 on v3.8-v3.10. Without time and size,
   * 15d (cmd/prometheus/main.go:730-731 at v3.13.2; :728-730 at v3.8.0).
   */
  readonly time: string;
}

function present(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

/** A value that counts as set: Prometheus applies a time or size only when it is > 0. */
function positive(value: string | undefined): string | undefined {
  return value !== undefined && !/^0+(\.0+)?[a-zA-Z]*$/.test(value.trim()) ? value : undefined;
}

/** The retention a workload's Prometheus server runs with; undefined without a Prometheus server (or in agent mode, which has no TSDB). */
export function retentionOf(index: Index, workload: Workload): PrometheusRetention | undefined {
  const server = prometheusContainer(workload);
  if (!server || server.flags.has('--agent')) return undefined;
  const tag = parseImage(server.image).tag;
  const own = tag ? retentionLayout(tag) : undefined;
  const layout = own ?? (retentionLayout(PROMETHEUS_VERSION) as RetentionLayout);
  const note = own
    ? undefined
    : `image ${server.image} names no Prometheus version, so its retention is read as the pinned ${PROMETHEUS_VERSION} reads it`;
  const config = prometheusConfigOf(index, workload);
  const doc = config ? asRecord(yamlIn(index, config.text)) : undefined;
  const tsdb = asRecord(asRecord(doc?.storage)?.tsdb);
  const block = tsdb && 'retention' in tsdb ? (asRecord(tsdb.retention) ?? {}) : undefined;
  const timeFlag = server.flags.get('--storage.tsdb.retention.time');
  const sizeFlag = server.flags.get('--storage.tsdb.retention.size');
  const fromFlags = positive(timeFlag) ?? (positive(sizeFlag) ? '0' : DEFAULT_RETENTION);
  let time: string;
  if (layout === 'file') time = block ? (present(block.time) ?? '0') : fromFlags;
  else if (layout === 'time-flag') {
    const fileTime = positive(present(block?.time));
    const size = positive(present(block?.size)) ?? positive(sizeFlag);
    time = fileTime ?? positive(timeFlag) ?? (size ? '0' : DEFAULT_RETENTION);
  } else time = fromFlags;
  return { server, layout, note, block, timeFlag, sizeFlag, time };
}
