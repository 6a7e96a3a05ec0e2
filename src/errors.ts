/**
 * A mistake in what the user gave us (a flag, a file, a typed value). Its message is one line
 * that names what was wrong and what is accepted; front ends print it without a stack trace.
 */
export class UserError extends Error {
  override name = 'UserError';
}
