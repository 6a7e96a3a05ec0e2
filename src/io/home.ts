import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';

/** The home directory of user `name` from the password file, or undefined when there is no such user. */
function homeOf(name: string): string | undefined {
  if (name === userInfo().username) return homedir();
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const fields = line.split(':');
      if (fields[0] === name && fields[5] !== undefined && fields[5] !== '') return fields[5];
    }
  } catch {
    // no password file to read: the name stays as typed, as a shell leaves an unknown ~user
  }
  return undefined;
}

/**
 * A typed path with a leading `~` expanded as a shell expands it: `~` and `~/x` to the home
 * directory, `~name/x` to user name's; an unknown user, and a `~` anywhere else, stay as typed.
 */
export function expandHome(path: string): string {
  const match = /^~([^/]*)(\/.*)?$/.exec(path);
  if (match === null) return path;
  const [, name = '', rest = ''] = match;
  const home = name === '' ? homedir() : homeOf(name);
  return home === undefined ? path : home.replace(/\/$/, '') + rest;
}
