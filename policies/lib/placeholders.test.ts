import { describe, expect, it } from 'vitest';
import { findPlaceholder, hasPlaceholder, PROJECT_PLACEHOLDER } from './placeholders.js';

describe('placeholders', () => {
  it.each([
    'CHANGE-ME-bucket',
    'change_me',
    'REPLACEME',
    '<your-bucket>',
    '<your bucket name>',
    'dnssrv+_client._tcp.<MEMCACHED_SERVICE>.svc',
  ])('%s is a placeholder', (text) => {
    expect(hasPlaceholder(text)).toBe(true);
  });
  it.each(['exchange me later', 'replacement value', '<b>bold</b>', '<my_tag>', '<B>', 'metrics-prod'])('%s is none', (text) => {
    expect(hasPlaceholder(text)).toBe(false);
  });
  it('finds the first of either form', () => {
    expect(findPlaceholder('<SOME_NAME> then CHANGE-ME')?.[0]).toBe('<SOME_NAME>');
    expect(findPlaceholder('CHANGE-ME then <SOME_NAME>')?.[0]).toBe('CHANGE-ME');
  });
  it("the project's own markers are a narrower set: upstream forms are not among them", () => {
    expect(PROJECT_PLACEHOLDER.test('CHANGE-ME-token')).toBe(true);
    expect(PROJECT_PLACEHOLDER.test('<your-token>')).toBe(false);
  });
});
