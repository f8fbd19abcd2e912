import { goodContainer, POD_ENV, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { rulerHa } from './ruler-ha.js';

const ruler = (name: string, replicas: number, args: string[]) =>
  workload({ kind: 'StatefulSet', name, replicas, containers: [goodContainer({ args: ['rule', ...args], env: POD_ENV })] });

policyTable(rulerHa, [
  {
    name: 'passes: per-pod label dropped from alerts (both flag spellings); a single ruler',
    yaml: yamlOf(ruler('ha', 2, ['--label=rule_replica="$(POD_NAME)"', '--alert.label-drop', 'rule_replica']), ruler('single', 1, [])),
    expect: {},
  },
  {
    name: 'fails: no per-pod label; label not dropped; a constant label is not a replica label',
    yaml: yamlOf(ruler('nolabel', 2, ['--label=cluster="eu"']), ruler('nodrop', 3, ['--label', 'replica="$(POD_NAME)"'])),
    expect: {
      'StatefulSet/nolabel': [/2 ruler replicas but no --label with a per-pod value/],
      'StatefulSet/nodrop': [/replica label replica is not dropped from alerts/],
    },
  },
]);
