import { posix } from 'node:path';
import { parseDuration } from '../../core/units/duration.js';
import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { resolveFile } from '../lib/model.js';
import { DEFAULT_RETENTION, retentionOf } from '../lib/retention.js';
import { prometheusContainer, sidecarOf } from '../lib/thanos.js';
import type { Diagnostic, Policy } from '../lib/types.js';

const TWO_HOURS = 2 * 3_600_000;

/**
 * The sidecar uploads when it has an objstore config; Prometheus then must not compact locally:
 * `--storage.tsdb.min-block-duration` = `--storage.tsdb.max-block-duration`. The retention is
 * `--storage.tsdb.retention.time` (default 15d); an emptyDir TSDB is reported.
 */
export const blockDuration: Policy = {
  id: 'block-duration',
  severity: 'error',
  description:
    'A Prometheus whose sidecar uploads blocks keeps equal min and max block durations (2h), a retention of at least 3 block durations, and its TSDB on a persistent volume.',
  remediation:
    'Set --storage.tsdb.min-block-duration=2h and --storage.tsdb.max-block-duration=2h, a retention of at least 6h, and mount the TSDB path from a PersistentVolumeClaim (volumeClaimTemplates).',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    if (!workload) return [];
    const sidecar = sidecarOf(workload);
    if (!sidecar || !(sidecar.flags.has('--objstore.config-file') || sidecar.flags.has('--objstore.config'))) return [];
    const prom = prometheusContainer(workload);
    if (!prom)
      return [
        {
          message: 'has an uploading Thanos sidecar but no Prometheus container was recognised; block settings not checked',
          severity: 'warning',
        },
      ];
    const out: Diagnostic[] = [];
    const minText = prom.flags.get('--storage.tsdb.min-block-duration');
    const maxText = prom.flags.get('--storage.tsdb.max-block-duration');
    const min = minText ? parseDuration(minText) : undefined;
    const max = maxText ? parseDuration(maxText) : undefined;
    if (minText === undefined || maxText === undefined) {
      out.push({
        message: `container ${prom.name}: set both --storage.tsdb.min-block-duration and --storage.tsdb.max-block-duration to 2h; without them Prometheus compacts blocks the sidecar then cannot upload`,
      });
    } else if (min === undefined || max === undefined) {
      out.push({ message: `container ${prom.name}: block durations ${minText} / ${maxText} are not durations` });
    } else if (min !== max) {
      out.push({
        message: `container ${prom.name}: --storage.tsdb.min-block-duration=${minText} differs from --storage.tsdb.max-block-duration=${maxText}; Prometheus would compact blocks the sidecar already uploaded`,
      });
    } else if (min !== TWO_HOURS) {
      out.push({ message: `container ${prom.name}: block duration ${minText} is not the 2h Thanos expects`, severity: 'warning' });
    }
    const block = min !== undefined && min === max ? min : TWO_HOURS;
    // Where the release reads it (the config's retention block from v3.11): policies/lib/retention.ts.
    // undefined only in agent mode, which has no TSDB and refuses the server's retention flags.
    const retentionText = retentionOf(index, workload)?.time ?? DEFAULT_RETENTION;
    const retention = parseDuration(retentionText);
    if (retention === undefined) out.push({ message: `container ${prom.name}: retention ${retentionText} is not a duration` });
    else if (retention !== 0 && retention < 3 * block) {
      out.push({
        message: `container ${prom.name}: retention ${retentionText} is below 3 x the block duration; blocks may be deleted before the sidecar uploads them`,
      });
    }
    // Prometheus' own default is `data/` (cmd/prometheus/main.go:484-485 at v3.13.2); the image's CMD says
    // /prometheus, but a container's args replace the CMD. A relative path is under the working directory:
    // the container's workingDir, else the image's WORKDIR /prometheus (Dockerfile:23 at v3.13.2).
    const tsdbFlag = prom.flags.get('--storage.tsdb.path') ?? (prom.argv.length ? 'data/' : '/prometheus');
    const workingDir = typeof prom.raw.workingDir === 'string' ? prom.raw.workingDir : '/prometheus';
    const tsdbPath = posix.resolve(workingDir, tsdbFlag);
    const source = resolveFile(workload, prom, tsdbPath);
    if (source.from !== 'persistentVolumeClaim') {
      const what =
        source.from === 'none'
          ? 'no volume (the container filesystem)'
          : source.from === 'emptyDir'
            ? 'an emptyDir'
            : source.from === 'other'
              ? `volume ${source.volume}`
              : `a ${source.from} volume`;
      out.push({
        message: `container ${prom.name}: the TSDB at ${tsdbPath} is on ${what}, not a PersistentVolumeClaim; blocks not yet uploaded are lost when the pod moves`,
      });
    }
    return out;
  },
};
