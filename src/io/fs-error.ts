import { messageOf } from '../errors.js';

/** Reasons that read the same whether the file was being read or written. */
const REASONS: Record<string, string> = {
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links (a symlink that points back to itself, or a loop of them)',
  EIO: 'input/output error',
};

/**
 * A short reason for a failed file-system call, from its error code: `no such file` when reading,
 * `no such directory` when writing (the file itself need not exist yet).
 */
export function describeFsError(err: unknown, doing: 'read' | 'write'): string {
  const code = errorCode(err);
  if (code === 'ENOENT') return doing === 'read' ? 'no such file' : 'no such directory';
  if (code === 'EISDIR') return doing === 'read' ? 'is a directory, expected a file' : 'is a directory';
  const reason = code === undefined ? undefined : REASONS[code];
  return reason ?? code ?? messageOf(err).split('\n')[0];
}

/** The `code` of a Node system error (`ENOENT`), or undefined for anything else thrown. */
export function errorCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}
