import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readNpy, writeNpy, NpyError } from '../../src/cli/npy.js';
import { prng, randomFloat32, randomInt8 } from '../ref/prng.js';

function npyBytes(header: string, data: Uint8Array, version = 1): Uint8Array {
  const lenBytes = version === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lenBytes + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[8 + lenBytes + i] = header.charCodeAt(i);
  out.set(data, 8 + lenBytes + header.length);
  return out;
}

function expectNpyError(bytes: Uint8Array, code: string, message: RegExp): void {
  try {
    readNpy(bytes, 'x.npy');
  } catch (e) {
    assert.instance(e, NpyError);
    assert.is((e as NpyError).code, code);
    assert.match((e as Error).message, /^x\.npy: /);
    assert.match((e as Error).message, message);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

test('round trip of every supported dtype and shapes of rank 0 to 4', () => {
  const rng = prng(5);
  const arrays = [
    { data: randomFloat32(rng, 24), shape: [1, 2, 3, 4] },
    { data: randomInt8(rng, 7), shape: [7] },
    { data: Uint8Array.from([0, 255, 3]), shape: [3, 1] },
    { data: Int32Array.from([-2147483648, 2147483647, 0, 5]), shape: [2, 2] },
    { data: Float32Array.of(1.5), shape: [] },
  ];
  for (const a of arrays) {
    const bytes = writeNpy(a.data, a.shape);
    const headerEnd = bytes.length - a.data.byteLength;
    assert.is(headerEnd % 64, 0, 'data starts 64-byte aligned');
    assert.is(bytes[headerEnd - 1], 0x0a, 'header ends with a newline');
    const back = readNpy(bytes);
    assert.equal(back.shape, a.shape);
    assert.is(back.data.constructor, a.data.constructor);
    assert.equal(Array.from(back.data), Array.from(a.data));
  }
});

test('the header numpy writes is what numpy writes', () => {
  const bytes = writeNpy(new Float32Array(6), [2, 3]);
  const header = new TextDecoder().decode(bytes.subarray(10, bytes.length - 24));
  assert.is(header.trimEnd(), "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
  assert.is(new TextDecoder().decode(writeNpy(new Int8Array(3), [3]).subarray(10, 70)).trimEnd(), "{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }");
});

test('version 2 headers and unaligned data are read', () => {
  const data = new Uint8Array(new Float32Array([1, -2, 3.5]).buffer);
  const a = readNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\n", data, 2));
  assert.equal(Array.from(a.data), [1, -2, 3.5]);
  assert.equal(a.shape, [3]);
});

test('unsupported or broken files are typed errors naming the file', () => {
  const h = (descr: string, shape = '(2,)', fortran = 'False') => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }\n`;
  expectNpyError(new Uint8Array([1, 2, 3]), 'BAD_NPY', /magic/);
  expectNpyError(npyBytes(h('<f8'), new Uint8Array(16)), 'UNSUPPORTED_NPY', /'<f8'/);
  expectNpyError(npyBytes(h('>f4'), new Uint8Array(8)), 'UNSUPPORTED_NPY', /'>f4'/);
  expectNpyError(npyBytes(h('<f4', '(2,)', 'True'), new Uint8Array(8)), 'UNSUPPORTED_NPY', /Fortran/);
  expectNpyError(npyBytes(h('<f4', '(3,)'), new Uint8Array(8)), 'BAD_NPY', /needs 12 bytes.*has 8/);
  expectNpyError(npyBytes(h('<f4', '(2,)'), new Uint8Array(9)), 'BAD_NPY', /needs 8 bytes.*has 9/);
  expectNpyError(npyBytes(h('<f4', '(a, 2)'), new Uint8Array(8)), 'BAD_NPY', /bad dimension 'a'/);
  expectNpyError(npyBytes('{}', new Uint8Array(0)), 'BAD_NPY', /unreadable header/);
  const truncated = npyBytes(h('<f4'), new Uint8Array(8)).subarray(0, 20);
  expectNpyError(truncated, 'BAD_NPY', /past the end/);
  const v9 = npyBytes(h('<f4'), new Uint8Array(8));
  v9[6] = 9;
  expectNpyError(v9, 'BAD_NPY', /version 9/);
});

test.run();
