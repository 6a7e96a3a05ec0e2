/**
 * A mistake in what the user gave us (a flag, a file, a typed value). Its message is one line
 * that names what was wrong and what is accepted; front ends print it without a stack trace.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** The message of anything thrown: JavaScript lets code throw values that are not errors. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
