// Writes that never leave a half-written file: a temp file beside the target, then rename
// (atomic on one file system). The target keeps its permissions; a symbolic link keeps
// pointing to the file it names. A target that is not a regular file (/dev/stdout, /dev/null,
// a FIFO) is written to directly: renaming over it would replace the device or pipe itself.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A report or fixed file could not be written: `file: cannot write: reason (CODE)`. */
export class WriteError extends Error {
  constructor(
    readonly file: string,
    readonly code: string,
    readonly reason: string,
  ) {
    super(`${file}: cannot write: ${reason} (${code})`);
  }

  static from(file: string, e: unknown): WriteError {
    const err = e as NodeJS.ErrnoException;
    const code = err.code ?? 'EIO';
    // "ENOSPC: no space left on device, write" -> "no space left on device".
    const reason = /^[A-Z0-9_]+: ([^,]+)/.exec(err.message ?? '')?.[1] ?? err.message ?? String(e);
    return new WriteError(file, code, reason);
  }
}

/** Text or bytes, or text in chunks (written as they come: a large report is never one string). */
type Data = string | Uint8Array | Iterable<string>;

function writeData(target: string | number, data: Data, mode?: number): void {
  if (typeof data === 'string' || data instanceof Uint8Array) {
    fs.writeFileSync(target, data, mode === undefined ? {} : { mode });
    return;
  }
  const fd = typeof target === 'number' ? target : fs.openSync(target, 'w', mode);
  try {
    for (const chunk of data) fs.writeFileSync(fd, chunk);
  } finally {
    if (fd !== target) fs.closeSync(fd);
  }
}

export function writeFileAtomic(file: string, data: Data): void {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file);
  } catch {
    // New file (or one we cannot see): created below, with default permissions.
  }
  try {
    if (stat && !stat.isFile()) {
      writeData(file, data);
      return;
    }
  } catch (e) {
    throw WriteError.from(file, e);
  }
  const target = stat ? fs.realpathSync(file) : file;
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    writeData(tmp, data, stat ? stat.mode & 0o7777 : undefined);
    fs.renameSync(tmp, target);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // No temp file to remove (its folder is not one): the first error is the one to tell.
    }
    throw WriteError.from(file, e);
  }
}
