import { parseVersion } from '../thanos/flags.js';

/**
 * Where a Prometheus release reads its TSDB retention from, and so where the generator writes it
 * and what `check` accepts (prometheus/prometheus, read at each tag):
 *
 * - `flags` (v3.0-v3.7): `--storage.tsdb.retention.time/.size` only. The config is parsed strictly
 *   (config/config.go:80 `yaml.UnmarshalStrict` at v3.7.3) and TSDBConfig has no `retention` field
 *   (config/config.go:1005-1016 at v3.7.3): a `storage.tsdb.retention` block stops the process.
 * - `time-flag` (v3.8-v3.10): the block exists (config/config.go:1054-1061 at v3.8.0) and is merged
 *   with the flags field by field, each only when > 0 (cmd/prometheus/main.go:672-682 at v3.8.0),
 *   but a `time` in the file is applied in nanoseconds where milliseconds are meant, a retention a
 *   million times longer (tsdb/db.go:1164-1166 at v3.8.0, fixed by #18200 in v3.11.0): time goes on
 *   the flag, size in the block.
 * - `file` (v3.11+): the block is read whole; its UnmarshalYAML resets it to zero first
 *   (config/config.go:1113-1114 at v3.13.2) and main.go takes time and size from it unconditionally
 *   (cmd/prometheus/main.go:781-783 at v3.13.2): the flags are defaults only when the config has no
 *   retention section (cmd/prometheus/main.go:726-736), so a block without `time` has no time limit.
 *   Time and size go in one block, and no retention flag (deprecated since v3.8.0,
 *   cmd/prometheus/main.go:502-506 at v3.13.2).
 */
export type RetentionLayout = 'flags' | 'time-flag' | 'file';

/** The layout of a Prometheus version ("v3.13.2", "3.9.0-distroless"); undefined when it is no version. */
export function retentionLayout(version: string): RetentionLayout | undefined {
  const v = parseVersion(version);
  if (!v) return undefined;
  const [major, minor] = v;
  if (major < 3 || (major === 3 && minor < 8)) return 'flags';
  if (major === 3 && minor < 11) return 'time-flag';
  return 'file';
}

/** The releases each layout covers, as messages name them. */
export const RETENTION_LAYOUT_RELEASES: Readonly<Record<RetentionLayout, string>> = {
  flags: 'Prometheus before v3.8',
  'time-flag': 'Prometheus v3.8-v3.10',
  file: 'Prometheus v3.11 and later',
};
