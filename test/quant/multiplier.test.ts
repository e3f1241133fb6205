import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { quantizeMultiplier, frexp } from '../../src/quant/multiplier.js';
import { WasmqError } from '../../src/runtime/errors.js';
import { prng } from '../ref/prng.js';

test('frexp returns a fraction in [0.5, 1) that rebuilds the value exactly', () => {
  const rng = prng(3);
  for (let i = 0; i < 2000; i++) {
    const m = Math.exp(rng.float() * 80 - 60);
    const [q, e] = frexp(m);
    assert.ok(q >= 0.5 && q < 1, `q ${q} for ${m}`);
    assert.is(q * 2 ** e, m);
  }
  assert.equal(frexp(1), [0.5, 1]);
  assert.equal(frexp(0.75), [0.75, 0]);
});

test('the Q31 multiplier times 2^(shift-31) reproduces the real multiplier to within half a Q31 step', () => {
  const rng = prng(11);
  for (let i = 0; i < 5000; i++) {
    const real = 2 ** (rng.float() * 58 - 30); // the whole representable range, 2^-30 .. 2^28
    const { multiplier, shift } = quantizeMultiplier(real);
    assert.ok(multiplier >= 2 ** 30 && multiplier < 2 ** 31, `M0 ${multiplier}`);
    const back = multiplier * 2 ** (shift - 31);
    assert.ok(Math.abs(back - real) <= 2 ** (shift - 32) * 1.0000001, `${real} -> ${back}`);
  }
});

test('a fraction that rounds up to 2^31 moves into the next exponent', () => {
  const real = 1 - 2 ** -40; // q * 2^31 rounds to exactly 2^31
  assert.equal(quantizeMultiplier(real), { multiplier: 2 ** 30, shift: 1 });
});

test('zero and vanishingly small multipliers flush to zero; powers of two are exact', () => {
  assert.equal(quantizeMultiplier(0), { multiplier: 0, shift: 0 });
  assert.equal(quantizeMultiplier(2 ** -40), { multiplier: 0, shift: 0 });
  assert.equal(quantizeMultiplier(0.25), { multiplier: 2 ** 30, shift: -1 });
  assert.equal(quantizeMultiplier(2 ** -32), { multiplier: 2 ** 30, shift: -31 });
});

test('negative, non-finite and huge multipliers are typed errors', () => {
  for (const bad of [-1, NaN, Infinity, 2 ** 31]) {
    assert.throws(() => quantizeMultiplier(bad), (e: unknown) => e instanceof WasmqError && e.code === 'BAD_MULTIPLIER');
  }
});

test.run();
