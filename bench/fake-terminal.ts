import { PassThrough } from 'node:stream';

/** A terminal for Ink without one: 80x24, raw mode accepted, output readable as it is written. */
export function fakeTerminal(columns = 80, rows = 24): { stdout: NodeJS.WriteStream; stdin: NodeJS.ReadStream & PassThrough } {
  const stdout = Object.assign(new PassThrough(), { columns, rows, isTTY: true });
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin });
  stdout.resume();
  return { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream & PassThrough };
}
