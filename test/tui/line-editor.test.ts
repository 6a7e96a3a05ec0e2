import { describe, expect, it } from 'vitest';
import { editedLine, editLine, MAX_LINE } from '../../src/tui/line-editor.js';

describe('editLine', () => {
  it('appends typed text, one key or a chunk of them', () => {
    expect(editLine('', '0', {})).toEqual({ text: '0', done: null });
    expect(editLine('0', '.05', {})).toEqual({ text: '0.05', done: null });
  });

  it('submits on enter, as a key or inside a chunk, with what came before it', () => {
    expect(editLine('0.05', '\r', { return: true })).toEqual({ text: '0.05', done: 'submit' });
    expect(editLine('', '0.05\rzz', {})).toEqual({ text: '0.05', done: 'submit' });
    expect(editLine('a', 'b\n', {})).toEqual({ text: 'ab', done: 'submit' });
  });

  it('cancels on esc and keeps the text as it was', () => {
    expect(editLine('abc', '', { escape: true })).toEqual({ text: 'abc', done: 'cancel' });
  });

  it('deletes the last character on backspace, as a key or inside a chunk', () => {
    expect(editLine('abc', '', { backspace: true })).toEqual({ text: 'ab', done: null });
    expect(editLine('abc', '', { delete: true })).toEqual({ text: 'ab', done: null });
    expect(editLine('abc', 'd\x7f\x7f', {})).toEqual({ text: 'ab', done: null });
    expect(editLine('', '\b', {})).toEqual({ text: '', done: null });
  });

  it('clears the line on Ctrl+U, as a key or inside a chunk; other Ctrl and Meta keys do nothing', () => {
    expect(editLine('abc', 'u', { ctrl: true })).toEqual({ text: '', done: null });
    expect(editLine('abc', 'x\x15de', {})).toEqual({ text: 'de', done: null });
    expect(editLine('abc', 'a', { ctrl: true })).toEqual({ text: 'abc', done: null });
    expect(editLine('abc', 'b', { meta: true })).toEqual({ text: 'abc', done: null });
  });

  it('ignores other control characters and stops at the length limit', () => {
    expect(editLine('a', '\x01\x1bb\t', {})).toEqual({ text: 'ab', done: null });
    expect(editLine('x'.repeat(MAX_LINE), 'y', {}).text).toBe('x'.repeat(MAX_LINE));
  });
});

describe('editedLine', () => {
  it('shows the label, the text, the cursor and the keys when they fit', () => {
    expect(editedLine('to: ', 'a.ckpt', ' · enter save', 80)).toBe('to: a.ckpt▏ · enter save');
  });

  it('drops the keys, then keeps the end of a long text, where the cursor is', () => {
    expect(editedLine('to: ', 'a.ckpt', ' · enter save', 12)).toBe('to: a.ckpt▏');
    const line = editedLine('to: ', 'a'.repeat(30) + 'END', ' · enter save', 20);
    expect(line).toBe('to: …' + 'a'.repeat(11) + 'END▏');
    expect(line.length).toBe(20);
  });
});
