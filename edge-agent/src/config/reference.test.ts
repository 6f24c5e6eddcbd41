import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { configReferenceMarkdown } from './reference.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const START = '<!-- config-reference:start -->';
const END = '<!-- config-reference:end -->';

it('README config reference matches the schema (UPDATE=1 rewrites it)', () => {
  const text = readFileSync(README, 'utf8');
  const before = text.slice(0, text.indexOf(START) + START.length);
  const after = text.slice(text.indexOf(END));
  const expected = `${before}\n${configReferenceMarkdown()}\n${after}`;
  if (process.env.UPDATE === '1') writeFileSync(README, expected);
  expect(text).toBe(process.env.UPDATE === '1' ? text : expected);
});
