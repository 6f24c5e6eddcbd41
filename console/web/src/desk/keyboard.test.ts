import { describe, expect, it } from 'vitest';
import { deskKeyCommand, moveInQueue, type DeskKeyEvent } from './keyboard.js';

const key = (k: string, target: object | null = { tagName: 'BODY' }, mods: Partial<DeskKeyEvent> = {}): DeskKeyEvent =>
  ({ key: k, altKey: false, ctrlKey: false, metaKey: false, target: target as EventTarget | null, ...mods });

describe('the desk keys', () => {
  it('maps j/k and arrows, Enter, a and Escape', () => {
    expect(['j', 'ArrowDown', 'k', 'ArrowUp', 'Enter', 'a', 'Escape', 'x', 'A'].map((k) => deskKeyCommand(key(k))))
      .toEqual(['next', 'next', 'previous', 'previous', 'open', 'acknowledge', 'close', null, null]);
  });

  it('leaves every key to a field the operator types in', () => {
    for (const target of [{ tagName: 'INPUT', type: 'text' }, { tagName: 'input' }, { tagName: 'TEXTAREA' }, { tagName: 'SELECT' }, { tagName: 'DIV', isContentEditable: true }]) {
      expect(['j', 'a', 'Enter', 'Escape'].map((k) => deskKeyCommand(key(k, target)))).toEqual([null, null, null, null]);
    }
    // a checkbox or a button is not a field: j still moves; Enter stays the button's own click
    expect(deskKeyCommand(key('j', { tagName: 'INPUT', type: 'checkbox' }))).toBe('next');
    expect(deskKeyCommand(key('a', { tagName: 'BUTTON' }))).toBe('acknowledge');
    expect(deskKeyCommand(key('Enter', { tagName: 'BUTTON' }))).toBe(null);
  });

  it('leaves the arrows to the map while it has the focus', () => {
    const inMap = { tagName: 'CANVAS', closest: (selector: string) => (selector === '.maplibregl-map' ? {} : null) };
    const elsewhere = { tagName: 'DIV', closest: () => null };
    expect(deskKeyCommand(key('ArrowDown', inMap))).toBe(null);
    expect(deskKeyCommand(key('ArrowDown', elsewhere))).toBe('next');
  });

  it('leaves browser shortcuts alone', () => {
    expect(deskKeyCommand(key('a', null, { ctrlKey: true }))).toBe(null);
    expect(deskKeyCommand(key('k', null, { metaKey: true }))).toBe(null);
    expect(deskKeyCommand(key('j', null, { altKey: true }))).toBe(null);
    expect(deskKeyCommand(key('j', null))).toBe('next');
  });

  it('moves within the queue and stops at its ends', () => {
    const ids = ['a', 'b', 'c'];
    expect(moveInQueue(ids, null, 1)).toBe('a');
    expect(moveInQueue(ids, null, -1)).toBe('c');
    expect(moveInQueue(ids, 'a', 1)).toBe('b');
    expect(moveInQueue(ids, 'c', 1)).toBe('c');
    expect(moveInQueue(ids, 'a', -1)).toBe('a');
    expect(moveInQueue(ids, 'gone', 1)).toBe('a');
    expect(moveInQueue([], 'a', 1)).toBe(null);
  });
});
