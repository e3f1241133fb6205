// Node's reader of external tensor data: resolves symlinks and refuses files whose real path leaves the
// model folder. Not imported by the browser-safe core.
import { readFileSync, realpathSync } from 'node:fs';
import { sep } from 'node:path';
import { ConvertError } from '../ir/errors.js';
import type { ExternalFileReader } from './external.js';

export const nodeFileReader: ExternalFileReader = (path, baseDir) => {
  let real: string, base: string;
  try {
    base = realpathSync(baseDir);
    real = realpathSync(path);
  } catch (cause) {
    throw new ConvertError('EXTERNAL_DATA', `external data file '${path}' cannot be opened: ${(cause as Error).message}`, { cause });
  }
  if (!real.startsWith(base.endsWith(sep) ? base : base + sep)) {
    throw new ConvertError('EXTERNAL_DATA', `external data file '${path}' resolves to '${real}', outside the model folder '${base}'`);
  }
  return readFileSync(real);
};
