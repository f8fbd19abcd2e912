import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { retentionOrder } from './retention-order.js';

const compact = (name: string, args: string[]) =>
  workload({ kind: 'StatefulSet', name, containers: [goodContainer({ args: ['compact', ...args] })] });

policyTable(retentionOrder, [
  {
    name: 'passes: increasing, defaults (forever), forever at the top, --flag value form',
    yaml: yamlOf(
      compact('a', ['--retention.resolution-raw=30d', '--retention.resolution-5m=90d', '--retention.resolution-1h=1y']),
      compact('b', []),
      compact('c', ['--retention.resolution-raw', '14d', '--retention.resolution-5m', '14d', '--retention.resolution-1h', '0']),
    ),
    expect: {},
  },
  {
    name: 'fails: raw longer than 5m; finite 1h below forever 5m; not a duration',
    yaml: yamlOf(
      compact('a', ['--retention.resolution-raw=90d', '--retention.resolution-5m=30d', '--retention.resolution-1h=1y']),
      compact('b', ['--retention.resolution-raw=30d', '--retention.resolution-1h=1y']),
      compact('c', ['--retention.resolution-raw=thirty days']),
    ),
    expect: {
      'StatefulSet/a': [/--retention.resolution-raw=90d is longer than --retention.resolution-5m=30d/],
      'StatefulSet/b': [/--retention.resolution-5m=0 is longer than --retention.resolution-1h=1y/],
      'StatefulSet/c': [/is not a duration/],
    },
  },
]);
