// Every failure wasmq reports is a WasmqError with a stable code, so callers can branch on it.
export class WasmqError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The wasm module could not be found, compiled or used on this engine. */
export class RuntimeSupportError extends WasmqError {}
