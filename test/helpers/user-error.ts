import { expect } from 'vitest';
import { UserError } from '../../src/errors.js';

/** The UserError's message; fails the test if `f` does not throw a UserError. */
export function userError(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a UserError, but nothing was thrown');
}
