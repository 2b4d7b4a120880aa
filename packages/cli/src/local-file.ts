import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './usage-error.ts';

// What a file error means to someone at a shell, in their words rather than errno's.
const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files',
};

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** What a flag's file was and held: its bytes and its absolute path. */
export interface LocalFile {
  readonly bytes: Buffer;
  readonly path: string;
}

/**
 * Reads a file named by a flag, refusing in words what cannot be a key, a body or a
 * consumer list: a missing or unreadable path, a device or pipe (`/dev/zero` never ends),
 * or a file larger than `maxBytes`. The size is checked before reading; the file is then
 * read to its end (a /proc file reports a size of 0), and no more than `maxBytes` and a
 * byte is ever read, even from a file that grows meanwhile.
 */
export function readLocalFile(flag: string, file: string, maxBytes: number, named = `${flag} ${file}`): LocalFile {
  let fd: number;
  try {
    // Non-blocking, so opening a named pipe with no writer returns at once instead of waiting.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new UsageError(`cannot read ${named}: ${FILE_ERRORS[code] ?? `unreadable (${code || 'unknown error'})`}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UsageError(`cannot read ${named}: ${FILE_ERRORS.EISDIR}`);
    if (!stat.isFile()) {
      throw new UsageError(`${named} is not a regular file (a device, pipe or socket): give the path of a file`);
    }
    const tooLarge = (size: number) =>
      new UsageError(`${named} is ${megabytes(size)}; at most ${megabytes(maxBytes)} is read for ${flag}`);
    if (stat.size > maxBytes) throw tooLarge(stat.size);
    // Read to the end, not to the size the system reports: a /proc or /sys file says 0 and
    // was signed as an empty body; one byte past the limit tells a file that grew too large.
    const bytes = Buffer.alloc(Math.min(maxBytes + 1, Math.max(stat.size + 1, 64 * 1024)));
    let read = 0;
    let buffer = bytes;
    while (true) {
      if (read === buffer.length) {
        if (read > maxBytes) throw tooLarge(read);
        const larger = Buffer.alloc(Math.min(maxBytes + 1, buffer.length * 2));
        buffer.copy(larger, 0, 0, read);
        buffer = larger;
      }
      const count = readSync(fd, buffer, read, buffer.length - read, read);
      if (count === 0) break;
      read += count;
    }
    if (read > maxBytes) throw tooLarge(read);
    return { bytes: buffer.subarray(0, read), path: resolve(file) };
  } finally {
    closeSync(fd);
  }
}
