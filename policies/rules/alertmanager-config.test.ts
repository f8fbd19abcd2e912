import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { goodContainer, prometheusWithConfig, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { alertmanagerConfig } from './alertmanager-config.js';

/** An Alertmanager of `version` reading `config` from Secret key alertmanager.yaml. */
const alertmanager = (name: string, config: string, version = 'v0.32.1', args = ['--config.file=/etc/alertmanager/alertmanager.yaml']) => [
  workload({
    kind: 'StatefulSet',
    name,
    volumes: [{ name: 'config', secret: { secretName: `${name}-config` } }],
    containers: [
      goodContainer({
        name: 'alertmanager',
        image: `quay.io/prometheus/alertmanager:${version}`,
        args,
        volumeMounts: [{ name: 'config', mountPath: '/etc/alertmanager' }],
      }),
    ],
  }),
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `${name}-config`, namespace: 'monitoring' },
    stringData: { 'alertmanager.yaml': config },
  },
];

const GOOD = `global:
  resolve_timeout: 5m
route:
  receiver: default
  group_by: [alertname, cluster]
  group_interval: 5m
  repeat_interval: 4h
  routes:
    - receiver: pager
      matchers: ['severity="critical"']
      mute_time_intervals: [weekends]
      continue: true
    - receiver: default
      group_by: ['...']
receivers:
  - name: default
  - name: pager
    webhook_configs:
      - url: http://pager.example/hook
        send_resolved: true
time_intervals:
  - name: weekends
    time_intervals:
      - weekdays: [saturday, sunday]
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [alertname, cluster]
`;

