// Where external tensor data may come from: a location relative to the model's folder that stays inside it.
// The syntactic check is here (browser-safe); the file reader also resolves symlinks (external-node.ts).
import { ConvertError } from '../ir/errors.js';

/**
 * Reads external data. `path` is baseDir joined with the checked relative location; the reader must refuse
 * (with an EXTERNAL_DATA ConvertError) a path whose real location is outside `baseDir`.
 */
export type ExternalFileReader = (path: string, baseDir: string) => Uint8Array;

/** Joins a tensor's external location to baseDir, refusing absolute paths and any '..' segment. */
export function externalPath(baseDir: string, location: string, tensor: string): string {
  const bad = (why: string): never => {
    throw new ConvertError('EXTERNAL_DATA', `tensor '${tensor}': external data location '${location}' ${why}`);
  };
  if (location === '') bad('is empty');
  if (location.includes('\0')) bad('contains a NUL character');
  if (/^[\\/]/.test(location) || /^[a-zA-Z]:/.test(location)) bad('is absolute (it must be relative to the model folder)');
  const parts = location.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) bad("leaves the model folder ('..')");
  if (parts.length === 0) bad('names no file');
  return `${baseDir.replace(/[\\/]+$/, '')}/${parts.join('/')}`;
}
