import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRequire } from 'node:module';
import {
  allDigits, trainDigits, heldOutDigits, calibrationDigits, calibrationSamples, DigitDataError,
  DIGIT_PIXELS, TRAIN_COUNT, HELD_OUT_COUNT, CALIBRATION_COUNT, type Digits,
} from '../../src/demo/digits.js';

// The package's own accessor, used as an independent source of each class's digits in file order.
const mnist = createRequire(import.meta.url)('mnist') as { length: number; get(i: number): number[] }[];

const train = trainDigits();
const heldOut = heldOutDigits();

function classCounts(d: Digits): number[] {
  const n = new Array(10).fill(0);
  for (const l of d.labels) n[l]++;
  return n;
}

test('the split is 8,000 training and 2,000 held-out digits, NHWC 28x28x1', () => {
  assert.is(train.count, TRAIN_COUNT);
  assert.is(heldOut.count, HELD_OUT_COUNT);
  assert.equal(train.shape, [8000, 28, 28, 1]);
  assert.equal(heldOut.shape, [2000, 28, 28, 1]);
  assert.is(train.images.length, 8000 * DIGIT_PIXELS);
  assert.is(heldOut.labels.length, 2000);
});

test('labels are 0..9 and pixels lie in [0, 1] with real ink on every digit', () => {
  for (const d of [train, heldOut]) {
    for (const l of d.labels) assert.ok(l >= 0 && l <= 9);
    for (let i = 0; i < d.count; i++) {
      let max = 0, min = 1;
      for (let j = 0; j < DIGIT_PIXELS; j++) { const v = d.images[i * DIGIT_PIXELS + j]; max = Math.max(max, v); min = Math.min(min, v); }
      assert.ok(min >= 0 && max <= 1, `digit ${i} out of range`);
      assert.ok(max > 0.5, `digit ${i} has no ink`);
    }
  }
});

test('each class is split about 80/20 and every class is well represented', () => {
  const t = classCounts(train), h = classCounts(heldOut);
  for (let c = 0; c < 10; c++) {
    const share = t[c] / (t[c] + h[c]);
    assert.ok(Math.abs(share - 0.8) < 0.002, `class ${c}: ${t[c]} train / ${h[c]} held out`);
    assert.ok(h[c] >= 160 && h[c] <= 240, `class ${c}: ${h[c]} held out`);
  }
  const cal = classCounts(calibrationDigits());
  for (let c = 0; c < 10; c++) assert.ok(cal[c] >= 15 && cal[c] <= 25, `class ${c}: ${cal[c]} calibration digits`);
});

test('the canonical order keeps each class\'s file order: training takes its first digits, held-out the rest', () => {
  const seen = new Array(10).fill(0);
  const all = allDigits();
  for (let i = 0; i < all.count; i++) {
    const c = all.labels[i];
    const expected = mnist[c].get(seen[c]++);
    const got = all.images.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS);
    for (let j = 0; j < DIGIT_PIXELS; j += 7) assert.is(got[j], Math.fround(expected[j]), `digit ${i} (class ${c}) pixel ${j}`);
  }
  for (let c = 0; c < 10; c++) assert.is(seen[c], mnist[c].length, `class ${c} fully used exactly once`);
});

test('loading is deterministic and callers cannot disturb the cache', () => {
  const again = trainDigits();
  assert.equal(again.labels, train.labels);
  assert.ok(again.images.every((v, i) => v === train.images[i]));
  again.images.fill(7);
  again.labels.fill(3);
  const third = trainDigits();
  assert.equal(third.labels, train.labels);
  assert.is(third.images[1000], train.images[1000]);
  assert.equal(allDigits().labels.subarray(TRAIN_COUNT), heldOut.labels);
});

test('calibration digits are the first 200 training digits, one fresh feed per sample', () => {
  const cal = calibrationDigits();
  assert.is(cal.count, CALIBRATION_COUNT);
  assert.equal(cal.labels, train.labels.slice(0, 200));
  const samples = [...calibrationSamples('x')];
  assert.is(samples.length, 200);
  samples.forEach((s, i) => {
    assert.equal(Object.keys(s), ['x']);
    assert.is(s.x.length, DIGIT_PIXELS);
    assert.is(s.x[400], train.images[i * DIGIT_PIXELS + 400]);
  });
  samples[0].x.fill(0);
  assert.ok([...calibrationSamples()][0].input.some((v) => v !== 0), 'a mutated feed must not leak into the next pass');
  assert.is([...calibrationSamples('input', 16)].length, 16);
});

test('bad calibration counts are typed errors', () => {
  for (const n of [0, -1, 1.5, 8001, NaN]) {
    try {
      calibrationDigits(n);
      assert.unreachable(`count ${n} accepted`);
    } catch (e) {
      assert.instance(e, DigitDataError);
      assert.is((e as DigitDataError).code, 'DIGITS_BAD_COUNT');
    }
  }
});

test.run();
