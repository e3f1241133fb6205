// The typed error of image decoding and preprocessing: the message names the file (or '<bytes>').
import { WasmqError } from '../../runtime/errors.js';

/** An image could not be read, is in an unsupported format, or a preprocessing option is invalid. */
export class ImageError extends WasmqError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BAD_IMAGE', message, options);
  }
}
