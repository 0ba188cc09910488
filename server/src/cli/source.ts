// Reading one source file, once: size checked before reading, binary and undecodable files
// recognised. Nothing here throws: a bad file becomes a skip reason, and the run goes on.
import * as fs from 'node:fs';

const maxFileBytes = 10 * 1024 * 1024;
const binaryProbeBytes = 8192;

export interface SourceText {
  readonly kind: 'text';
  /** Decoded text without the BOM; the engine's positions refer to it. */
  readonly text: string;
  readonly hasBom: boolean;
  /** The file's dominant line ending, kept when fixes are written back. */
  readonly eol: '\n' | '\r\n';
  /** Bytes that were not UTF-8 were replaced by U+FFFD (fixes are then not written). */
  readonly invalidUtf8: boolean;
  readonly bytes: number;
}

export interface SourceSkip {
  readonly kind: 'skip';
  readonly reason: string;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

export function readSource(file: string, limit: number = maxFileBytes): SourceText | SourceSkip {
  let fd: number | undefined;
  try {
    // Non-blocking: opening a FIFO named on the command line must not wait for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const stat = fs.fstatSync(fd);
    if (!stat.isFile())
      return { kind: 'skip', reason: stat.isDirectory() ? 'unreadable (EISDIR)' : 'not a regular file' };
    const size = stat.size;
    if (size > limit) return { kind: 'skip', reason: `larger than ${formatMb(limit)} (${formatMb(size)})` };
    const buf = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = fs.readSync(fd, buf, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return decodeSource(buf.subarray(0, read));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { kind: 'skip', reason: `unreadable (${err.code ?? err.message})` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function decodeSource(buf: Uint8Array): SourceText | SourceSkip {
  if (buf.subarray(0, binaryProbeBytes).includes(0))
    return { kind: 'skip', reason: 'binary (NUL byte in the first 8 KB)' };
  const hasBom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  let text: string;
  let invalidUtf8 = false;
  try {
    text = strictUtf8.decode(buf); // Strips a BOM.
  } catch {
    text = lenientUtf8.decode(buf);
    invalidUtf8 = true;
  }
  return { kind: 'text', text, hasBom, eol: dominantEol(text), invalidUtf8, bytes: buf.length };
}

function dominantEol(text: string): '\n' | '\r\n' {
  let lf = 0;
  let crlf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

function formatMb(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}
