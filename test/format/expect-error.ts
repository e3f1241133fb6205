import * as assert from 'uvu/assert';
import { ModelError } from '../../src/format/index.js';
import { WasmqError } from '../../src/runtime/errors.js';

/** Asserts that fn throws a ModelError with `code` whose message contains every fragment. */
export function expectModelError(fn: () => unknown, code: string, ...fragments: string[]): ModelError {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ModelError)) throw new assert.Assertion({ message: `expected ModelError ${code}, got ${String(e)}`, generated: false, operator: 'throws' });
    assert.ok(e instanceof WasmqError);
    assert.is(e.code, code, `code (message: ${e.message})`);
    for (const f of fragments) assert.ok(e.message.includes(f), `message ${JSON.stringify(e.message)} should name ${JSON.stringify(f)}`);
    return e;
  }
  assert.unreachable(`expected ModelError ${code}`);
  throw new Error('unreachable');
}