policyTable(alertmanagerConfig, [
  {
    name: 'passes: a full configuration on v0.32 and v0.25 (amtool on PATH agrees); the --config.file value spelling; v0.32-only keys on v0.32',
    yaml: yamlOf(
      ...alertmanager('good', GOOD),
      ...alertmanager('old', GOOD, 'v0.25.1'),
      ...alertmanager('spaced', GOOD, 'v0.32.1', ['--config.file', '/etc/alertmanager/alertmanager.yaml']),
    ),
    expect: {},
  },
  {
    // config/config.go:120 UnmarshalStrict; :626-628 root receiver; :676-678 undefined receiver (A@v0.32.1).
    name: 'fails: routes without a receiver or with an undefined one, no route at all (A@v0.32.1 config/config.go:127-129, :626-628, :676-678)',
    yaml: yamlOf(
      ...alertmanager('noreceiver', 'route:\n  group_by: [alertname]\nreceivers:\n  - name: default\n'),
      ...alertmanager('undefined', 'route:\n  receiver: default\n  routes:\n    - receiver: pagerduty\nreceivers:\n  - name: default\n'),
      ...alertmanager('noroute', 'receivers:\n  - name: default\n'),
    ),
    expect: {
      'StatefulSet/noreceiver': [
        /^error: container alertmanager: alertmanager v0.32 refuses \/etc\/alertmanager\/alertmanager.yaml and exits at start .*route has no receiver \("root route must specify a default receiver"/,
      ],
      'StatefulSet/undefined': [
        /route.routes\[0\]: receiver pagerduty is not defined \("undefined receiver "pagerduty" used in route".*or use one of default/,
      ],
      'StatefulSet/noroute': [/no route: Alertmanager refuses the file \("no route provided in config"/],
    },
  },
  {
    name: 'fails: unknown keys, parsed strictly (A@v0.32.1 config/config.go:120); a key newer than the image (tracing from v0.30, A@v0.30.1 config/config.go Config)',
    yaml: yamlOf(
      ...alertmanager(
        'typo',
        'route:\n  receiver: default\n  group_wait: 30s\n  repeat: 4h\nreceivers:\n  - name: default\n    webhook_configs:\n      - url: http://x/\n        sendresolved: true\n',
      ),
      ...alertmanager('newer-key', 'route:\n  receiver: default\nreceivers:\n  - name: default\ntracing: {}\n', 'v0.29.0'),
    ),
    expect: {
      'StatefulSet/typo': [
        /route: field repeat not found \(Alertmanager v0.32 parses its configuration strictly, config.go:120\); write repeat_interval/,
        /receivers\[0\].webhook_configs\[0\]: field sendresolved not found .*write send_resolved/,
      ],
      'StatefulSet/newer-key': [/top level: field tracing not found .*it first appears in v0.30: remove it or run v0.30 or later/],
    },
  },
  {
    name: 'fails: root route with matchers or continue, duplicate receivers, undefined time intervals, group_by mixing ..., zero repeat_interval, email without smarthost (A@v0.32.1 config.go:132-134, :355-358, :371-373, :629-631, :689-698, :901-903, :914-919)',
    yaml: yamlOf(
      ...alertmanager(
        'semantics',
        `route:
  receiver: default
  continue: true
  matchers: ['team="a"']
  routes:
    - receiver: default
      group_by: ['...', alertname]
      repeat_interval: 0s
      mute_time_intervals: [nights]
receivers:
  - name: default
  - name: default
    email_configs:
      - to: ops@example.com
        from: am@example.com
`,
      ),
    ),
    expect: {
      'StatefulSet/semantics': [
        /receivers\[1\]: receiver name default is used twice/,
        /receivers\[1\].email_configs\[0\] has no smarthost and global has no smtp_smarthost \("no global SMTP smarthost set"/,
        /route has matchers \("root route must not have any matchers"/,
        /route has continue: true \("cannot have continue in root route"/,
        /route.routes\[0\].mute_time_intervals: time interval nights is not defined/,
        /route.routes\[0\].group_by mixes ... with labels/,
        /route.routes\[0\].repeat_interval is zero \("repeat_interval cannot be zero"/,
      ],
    },
  },
  {
    // Alertmanager reads its file with gopkg.in/yaml.v2 v2.4.0 UnmarshalStrict (A@v0.32.1 config/config.go:120),
    // which applies merge keys: decode.go:746-747 (struct fields), :786-811 (a mapping or a list of them).
    name: 'passes: merge keys (<<: *anchor) in routes and receivers, the keys beside << overriding the merged ones (yaml.v2 v2.4.0 decode.go:746-747, :786-811)',
    yaml: yamlOf(
      ...alertmanager(
        'merged',
        `route:
  receiver: default
  routes:
    - &team
      receiver: team-a
      group_by: [alertname, cluster]
      group_wait: 30s
      matchers: ['team="a"']
    - <<: *team
      receiver: team-b
      matchers: ['team="b"']
receivers:
  - name: default
  - name: team-a
    webhook_configs:
      - &hook
        url: http://hooks.example/a
        send_resolved: true
  - name: team-b
    webhook_configs:
      - <<: [*hook, {max_alerts: 10}]
        url: http://hooks.example/b
`,
      ),
    ),
    expect: {},
  },
  {
    name: 'fails: a key merged in by << is judged where it lands: a webhook config merged into an email config (yaml.v2 v2.4.0 decode.go:746-747; A@v0.32.1 config/config.go:120)',
    yaml: yamlOf(
      ...alertmanager(
        'merged-wrong',
        `global:
  smtp_smarthost: smtp.example:587
  smtp_from: am@example.com
route:
  receiver: hook
receivers:
  - name: hook
    webhook_configs:
      - &hook
        url: http://hooks.example/a
        send_resolved: true
  - name: mail
    email_configs:
      - <<: *hook
        to: ops@example.com
`,
      ),
    ),
    expect: {
      'StatefulSet/merged-wrong': [
        /^error: .*receivers\[1\].email_configs\[0\]: field url not found \(Alertmanager v0.32 parses its configuration strictly/,
      ],
    },
  },
  {
    name: 'warns: amtool 0.25 on PATH refuses a field the pinned release has (inhibit rule name from v0.30, A@v0.30.1 config/config.go InhibitRule): amtool is older, and what this check judged for v0.32 is said as its own',
    yaml: yamlOf(
      ...alertmanager(
        'amtool-older',
        'route:\n  receiver: default\nreceivers:\n  - name: default\ninhibit_rules:\n  - name: critical-mutes-warning\n    source_matchers: [\'severity="critical"\']\n    target_matchers: [\'severity="warning"\']\n',
      ),
    ),
    expect: {
      'StatefulSet/amtool-older': [
        /^warning: .*amtool 0.25.0 check-config refuses .*field name not found.*\); alertmanager v0.32 has name \(InhibitRule\), so amtool on PATH is older than the image and its refusal speaks for amtool 0.25.0 only. This check, which judged the file against the fields and rules of v0.32, found nothing wrong$/,
      ],
    },
  },
  {
    // Newer than the field lists (v0.34): the inhibit rule name is in v0.34's InhibitRule, evidence only for v0.35;
    // a typo under http_config (prometheus/common, a struct the lists do not hold) is amtool's to judge.
    name: 'warns: amtool 0.25 refuses an inhibit rule name on v0.35 (newer than the lists: likely amtool is older, neither judged v0.35 fields) and an http_config typo on v0.32 (amtool reason passed on)',
    yaml: yamlOf(
      ...alertmanager(
        'newer-name',
        'route:\n  receiver: default\nreceivers:\n  - name: default\ninhibit_rules:\n  - name: critical-mutes-warning\n    source_matchers: [\'severity="critical"\']\n    target_matchers: [\'severity="warning"\']\n',
        'v0.35.0',
      ),
      ...alertmanager(
        'http-typo',
        'route:\n  receiver: default\nreceivers:\n  - name: default\n    webhook_configs:\n      - url: http://hooks.example/\n        http_config: {follow_redirect: true}\n',
      ),
    ),
    expect: {
      'StatefulSet/newer-name': [
        /^warning: .*refuses .*field name not found.*\); alertmanager v0.35 is newer than this check's field lists, which end at v0.34 \(whose InhibitRule has name, so v0.35 very likely has it too: amtool on PATH is older than the image\). Neither amtool nor this check read the fields of v0.35/,
      ],
      'StatefulSet/http-typo': [
        /^warning: .*amtool 0.25.0 check-config refuses \/etc\/alertmanager\/alertmanager.yaml: .*field follow_redirect not found in type config.plain; this check found nothing, so read amtool's reason against alertmanager v0.32$/,
      ],
    },
  },
]);

describe('alertmanager-config (mutation)', () => {
  const NO_RECEIVER = 'route:\n  group_by: [alertname]\nreceivers:\n  - name: default\n';
  const refuses = (version = 'v0.32') =>
    new RegExp(
      `^error: container alertmanager: alertmanager ${version} refuses /etc/alertmanager/alertmanager.yaml .*route has no receiver`,
    );

  policyTable(alertmanagerConfig, [
    {
      // kingpin reads `--config.file <value>` wherever it stands; the flags around it are not the file.
      name: 'fails: --config.file <value> first, before --storage.path and --web.listen-address, and after them',
      yaml: yamlOf(
        ...alertmanager('first', NO_RECEIVER, 'v0.32.1', [
          '--config.file',
          '/etc/alertmanager/alertmanager.yaml',
          '--storage.path=/alertmanager',
          '--web.listen-address=:9093',
        ]),
        ...alertmanager('last', NO_RECEIVER, 'v0.32.1', [
          '--storage.path=/alertmanager',
          '--web.listen-address=:9093',
          '--config.file',
          '/etc/alertmanager/alertmanager.yaml',
        ]),
        ...alertmanager('equals-first', NO_RECEIVER, 'v0.32.1', [
          '--config.file=/etc/alertmanager/alertmanager.yaml',
          '--storage.path=/alertmanager',
          '--web.listen-address=:9093',
        ]),
      ),
      expect: {
        'StatefulSet/first': [refuses()],
        'StatefulSet/last': [refuses()],
        'StatefulSet/equals-first': [refuses()],
      },
    },
    {
      name: 'passes: nothing to read: the config Secret is not in the input, no --config.file (the default is relative to the working directory), a StatefulSet without a pod template',
      yaml: yamlOf(
        alertmanager('out-of-band', NO_RECEIVER)[0],
        ...alertmanager('default-path', NO_RECEIVER, 'v0.32.1', ['--storage.path=/alertmanager']),
        { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'partial', namespace: 'monitoring' }, spec: { replicas: 2 } },
      ),
      expect: {},
    },
    {
      name: "passes: a Prometheus server's --config.file is a Prometheus configuration, not Alertmanager's",
      yaml: yamlOf(...prometheusWithConfig('prom', 'global:\n  scrape_interval: 30s\nscrape_configs: []\n')),
      expect: {},
    },
    {
      name: "newer than every release read (v0.35): a key the reference has not seen may be that release's; the routing tree is still judged",
      yaml: yamlOf(
        ...alertmanager('newer', `${GOOD}future_section: {}\n`, 'v0.35.0'),
        ...alertmanager('newer-broken', NO_RECEIVER, 'v0.35.0'),
      ),
      expect: {
        'StatefulSet/newer': [
          // Newer than every list: no claim that the file is right, nor that amtool is the one wrong.
          /^warning: .*amtool 0.25.0 check-config refuses .*field future_section not found.*\); alertmanager v0.35 is newer than this check's field lists, which end at v0.34 \(which have no future_section\). Neither amtool nor this check read the fields of v0.35; this check found nothing wrong in its routing and receivers. Run the image's own amtool check-config for its verdict$/,
        ],
        'StatefulSet/newer-broken': [refuses('v0.35')],
      },
    },
    {
      // The ExternalSecret's {{ }} are filled in by the operator; amtool on the template would refuse "{{ .slackUrl }}" as a URL.
      name: 'passes: an ExternalSecret template is judged as a routing tree, not given to amtool',
      yaml: yamlOf(alertmanager('templated', '')[0], {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'templated-config', namespace: 'monitoring' },
        spec: {
          secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
          target: {
            name: 'templated-config',
            template: {
              engineVersion: 'v2',
              data: {
                'alertmanager.yaml':
                  'route:\n  receiver: slack\nreceivers:\n  - name: slack\n    slack_configs:\n      - api_url: "{{ .slackUrl }}"\n        channel: "#alerts"\n',
              },
            },
          },
          data: [{ secretKey: 'slackUrl', remoteRef: { key: 'alertmanager/slack-url' } }],
        },
      }),
      expect: {},
    },
    {
      // v0.32 reads a route's matchers with compat.Matchers (A@v0.32.1 config/common/matchers.go:105-116), in
      // fallback mode unless a feature flag says otherwise (matcher/compat/parse.go:68-72, cmd/alertmanager/main.go:203):
      // the UTF-8 parser first (parse.go:152-187), where "." is no reserved character (matcher/parse/lexer.go:27-29).
      // amtool 0.25 has only the classic parser.
      name: "warns: amtool 0.25 refuses a UTF-8 label name in a matcher (service.name) that v0.32 reads: amtool's reason is passed on, this check found nothing",
      yaml: yamlOf(
        ...alertmanager(
          'utf8',
          'route:\n  receiver: default\n  routes:\n    - receiver: default\n      matchers: [\'service.name="api"\']\nreceivers:\n  - name: default\n',
        ),
      ),
      expect: {
        'StatefulSet/utf8': [
          /^warning: container alertmanager: amtool 0.25.0 check-config refuses \/etc\/alertmanager\/alertmanager.yaml: bad matcher format: service.name="api"; this check found nothing, so read amtool's reason against alertmanager v0.32$/,
        ],
      },
    },
  ]);

  describe('with the amtool of v0.32.1 on PATH', () => {
    // A stand-in for the pinned release's amtool, which knows `tracing` (A@v0.30.1 config/config.go Config).
    const dir = mkdtempSync(join(tmpdir(), 'amtool-0.32-'));
    const path = process.env.PATH;
    beforeAll(() => {
      writeFileSync(
        join(dir, 'amtool'),
        '#!/bin/sh\ncase "$1" in\n  --version) echo "amtool, version 0.32.1 (branch: HEAD, revision: 0)";;\n  check-config) echo "Checking \'$2\'  SUCCESS";;\nesac\n',
        { mode: 0o755 },
      );
      process.env.PATH = `${dir}${delimiter}${path}`;
    });
    afterAll(() => {
      process.env.PATH = path;
      rmSync(dir, { recursive: true, force: true });
    });
    policyTable(alertmanagerConfig, [
      {
        name: 'passes: a file both accept',
        yaml: yamlOf(...alertmanager('good', GOOD)),
        expect: {},
      },
      {
        name: 'warns beside the error: amtool 0.32 accepts `tracing`, which an Alertmanager v0.29 refuses (it first appears in v0.30)',
        yaml: yamlOf(
          ...alertmanager('older-image', 'route:\n  receiver: default\nreceivers:\n  - name: default\ntracing: {}\n', 'v0.29.0'),
        ),
        expect: {
          'StatefulSet/older-image': [
            /^error: container alertmanager: alertmanager v0.29 refuses .*field tracing not found .*it first appears in v0.30/,
            /^warning: container alertmanager: amtool 0.32.1 check-config accepts \/etc\/alertmanager\/alertmanager.yaml, which alertmanager v0.29 refuses \(above\): amtool on PATH is a different release$/,
          ],
        },
      },
    ]);
  });
});

describe('alertmanager-config group_by label names per release', () => {
  const dotted = 'route:\n  receiver: default\n  group_by: [alertname, service.name]\nreceivers:\n  - name: default\n';
  policyTable(alertmanagerConfig, [
    {
      // A@v0.32.1 config/config.go:890 asks compat.IsValidLabelName, which the server's default mode sets to
      // any non-empty UTF-8 name (matcher/compat/parse.go:59-73, :198-205); v0.27.0 does the same (config.go:817).
      name: 'no error: a UTF-8 label name (service.name) in group_by on v0.32.1 and v0.27.0 (A@v0.32.1 config/config.go:890, matcher/compat/parse.go:68-72); amtool 0.25 on PATH refuses it, passed on as a warning',
      yaml: yamlOf(...alertmanager('utf8', dotted), ...alertmanager('utf8-27', dotted, 'v0.27.0')),
      expect: {
        'StatefulSet/utf8': [
          /^warning: .*amtool 0\.25\.0 check-config refuses .*invalid label name "service\.name" in group_by list; this check found nothing, so read amtool's reason against alertmanager v0\.32$/,
        ],
        'StatefulSet/utf8-27': [
          /^warning: .*amtool 0\.25\.0 check-config refuses .*invalid label name "service\.name" in group_by list; this check found nothing, so read amtool's reason against alertmanager v0\.27$/,
        ],
      },
    },
    {
      name: 'passes: legacy label names in group_by on v0.25.0',
      yaml: yamlOf(
        ...alertmanager(
          'classic-names',
          'route:\n  receiver: default\n  group_by: [alertname, cluster_name]\nreceivers:\n  - name: default\n',
          'v0.25.0',
        ),
      ),
      expect: {},
    },
    {
      // A@v0.25.0 config/config.go:804-806: model.LabelName.IsValid, the legacy pattern; classic-mode brings it back.
      name: 'fails: the same name on v0.25.0 (A@v0.25.0 config/config.go:804-806) and with --enable-feature=classic-mode on v0.32.1',
      yaml: yamlOf(
        ...alertmanager('legacy', dotted, 'v0.25.0'),
        ...alertmanager('classic', dotted, 'v0.32.1', [
          '--config.file=/etc/alertmanager/alertmanager.yaml',
          '--enable-feature=classic-mode',
        ]),
      ),
      expect: {
        'StatefulSet/legacy': [/^error: container alertmanager: alertmanager v0\.25 refuses .*group_by: service\.name is not a label name/],
        'StatefulSet/classic': [
          /^error: container alertmanager: alertmanager v0\.32 refuses .*group_by: service\.name is not a label name/,
        ],
      },
    },
  ]);
});

describe('alertmanager-config matchers per parser', () => {
  const quoted =
    'route:\n  receiver: default\n  routes:\n    - receiver: team\n      matchers: [\'"service.name"="api"\']\nreceivers:\n  - name: default\n  - name: team\n';
  const inhibit =
    'route:\n  receiver: default\nreceivers:\n  - name: default\ninhibit_rules:\n  - source_matchers: [\'{severity="critical", k8s.namespace="a,b"}\']\n    target_matchers: [severity="warning"]\n    equal: [alertname]\n';
  policyTable(alertmanagerConfig, [
    {
      // A@v0.25.0 config/config.go:990-1000 -> pkg/labels/parse.go:27 (the name must be [a-zA-Z_:][a-zA-Z0-9_:]*),
      // :118-122 "bad matcher format"; A@v0.32.1 classic-mode: matcher/compat/parse.go:60-63, config/common/matchers.go:105-115.
      name: 'fails: a quoted or dotted label name in matchers on v0.25.0 (A@v0.25.0 pkg/labels/parse.go:27, :118-122) and with classic-mode on v0.32.1',
      yaml: yamlOf(
        ...alertmanager('old-quoted', quoted, 'v0.25.0'),
        ...alertmanager('old-inhibit', inhibit, 'v0.26.0'),
        ...alertmanager('classic-quoted', quoted, 'v0.32.1', [
          '--config.file=/etc/alertmanager/alertmanager.yaml',
          '--enable-feature=classic-mode',
        ]),
      ),
      expect: {
        'StatefulSet/old-quoted': [
          /^error: container alertmanager: alertmanager v0\.25 refuses .*route\.routes\[0\]\.matchers: "service\.name"="api" is no classic matcher \("bad matcher format: "service\.name"="api"", pkg\/labels\/parse\.go:27, :118-122\): v0\.25 reads matchers with the classic parser.*write a legacy label name/,
        ],
        // The comma inside the quoted value does not split (parse.go:64-79); only k8s.namespace is refused.
        'StatefulSet/old-inhibit': [/^error: .*inhibit_rules\[0\]\.source_matchers: k8s\.namespace="a,b" is no classic matcher/],
        'StatefulSet/classic-quoted': [
          /^error: .*route\.routes\[0\]\.matchers: "service\.name"="api" is no classic matcher.*classic-mode reads label names/,
        ],
      },
    },
    {
      // A@v0.32.1 matcher/compat/parse.go:68-71: the default mode tries the UTF-8 parser first, then the classic one.
      name: 'no error: the same matchers on v0.32.1 in its default mode (A@v0.32.1 matcher/compat/parse.go:68-71); amtool 0.25 on PATH refuses them, passed on as a warning',
      yaml: yamlOf(...alertmanager('utf8', quoted, 'v0.32.1')),
      expect: {
        'StatefulSet/utf8': [/^warning: .*amtool 0\.25\.0 check-config refuses .*bad matcher format.*this check found nothing/],
      },
    },
    {
      // A@v0.25.0 pkg/labels/parse.go:56-95: one { and } trimmed, commas inside quotes kept, a trailing comma dropped; ':' is a name character.
      name: 'passes: classic matchers with braces, spaces, a quoted comma and a trailing comma on v0.25.0 (A@v0.25.0 pkg/labels/parse.go:27, :56-95)',
      yaml: yamlOf(
        ...alertmanager(
          'classic-ok',
          'route:\n  receiver: default\n  routes:\n    - receiver: default\n      matchers: [\'{ severity = "critical", team=~"a|b", }\', \'instance!~"x,y"\', \'__name__:x!=1\']\nreceivers:\n  - name: default\n',
          'v0.25.0',
        ),
      ),
      expect: {},
    },
  ]);
});

describe('alertmanager-config of a prometheus-operator Alertmanager', () => {
  /** An operator `Alertmanager` and the Secret it reads, with `data` as the Secret's stringData. */
  const operated = (name: string, data: Record<string, string>, spec: Record<string, unknown> = {}) => [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: `alertmanager-${name}`, namespace: 'monitoring' }, stringData: data },
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Alertmanager',
      metadata: { name, namespace: 'monitoring' },
      spec: { replicas: 3, version: 'v0.32.1', ...spec },
    },
  ];
  const config = 'route:\n  receiver: default\nreceivers:\n  - name: default\n';
  policyTable(alertmanagerConfig, [
    {
      // prometheus-operator pkg/apis/monitoring/v1/alertmanager_types.go AlertmanagerSpec.ConfigSecret: "If either the secret
      // or the `alertmanager.yaml` key is missing, the operator provisions a minimal Alertmanager configuration with one
      // empty receiver (effectively dropping alert notifications)"; the default Secret is alertmanager-<name>.
      name: 'fails: the config Secret has alertmanager.yml, not the alertmanager.yaml key the operator reads (AlertmanagerSpec.configSecret), and a routing tree v0.32 refuses',
      yaml: yamlOf(
        ...operated('yml', { 'alertmanager.yml': config }),
        ...operated('bad', {
          'alertmanager.yaml': 'route:\n  receiver: default\n  routes: [{receiver: pager}]\nreceivers:\n  - name: default\n',
        }),
        ...operated(
          'legacy',
          { 'alertmanager.yaml': 'route:\n  receiver: default\n  group_by: [service.name]\nreceivers:\n  - name: default\n' },
          {
            enableFeatures: ['classic-mode'],
          },
        ),
      ),
      expect: {
        'Alertmanager/yml': [
          /^error: StatefulSet alertmanager-yml \(which the operator creates\): Secret alertmanager-yml has no key alertmanager\.yaml \(only alertmanager\.yml\), so the operator gives Alertmanager a minimal configuration with one empty receiver: every notification is dropped .*rename key alertmanager\.yml to alertmanager\.yaml$/,
        ],
        'Alertmanager/bad': [
          /^error: .*alertmanager v0\.32 refuses key alertmanager\.yaml of Secret alertmanager-bad.*receiver pager is not defined/,
        ],
        'Alertmanager/legacy': [
          /^error: .*refuses key alertmanager\.yaml of Secret alertmanager-legacy.*group_by: service\.name is not a label name/,
        ],
      },
    },
    {
      name: 'passes: the alertmanager.yaml key (or its .gz twin), a named configSecret, spec.alertmanagerConfiguration (it takes precedence), a Secret not in the input',
      yaml: yamlOf(
        ...operated('good', { 'alertmanager.yaml': config, 'template.tmpl': '{{ define "x" }}{{ end }}' }),
        ...operated('gz', { 'alertmanager.yaml.gz': 'H4sI' }),
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'am-config', namespace: 'monitoring' },
          stringData: { 'alertmanager.yaml': config },
        },
        {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'Alertmanager',
          metadata: { name: 'named', namespace: 'monitoring' },
          spec: { replicas: 1, configSecret: 'am-config' },
        },
        ...operated('crd', { 'other.yaml': config }, { alertmanagerConfiguration: { name: 'global' } }),
        {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'Alertmanager',
          metadata: { name: 'elsewhere', namespace: 'monitoring' },
          spec: {},
        },
      ),
      expect: {},
    },
  ]);
});

