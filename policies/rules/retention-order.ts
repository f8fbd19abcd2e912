import { parseDuration } from '../../core/units/duration.js';
import { WORKLOAD_KINDS } from '../lib/kinds.js';
import type { Diagnostic, Policy } from '../lib/types.js';

const FLAGS = ['--retention.resolution-raw', '--retention.resolution-5m', '--retention.resolution-1h'] as const;

export const retentionOrder: Policy = {
  id: 'retention-order',
  severity: 'error',
  description:
    'Compactor retention grows with resolution: `--retention.resolution-raw` <= `--retention.resolution-5m` <= `--retention.resolution-1h` (0, the default, means forever). Downsampled data kept for less time than raw data is deleted before it is useful.',
  remediation: 'Order the retention flags raw <= 5m <= 1h, e.g. 30d, 90d, 1y, or 0 for forever.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const out: Diagnostic[] = [];
    for (const { container: c } of index.thanosContainersOf(input, 'compact')) {
      const values: number[] = [];
      for (const flag of FLAGS) {
        const text = c.flags.get(flag) ?? '0';
        const ms = parseDuration(text);
        if (ms === undefined) {
          out.push({ message: `container ${c.name}: ${flag}=${text} is not a duration` });
          values.push(NaN);
        } else values.push(ms === 0 ? Infinity : ms);
      }
      for (let i = 0; i + 1 < FLAGS.length; i++) {
        if (values[i] > values[i + 1]) {
          out.push({
            message: `container ${c.name}: ${FLAGS[i]}=${c.flags.get(FLAGS[i]) ?? '0'} is longer than ${FLAGS[i + 1]}=${c.flags.get(FLAGS[i + 1]) ?? '0 (forever)'}`,
          });
        }
      }
    }
    return out;
  },
};
