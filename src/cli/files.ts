// File helpers the CLI commands share (Node only).
import { readFile, writeFile } from 'node:fs/promises';
import { WasmqError } from '../runtime/errors.js';

/** A file the CLI cannot read or write; names the path. */
export class CliFileError extends WasmqError {}

export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    const buf = await readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (cause) {
    throw new CliFileError('FILE_NOT_READABLE', `cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
}

export async function writeBytes(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (cause) {
    throw new CliFileError('FILE_NOT_WRITABLE', `cannot write ${path}: ${(cause as Error).message}`, { cause });
  }
}
