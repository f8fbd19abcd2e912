import { prometheusWithConfig, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { prometheusRetention } from './prometheus-retention.js';

/** A Prometheus of `version` with `args` and a config file holding `config` (mounted from a ConfigMap). */
const prometheus = (name: string, version: string, args: string[], config = 'global: {}\n') =>
  prometheusWithConfig(name, config, { image: `quay.io/prometheus/prometheus:${version}`, args });
const block = (fields: string) => `storage:\n  tsdb:\n    retention: {${fields}}\n`;

policyTable(prometheusRetention, [
  {
    name: 'passes: each release written its own way (v3.13 block with time and size; v3.9 time flag, size in the block; v3.7 flags only; an agent has no TSDB)',
    yaml: yamlOf(
      ...prometheus('file', 'v3.13.2', [], block('time: 15d, size: 80GB')),
      ...prometheus('no-retention', 'v3.13.2', []),
      ...prometheus('time-flag', 'v3.9.1', ['--storage.tsdb.retention.time=15d'], block('size: 80GB')),
      ...prometheus('flags', 'v3.7.3', ['--storage.tsdb.retention.time=15d', '--storage.tsdb.retention.size=80GB']),
      ...prometheus('agent', 'v3.7.3', ['--agent'], block('size: 80GB')),
    ),
    expect: {},
  },
  {
    // config/config.go:1113-1114 (reset to zero) and cmd/prometheus/main.go:726-736, :781-783 at v3.13.2.
    name: 'fails: v3.11+ block without time drops the time flag (P@v3.13.2 config/config.go:1113, cmd/prometheus/main.go:781); without a flag it is a warning',
    yaml: yamlOf(
      ...prometheus('dropped', 'v3.13.2', ['--storage.tsdb.retention.time=15d'], block('size: 80GB')),
      ...prometheus('unlimited', 'v3.11.0', [], block('size: 80GB')),
      ...prometheus('meant', 'v3.11.0', [], block('time: 0s, size: 80GB')),
    ),
    expect: {
      'StatefulSet/dropped': [
        /^error: .*ignores --storage.tsdb.retention.time=15d .* no time limit; write time: 15d/,
        /^warning: .*--storage.tsdb.retention.time=15d is deprecated since v3.8.0 .* and ignored/,
      ],
      'StatefulSet/unlimited': [/^warning: .*has no time, so Prometheus v3.11 and later keeps data with no time limit/],
    },
  },
  {
    // config/config.go:80 (UnmarshalStrict) and :1005-1016 (TSDBConfig without retention) at v3.7.3.
    name: 'fails: a retention block on v3.7 stops the process (P@v3.7.3 config/config.go:80, :1005-1016)',
    yaml: yamlOf(...prometheus('strict', 'v3.7.3', ['--storage.tsdb.retention.time=15d'], block('size: 80GB'))),
    expect: { 'StatefulSet/strict': [/^error: .*refuses the file and exits at start/] },
  },
  {
    // tsdb/db.go:1164-1166 at v3.8.0; config/config.go:1054-1061 at v3.8.0 (no percentage).
    name: 'fails: time in the file on v3.8-v3.10 (unit bug, P@v3.8.0 tsdb/db.go:1164-1166); percentage before v3.11; the size flag deprecated',
    yaml: yamlOf(
      ...prometheus('unit-bug', 'v3.10.0', [], block('time: 15d')),
      ...prometheus('percentage', 'v3.8.0', ['--storage.tsdb.retention.time=15d'], block('percentage: 80')),
      ...prometheus('size-flag', 'v3.8.1', ['--storage.tsdb.retention.time=15d', '--storage.tsdb.retention.size=80GB']),
    ),
    expect: {
      'StatefulSet/unit-bug': [/^error: .*a million times too long/],
      'StatefulSet/percentage': [/^error: .*has no storage.tsdb.retention.percentage/],
      'StatefulSet/size-flag': [/^warning: container prometheus: --storage.tsdb.retention.size is deprecated since v3.8.0/],
    },
  },
  {
    name: 'warns: deprecated flags on v3.11+ without a block; an image tag that names no version is read as the pinned release',
    yaml: yamlOf(
      ...prometheus('flags-only', 'v3.13.2', ['--storage.tsdb.retention.time=15d']),
      ...prometheus('untagged', 'main', [], block('time: 15d')),
    ),
    expect: {
      'StatefulSet/flags-only': [
        /^warning: .*--storage.tsdb.retention.time=15d is deprecated since v3.8.0 \(cmd\/prometheus\/main.go:502-506 at v3.13.2\); write/,
      ],
      'StatefulSet/untagged': [/^warning: image quay.io\/prometheus\/prometheus:main names no Prometheus version/],
    },
  },
]);
