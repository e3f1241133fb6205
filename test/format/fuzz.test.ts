// Seeded mutation fuzzing of the loader: truncations, bit flips, byte overwrites and rewrites of offsets,
// vtable entries and vector lengths aimed at the file's own objects. Every mutant must either be rejected
// with a ModelError or read into a Model that verifyModel accepts and that survives a write/read round trip.
// FUZZ_SEED and FUZZ_MUTANTS in the environment change the run for longer local campaigns.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ModelError, OP_KINDS, readModel, verifyModel, writeModel } from '../../src/format/index.js';
import { MODEL, type TableLayout } from '../../src/format/schema-layout.js';
import { prng, type Rng } from '../ref/prng.js';
import { singleOpModel, smallCnn } from './fixtures.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const MUTANTS = Number(process.env.FUZZ_MUTANTS ?? 6000);

/** Positions of the objects inside a valid file, found by walking it with the schema layout. */
interface Landmarks {
  tables: number[];
  vtables: number[];
  /** positions holding a uoffset (fields and vector elements) */
  offsets: number[];
  /** positions of vector / string length prefixes */
  lengths: number[];
  /** vtable entries (u16 field offsets) */
  entries: number[];
}

function landmarks(bytes: Uint8Array): Landmarks {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const l: Landmarks = { tables: [], vtables: [], offsets: [], lengths: [], entries: [] };
  const follow = (pos: number) => { l.offsets.push(pos); return pos + view.getUint32(pos, true); };
  const vector = (pos: number) => { l.lengths.push(pos); return view.getUint32(pos, true); };
  const table = (pos: number, layout: TableLayout): void => {
    l.tables.push(pos);
    const vt = pos - view.getInt32(pos, true);
    l.vtables.push(vt);
    const slots = (view.getUint16(vt, true) - 4) / 2;
    layout.fields.forEach((f, slot) => {
      if (slot >= slots) return;
      l.entries.push(vt + 4 + 2 * slot);
      const off = view.getUint16(vt + 4 + 2 * slot, true);
      if (off === 0) return;
      const at = pos + off;
      switch (f.kind) {
        case 'string': case 'vector': vector(follow(at)); break;
        case 'table': table(follow(at), f.table); break;
        case 'union': table(follow(at), f.members[bytes[pos + view.getUint16(vt + 4 + 2 * (slot - 1), true)]! - 1]!); break;
        case 'strings': case 'tables': {
          const v = follow(at);
          const n = vector(v);
          for (let i = 0; i < n; i++) {
            const e = follow(v + 4 + 4 * i);
            if (f.kind === 'tables') table(e, f.table); else vector(e);
          }
        }
      }
    });
  };
  table(follow(0), MODEL);
  return l;
}

const INTERESTING_U32 = [0, 1, 3, 4, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff, 0x10000];

function mutate(src: Uint8Array, marks: Landmarks, r: Rng): Uint8Array {
  const b = src.slice();
  const view = new DataView(b.buffer);
  const pos = () => r.int(0, b.length - 1);
  const kind = r.int(0, 8);
  switch (kind) {
    case 0: return b.slice(0, r.int(0, b.length - 1)); // truncation
    case 1: { // bit flips
      for (let n = r.int(1, 8); n > 0; n--) { const p = pos(); b[p] = b[p]! ^ (1 << r.int(0, 7)); }
      return b;
    }
    case 2: { // byte overwrites
      for (let n = r.int(1, 4); n > 0; n--) b[pos()] = r.pick([0, 0xff, 0x7f, 0x80, r.int(0, 255)]);
      return b;
    }
    case 3: { // an offset aimed at another object: a vtable, a vector, a table, or near the end
      const at = r.pick(marks.offsets);
      const target = r.pick([r.pick(marks.vtables), r.pick(marks.lengths), r.pick(marks.tables), b.length - r.int(0, 8), r.int(0, b.length)]);
      view.setUint32(at, (target - at) >>> 0, true);
      return b;
    }
    case 4: { // an offset set to an edge value
      view.setUint32(r.pick(marks.offsets), r.pick(INTERESTING_U32), true);
      return b;
    }
    case 5: { // a vector or string length
      const at = r.pick(marks.lengths);
      const n = view.getUint32(at, true);
      view.setUint32(at, r.pick([0, n + 1, n - 1, n * 2, 0x3fffffff, 0xffffffff, r.int(0, 64)]) >>> 0, true);
      return b;
    }
    case 6: { // a vtable entry (field offset within the table)
      view.setUint16(r.pick(marks.entries), r.pick([0, 2, 4, 6, 8, 0xfffe, r.int(0, 64)]), true);
      return b;
    }
    case 7: { // a vtable's own sizes, or a table's soffset to its vtable
      if (r.int(0, 1)) view.setUint16(r.pick(marks.vtables) + 2 * r.int(0, 1), r.pick([0, 2, 3, 4, 0xffff, r.int(0, 64)]), true);
      else view.setInt32(r.pick(marks.tables), r.pick([0, 4, -4, 0x7fffffff, -0x80000000, r.int(-256, 256)]), true);
      return b;
    }
    default: { // a scalar field nudged: dims, indices, kinds, enum bytes
      const t = r.pick(marks.tables) + 4 + 4 * r.int(0, 6);
      if (t + 4 <= b.length) view.setInt32(t, view.getInt32(t, true) + r.pick([-1, 1, -2, 0x10000]), true);
      return b;
    }
  }
}