describe('alertmanager-config inhibit equal and match keys per release', () => {
  const equal =
    'route:\n  receiver: default\nreceivers:\n  - name: default\ninhibit_rules:\n  - source_matchers: [severity="critical"]\n    target_matchers: [severity="warning"]\n    equal: [alertname, service.name]\n';
  policyTable(alertmanagerConfig, [
    {
      // A@v0.28.0 config/config.go:997-1000 and A@v0.32.1 config/common/inhibitrule.go:72-77: compat.IsValidLabelName,
      // any non-empty UTF-8 name in the default mode. (The rule used the legacy pattern for every release: a false error.)
      name: 'no error: a UTF-8 label name in inhibit equal on v0.28.0 and v0.32.1 (A@v0.32.1 config/common/inhibitrule.go:72-77); amtool 0.25 on PATH refuses it, passed on as a warning',
      yaml: yamlOf(...alertmanager('utf8', equal), ...alertmanager('utf8-28', equal, 'v0.28.0')),
      expect: {
        'StatefulSet/utf8': [/^warning: .*amtool 0\.25\.0 check-config refuses .*this check found nothing/],
        'StatefulSet/utf8-28': [/^warning: .*amtool 0\.25\.0 check-config refuses .*this check found nothing/],
      },
    },
    {
      name: 'passes: legacy names in equal and match keys on v0.25.0',
      yaml: yamlOf(
        ...alertmanager(
          'legacy-ok',
          'route:\n  receiver: default\n  routes:\n    - receiver: default\n      match: {service_name: api}\nreceivers:\n  - name: default\ninhibit_rules:\n  - source_match: {severity: critical}\n    target_match: {severity: warning}\n    equal: [alertname, service_name]\n',
          'v0.25.0',
        ),
      ),
      expect: {},
    },
    {
      // A@v0.27.0 config/config.go:869 Equal model.LabelNames -> common v0.46.0 model/labels.go:116-122 (legacy IsValid);
      // match keys: model.LabelNameRE in every release (A@v0.32.1 config/config.go:879-883, config/common/inhibitrule.go:58-68).
      name: 'fails: a UTF-8 name in equal on v0.27.0 (A@v0.27.0 config/config.go:869) and with classic-mode; a dotted match key in any release (A@v0.32.1 config/config.go:879-883)',
      yaml: yamlOf(
        ...alertmanager('equal-27', equal, 'v0.27.0'),
        ...alertmanager('equal-classic', equal, 'v0.32.1', [
          '--config.file=/etc/alertmanager/alertmanager.yaml',
          '--enable-feature=classic-mode',
        ]),
        ...alertmanager(
          'match-key',
          'route:\n  receiver: default\n  routes:\n    - receiver: default\n      match: {service.name: api}\nreceivers:\n  - name: default\ninhibit_rules:\n  - source_match: {k8s.ns: a}\n    target_match: {severity: warning}\n',
        ),
      ),
      expect: {
        'StatefulSet/equal-27': [
          /^error: .*alertmanager v0\.27 refuses .*inhibit_rules\[0\]\.equal: service\.name is not a label name \("service\.name" is not a valid label name: v0\.27 reads equal as legacy label names.*\); write a label name such as service_name$/,
        ],
        'StatefulSet/equal-classic': [
          /^error: .*inhibit_rules\[0\]\.equal: service\.name is not a label name \("invalid label name "service\.name" in equal list": classic-mode/,
        ],
        'StatefulSet/match-key': [
          /^error: .*inhibit_rules\[0\]\.source_match: k8s\.ns is not a label name \("invalid label name "k8s\.ns"": match keys are letters, digits and _ in every release\)/,
          /^error: .*route\.routes\[0\]\.match: service\.name is not a label name .*write matchers: \['"service\.name"="…"'\]/,
        ],
      },
    },
  ]);
});

describe('alertmanager-config notifiers with nowhere to send', () => {
  const receivers = (configs: string) => `route:\n  receiver: r\nreceivers:\n  - name: r\n${configs}`;
  policyTable(alertmanagerConfig, [
    {
      // A@v0.32.1 config/notifiers.go:409-417 (PagerDuty), :666-674 (webhook), :1007-1016 (MS Teams v2).
      name: 'fails: a PagerDuty config without a key, a webhook without url, an MS Teams v2 config without webhook_url (A@v0.32.1 config/notifiers.go:415-417, :672-674, :1014-1016)',
      yaml: yamlOf(
        ...alertmanager('pd', receivers('    pagerduty_configs: [{severity: critical}]\n')),
        ...alertmanager('hook', receivers('    webhook_configs: [{send_resolved: true}]\n')),
        ...alertmanager('teams', receivers('    msteamsv2_configs: [{title: x}]\n')),
      ),
      expect: {
        'StatefulSet/pd': [
          /^error: .*receivers\[0\]\.pagerduty_configs\[0\] has no routing_key or service_key \("missing service or routing key in PagerDuty config", config\/notifiers.go:415-417\); set routing_key/,
        ],
        'StatefulSet/hook': [/receivers\[0\]\.webhook_configs\[0\] has no url \("one of url or url_file must be configured"/],
        'StatefulSet/teams': [
          /receivers\[0\]\.msteamsv2_configs\[0\] has no webhook_url \("one of webhook_url or webhook_url_file must be configured"/,
        ],
      },
    },
    {
      // amtool 0.25 on PATH reads these (its own release has the same fields), so it adds nothing.
      name: 'passes: each with its key or URL, inline or from a file',
      yaml: yamlOf(
        ...alertmanager(
          'ok',
          receivers("    pagerduty_configs: [{routing_key: k}, {service_key: s}]\n    webhook_configs: [{url: 'http://hook:8080/'}]\n"),
        ),
      ),
      expect: {},
    },
    {
      // msteamsv2 first appears in v0.28 (A@v0.28.0 config/config.go): amtool 0.25 is older, which is only a warning.
      name: 'no error: MS Teams v2 with webhook_url_file on v0.32.1 (A@v0.32.1 config/notifiers.go:1007-1016)',
      yaml: yamlOf(...alertmanager('teams-ok', receivers('    msteamsv2_configs: [{webhook_url_file: /etc/alertmanager/teams}]\n'))),
      expect: {
        'StatefulSet/teams-ok': [
          /^warning: .*amtool 0\.25\.0 check-config refuses .*field msteamsv2_configs not found.*alertmanager v0\.32 has msteamsv2_configs/,
        ],
      },
    },
  ]);
});
