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

  it('a text js-yaml rejects throws, every time', () => {
    const text = 'a: 1\na: 2\n';
    expect(() => readYamlValue(text)).toThrow(/duplicated mapping key/);
    expect(() => readYamlValue(text)).toThrow(/duplicated mapping key/);
  });
});
