import { RETENTION_LAYOUT_RELEASES } from '../../core/prometheus/retention.js';
import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { retentionOf } from '../lib/retention.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/**
 * Retention is read in three ways across Prometheus v3 (core/prometheus/retention.ts, with the
 * prometheus/prometheus lines): a config that one release reads as "15d and 80 GiB" another reads as
 * "80 GiB and no time limit", refuses at start, or keeps data a million times longer.
 */
export const prometheusRetention: Policy = {
  id: 'prometheus-retention',
  severity: 'error',
  description:
    "A Prometheus server's retention is written where its release reads it: v3.11+ time and size in the config's `storage.tsdb.retention` block (a block without `time` has no time limit), v3.8-v3.10 the time on the flag (a file `time` is a unit bug), before v3.8 flags only.",
  remediation:
    'v3.11+: write `time` (and `size`) in `storage.tsdb.retention` and drop the `--storage.tsdb.retention.*` flags; v3.8-v3.10: keep the time on the flag and only `size` in the block; before v3.8: remove the block and use the flags (or regenerate with the generator, which writes each release its own way).',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    const r = workload && retentionOf(index, workload);
    if (!r) return [];
    const out: Diagnostic[] = [];
    const name = `container ${r.server.name}`;
    const release = RETENTION_LAYOUT_RELEASES[r.layout];
    if (r.note) out.push({ message: r.note, severity: 'warning' });
    const flags = [
      ...(r.timeFlag !== undefined ? [`--storage.tsdb.retention.time=${r.timeFlag}`] : []),
      ...(r.sizeFlag !== undefined ? [`--storage.tsdb.retention.size=${r.sizeFlag}`] : []),
    ];
    if (r.layout === 'flags') {
      // config/config.go:80 (UnmarshalStrict) and :1005-1016 (no retention field) at v3.7.3.
      if (r.block)
        out.push({
          message: `${name}: ${release} parses its config strictly and has no storage.tsdb.retention; it refuses the file and exits at start ("field retention not found"): use --storage.tsdb.retention.time/.size`,
        });
      return out;
    }
    if (r.layout === 'time-flag') {
      // tsdb/db.go:1164-1166 at v3.8.0: model.Duration (ns) stored where milliseconds are meant; fixed by #18200 in v3.11.0.
      if (r.block && r.block.time !== undefined)
        out.push({
          message: `${name}: ${release} applies storage.tsdb.retention.time ${String(r.block.time)} from the config a million times too long (a unit bug fixed in v3.11.0): nothing is ever deleted by time; put the time on --storage.tsdb.retention.time and leave it out of the file`,
        });
      // config/config.go:1054-1061 at v3.8.0: time and size only.
      if (r.block && r.block.percentage !== undefined)
        out.push({
          message: `${name}: ${release} has no storage.tsdb.retention.percentage (v3.11.0 added it); the strict parser refuses the config`,
        });
      // The time flag is where this release must read its time: only the size flag is deprecated for nothing.
      if (r.sizeFlag !== undefined)
        out.push({
          message: `${name}: --storage.tsdb.retention.size is deprecated since v3.8.0 (cmd/prometheus/main.go:453 at v3.8.0); write size in storage.tsdb.retention`,
          severity: 'warning',
        });
      return out;
    }
    // v3.11+: cmd/prometheus/main.go:726-736 and :781-783 at v3.13.2; config/config.go:1113-1114 resets the block.
    if (r.block && r.block.time === undefined && r.timeFlag !== undefined) {
      out.push({
        message: `${name}: the config's storage.tsdb.retention has no time, so ${release} ignores --storage.tsdb.retention.time=${r.timeFlag} (flags are defaults only without a retention section) and keeps data with no time limit; write time: ${r.timeFlag} in the block`,
      });
    } else if (r.block && r.block.time === undefined) {
      out.push({
        message: `${name}: the config's storage.tsdb.retention has no time, so ${release} keeps data with no time limit (not the 15d default); write the time in the block (time: 0s if no limit is meant)`,
        severity: 'warning',
      });
    }
    if (flags.length > 0)
      out.push({
        message: `${name}: ${flags.join(', ')} ${flags.length > 1 ? 'are' : 'is'} deprecated since v3.8.0 (cmd/prometheus/main.go:502-506 at v3.13.2)${r.block ? ' and ignored, as the config has a retention section' : ''}; write time and size in storage.tsdb.retention`,
        severity: 'warning',
      });
    return out;
  },
};
