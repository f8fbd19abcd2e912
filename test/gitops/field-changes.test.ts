import { describe, expect, it } from 'vitest';
import { describeField, fieldChanges, headlineField } from '../../review/field-changes.js';

const container = (args: string[], image = 'quay.io/thanos/thanos:v0.42.4') => ({
  spec: { template: { spec: { containers: [{ name: 'thanos-compact', image, args }] } } },
});

describe('field-level changes', () => {
  const cases: Array<[string, unknown, unknown, string[]]> = [
    ['a scalar', { spec: { replicas: 2 } }, { spec: { replicas: 3 } }, ['spec.replicas: 2 -> 3']],
    ['a key added and one removed', { a: 1 }, { b: 'x' }, ['a: removed (was 1)', 'b: added x']],
    [
      'a flag value, addressed by container name and flag, with a sub-command before the flags',
      container(['compact', '--wait', '--retention.resolution-raw=30d']),
      container(['compact', '--wait', '--retention.resolution-raw=90d']),
      ['spec.template.spec.containers[thanos-compact].args --retention.resolution-raw: 30d -> 90d'],
    ],
    [
      'a flag added and a flag removed, in a list that also grew',
      container(['compact', '--a=1', '--b']),
      container(['compact', '--a=1', '--c=2', '--d=3']),
      [
        'spec.template.spec.containers[thanos-compact].args --b: removed',
        'spec.template.spec.containers[thanos-compact].args --c: added 2',
        'spec.template.spec.containers[thanos-compact].args --d: added 3',
      ],
    ],
    ['an image', container(['x'], 'a:1'), container(['x'], 'a:2'), ['spec.template.spec.containers[thanos-compact].image: a:1 -> a:2']],
    ['a list of plain values that grew', { l: [1, 2] }, { l: [1, 2, 3] }, ['l: [1,2] -> [1,2,3]']],
    [
      'an embedded config file, by the lines that differ',
      { data: { 'rules.yaml': 'groups:\n- name: a\n  url: https://x/main/a\n  for: 5m\n' } },
      { data: { 'rules.yaml': 'groups:\n- name: a\n  url: https://x/release/a\n  for: 5m\n' } },
      ['data.rules.yaml line 3: url: https://x/main/a -> url: https://x/release/a'],
    ],
    ['lines added to an embedded file', { d: 'a\nb\n' }, { d: 'a\nx\ny\nb\n' }, ['d lines 2-3: added x ⏎ y']],
    ['equal objects', { a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }, []],
  ];
  it.each(cases)('%s', (_name, before, after, expected) => {
    expect(fieldChanges(before, after).map(describeField)).toEqual(expected);
  });
  it('the headline form keeps the last path segment and the flag', () => {
    const [change] = fieldChanges(
      container(['compact', '--retention.resolution-raw=30d']),
      container(['compact', '--retention.resolution-raw=90d']),
    );
    expect(headlineField(change)).toBe('args: --retention.resolution-raw 30d -> 90d');
  });
});

describe('redaction in the rendered diff', () => {
  it('redacts data and stringData of any Secret-like kind, still saying which value changed', async () => {
    const { compareObjects } = await import('../../review/rendered-diff.js');
    const secret = (kind: string, value: string) => ({
      apiVersion: 'v1',
      kind,
      metadata: { name: 's' },
      data: { key: value, same: 'eA==' },
      stringData: { token: value },
    });
    for (const kind of ['Secret', 'SopsSecret']) {
      const section = compareObjects('overlay', 'x', new Map([['k', secret(kind, 'b2xk')]]), new Map([['k', secret(kind, 'bmV3')]]))!;
      const text = JSON.stringify(section);
      expect(text).not.toMatch(/b2xk|bmV3|eA==/);
      expect(section.objects[0].fields.map(describeField)).toEqual([
        'data.key: <redacted: previous value> -> <redacted: new value>',
        'stringData.token: <redacted: previous value> -> <redacted: new value>',
      ]);
    }
    // A ConfigMap is not Secret-like: its values are shown.
    const cm = compareObjects(
      'overlay',
      'x',
      new Map([['k', { kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } }]]),
      new Map([['k', { kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '2' } }]]),
    )!;
    expect(cm.objects[0].fields.map(describeField)).toEqual(['data.a: 1 -> 2']);
  });
});
