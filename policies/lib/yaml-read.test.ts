import { CORE_SCHEMA, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { readYamlValue } from './yaml-read.js';

describe('readYamlValue: js-yaml core schema, read once per text, a copy per caller', () => {
  const texts = [
    'groups:\n  - name: g\n    rules: [{alert: A, expr: up == 0}]\n',
    '{"a": [1, 2.5, null, true]}',
    'x: .nan\ny: -.inf\nz: 0o17\n',
    'just text',
  ];
  it.each(texts)('reads %j as js-yaml does', (text) => {
    const expected = load(text, { schema: CORE_SCHEMA });
    expect(readYamlValue(text)).toEqual(expected);
    expect(readYamlValue(text)).toEqual(expected);
  });

  it('what one caller does to its value does not reach the next', () => {
    const text = 'global:\n  external_labels: {cluster: a}\n';
    const first = readYamlValue(text) as { global: { external_labels: Record<string, string> } };
    first.global.external_labels.cluster = 'changed';
    expect(readYamlValue(text)).toEqual({ global: { external_labels: { cluster: 'a' } } });
  });

  // gopkg.in/yaml.v2 v2.4.0 decode.go:746-747, :786-811 (Alertmanager, Thanos configs) and go.yaml.in/yaml/v3
  // v3.0.4 decode.go:827-828, :977-1013 (Prometheus rules) apply merge keys; a quoted "<<" is a plain key.
  it('applies merge keys as the Go YAML libraries do: keys beside << win, the earlier of a merged list wins', () => {
    const text =
      'a: &a {url: http://a, send_resolved: true}\nb:\n  <<: *a\n  url: http://b\nc:\n  <<: [{x: 1}, {x: 2, y: 2}]\nd: {"<<": 1}\n';
    expect(readYamlValue(text)).toEqual({
      a: { url: 'http://a', send_resolved: true },
      b: { url: 'http://b', send_resolved: true },
      c: { x: 1, y: 2 },
      d: { '<<': 1 },
    });
    // "map merge requires map or sequence of maps as the value" (yaml.v2 decode.go:783): the file is refused.
    expect(() => readYamlValue('a: &a [1]\nb:\n  <<: *a\n')).toThrow(/merge/);
  });

  it('a text js-yaml rejects throws, every time', () => {
    const text = 'a: 1\na: 2\n';
    expect(() => readYamlValue(text)).toThrow(/duplicated mapping key/);
    expect(() => readYamlValue(text)).toThrow(/duplicated mapping key/);
  });
});
