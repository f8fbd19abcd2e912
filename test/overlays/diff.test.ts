import { describe, expect, it } from 'vitest';
import { applyJsonPatch, jsonDiff } from '../../generator/overlay/diff.js';

describe('jsonDiff', () => {
  const cases: Array<[string, unknown, unknown]> = [
    ['equal', { a: 1 }, { a: 1 }],
    ['scalar change', { a: 1, b: { c: 'x' } }, { a: 2, b: { c: 'y' } }],
    ['added and removed keys', { a: 1, gone: true }, { a: 1, added: { x: [1] } }],
    ['same-length list item by item', { l: [{ n: 'a', v: 1 }, { n: 'b', v: 2 }] }, { l: [{ n: 'a', v: 1 }, { n: 'b', v: 3 }] }],
    ['list whose length changed is replaced', { l: [1, 2, 3] }, { l: [1, 2] }],
    ['keys that need JSON pointer escapes', { m: { 'a/b': 1, 'c~d': 2 } }, { m: { 'a/b': 3, 'c~d': 4 } }],
  ];
  it.each(cases)('%s: applying the diff gives the target', (_, from, to) => {
    expect(applyJsonPatch(from, jsonDiff(from, to))).toEqual(to);
  });
  it('is empty for equal documents and minimal for one field', () => {
    expect(jsonDiff({ a: [1] }, { a: [1] })).toEqual([]);
    expect(jsonDiff({ spec: { replicas: 2, x: 1 } }, { spec: { replicas: 1, x: 1 } })).toEqual([{ op: 'replace', path: '/spec/replicas', value: 1 }]);
  });
});
