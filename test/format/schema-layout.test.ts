// The structural verifier walks files with the hand-written description in src/format/schema-layout.ts.
// This test holds that description against the code flatc generated from schema/wasmq.fbs: same tables,
// same slots, same field kinds, same required fields, same vector element sizes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODEL, type TableLayout } from '../../src/format/schema-layout.js';

const dir = fileURLToPath(new URL('../../src/format/generated/wasmq', import.meta.url));
const sources = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));

function classSource(name: string): string {
  const src = sources.find((s) => s.includes(`export class ${name} {`));
  assert.ok(src, `generated class ${name}`);
  return src!;
}

const pascal = (snake: string) => snake.split('_').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');

function reachable(root: TableLayout, out = new Map<string, TableLayout>()): Map<string, TableLayout> {
  if (out.has(root.name)) return out;
  out.set(root.name, root);
  for (const f of root.fields) {
    if (f.kind === 'table' || f.kind === 'tables') reachable(f.table, out);
    if (f.kind === 'union') f.members.forEach((m) => reachable(m, out));
  }
  return out;
}

const layouts = reachable(MODEL);

test('every generated table is described, and nothing else', () => {
  const generated = sources.filter((s) => s.includes('builder.startObject(')).map((s) => /export class (\w+) \{/.exec(s)![1]!);
  assert.equal([...layouts.keys()].sort(), generated.sort());
});

for (const [name, layout] of layouts) {
  test(`${name}: slots, kinds, required fields and element sizes match the generated code`, () => {
    const src = classSource(name);
    assert.is(Number(/builder\.startObject\((\d+)\)/.exec(src)![1]), layout.fields.length, 'field count');
    const required = new Set([...src.matchAll(/builder\.requiredField\(offset, (\d+)\)/g)].map((m) => (Number(m[1]) - 4) / 2));
    layout.fields.forEach((f, slot) => {
      const add = new RegExp(`static add${pascal(f.name)}\\(builder[^)]*\\) \\{\\s*builder\\.addField(\\w+)\\((\\d+),`).exec(src);
      assert.ok(add, `${name}.${f.name}: add method`);
      assert.is(Number(add![2]), slot, `${name}.${f.name}: slot`);
      const expected = f.kind !== 'scalar' ? ['Offset'] : { 1: ['Int8'], 2: ['Int16'], 4: ['Int32', 'Float32'], 8: ['Int64', 'Float64'] }[f.size];
      assert.ok(expected.includes(add![1]!), `${name}.${f.name}: ${add![1]} is not ${expected.join('/')}`);
      assert.is(required.has(slot), 'required' in f && f.required === true, `${name}.${f.name}: required`);
      if (f.kind === 'vector') {
        const start = new RegExp(`static start${pascal(f.name)}Vector\\([^)]*\\) \\{\\s*builder\\.startVector\\((\\d+),`).exec(src);
        assert.is(Number(start![1]), f.elemSize, `${name}.${f.name}: element size`);
      }
    });
  });
}

test('union members are listed in the schema order', () => {
  const union = MODEL.fields.find((f) => f.name === 'ops')!;
  assert.ok(union.kind === 'tables');
  const options = union.kind === 'tables' ? union.table.fields.find((f) => f.kind === 'union') : undefined;
  assert.ok(options && options.kind === 'union');
  const src = sources.find((s) => s.includes('export enum OpOptions'))!;
  const members = [...src.matchAll(/^ {2}(\w+) = (\d+)/gm)].filter((m) => m[1] !== 'NONE').map((m) => [m[1], Number(m[2])]);
  assert.equal(members, options!.kind === 'union' ? options!.members.map((m, i) => [m.name, i + 1]) : []);
});

test.run();