test(`${MUTANTS} mutants of valid models: only ModelErrors, or models that verify and round-trip (seed ${SEED})`, () => {
  const models = [smallCnn(1), smallCnn(2), ...OP_KINDS.map((k) => singleOpModel(k))];
  const files = models.map((m) => writeModel(m));
  const marks = files.map(landmarks);
  const r = prng(SEED);
  const codes = new Map<string, number>();
  let accepted = 0;
  const start = Date.now();
  for (let i = 0; i < MUTANTS; i++) {
    const which = i % 3 === 0 ? r.int(0, 1) : r.int(0, files.length - 1);
    const mutant = mutate(files[which]!, marks[which]!, r);
    const copy = mutant.slice();
    let model;
    try {
      model = readModel(mutant);
    } catch (e) {
      if (!(e instanceof ModelError)) {
        assert.unreachable(`mutant ${i} (seed ${SEED}) of model ${which} threw ${(e as Error)?.stack ?? String(e)}`);
      }
      codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      assert.equal(mutant, copy, `mutant ${i}: input modified`);
      continue;
    }
    accepted++;
    assert.equal(mutant, copy, `mutant ${i}: input modified`);
    verifyModel(model);
    assert.equal(readModel(writeModel(model)), model, `mutant ${i} (seed ${SEED}) does not round-trip`);
  }
  const seconds = (Date.now() - start) / 1000;
  assert.ok(seconds < 15 * Math.max(1, MUTANTS / 6000), `fuzzing took ${seconds} s`);
  // the mutator reaches deep: many different rejections, and some mutants stay valid
  assert.ok(codes.size >= 10, `codes seen: ${[...codes.keys()].join(', ')}`);
  assert.ok(accepted > 0 && accepted < MUTANTS / 2, `${accepted} mutants accepted`);
  // the original files are still fine
  files.forEach((f, k) => assert.equal(readModel(f), models[k]));
  if (process.env.FUZZ_VERBOSE) console.log({ seconds, accepted, codes: Object.fromEntries(codes) });
});

const JUNK: unknown[] = [undefined, null, -1, 0, 1, 1.5, NaN, Infinity, 2 ** 40, -(2 ** 31), 'x', '', true, [], {}, [1, 2], [-1], new Uint8Array(3), new Float32Array(1)];

/** Every (object, key) pair in a plain model, typed arrays included as leaves. */
function slots(value: unknown, out: [Record<string, unknown>, string][] = []): [Record<string, unknown>, string][] {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return out;
  for (const key of Object.keys(value)) {
    out.push([value as Record<string, unknown>, key]);
    slots((value as Record<string, unknown>)[key], out);
  }
  return out;
}

test('2000 in-memory models with junk values in random fields: verifyModel throws only ModelErrors', () => {
  const r = prng(SEED + 1);
  for (let i = 0; i < 2000; i++) {
    const m = i % 2 ? smallCnn(1) : singleOpModel(r.pick(OP_KINDS));
    for (let n = r.int(1, 3); n > 0; n--) {
      const all = slots(m);
      const [obj, key] = r.pick(all);
      if (r.int(0, 9) === 0) delete obj[key]; else obj[key] = r.pick(JUNK);
    }
    try {
      verifyModel(m);
    } catch (e) {
      if (!(e instanceof ModelError)) assert.unreachable(`model ${i} (seed ${SEED + 1}): ${(e as Error)?.stack ?? String(e)}`);
      continue;
    }
    // accepted: it must also write and read back (junk in ignored places is simply dropped)
    verifyModel(readModel(writeModel(m)));
  }
});

test.run();
