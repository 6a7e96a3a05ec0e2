import { homedir, userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { expandHome } from '../../src/io/home.js';

describe('expandHome', () => {
  const home = homedir().replace(/\/$/, '');

  it('expands a leading ~ as a shell does', () => {
    expect(expandHome('~')).toBe(home);
    expect(expandHome('~/runs/a.ckpt')).toBe(`${home}/runs/a.ckpt`);
    expect(expandHome(`~${userInfo().username}/a.ckpt`)).toBe(`${home}/a.ckpt`);
    expect(expandHome('~root/a.ckpt')).toMatch(/^\/[^~]*\/a\.ckpt$/);
  });

  it('leaves everything else as typed', () => {
    for (const path of ['a.ckpt', './~/a', 'runs/~', 'a~b', '/tmp/~x', '~no-such-user-here/a.ckpt', '']) expect(expandHome(path)).toBe(path);
  });
});
