// A deliberately small ONNX reader for tests: walks the protobuf wire format (field numbers from onnx.proto)
// far enough to list the graph's nodes, opsets, inputs and outputs, so a test can check what an exporter wrote.

interface Field { num: number; wire: number; int: number; bytes: Uint8Array }

function* fields(buf: Uint8Array): Generator<Field> {
  let p = 0;
  const varint = (): number => {
    let v = 0, mul = 1, b: number;
    do { b = buf[p++]; v += (b & 0x7f) * mul; mul *= 128; } while (b & 0x80);
    return v;
  };
  while (p < buf.length) {
    const key = varint(), num = Math.floor(key / 8), wire = key & 7;
    if (wire === 0) yield { num, wire, int: varint(), bytes: new Uint8Array() };
    else if (wire === 2) { const n = varint(); yield { num, wire, int: 0, bytes: buf.subarray(p, p + n) }; p += n; }
    else if (wire === 5) { p += 4; yield { num, wire, int: 0, bytes: new Uint8Array() }; }
    else if (wire === 1) { p += 8; yield { num, wire, int: 0, bytes: new Uint8Array() }; }
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

export interface OnnxNode { opType: string; inputs: string[]; outputs: string[]; ints: Record<string, number> }
export interface OnnxValue { name: string; dims: (number | string)[] }
export interface OnnxGraph { opset: number; nodes: OnnxNode[]; initializers: string[]; inputs: OnnxValue[]; outputs: OnnxValue[] }

function node(buf: Uint8Array): OnnxNode {
  const n: OnnxNode = { opType: '', inputs: [], outputs: [], ints: {} };
  for (const f of fields(buf)) {
    if (f.num === 1) n.inputs.push(text(f.bytes));
    else if (f.num === 2) n.outputs.push(text(f.bytes));
    else if (f.num === 4) n.opType = text(f.bytes);
    else if (f.num === 5) {
      let name = '', i: number | undefined;
      for (const a of fields(f.bytes)) { if (a.num === 1) name = text(a.bytes); else if (a.num === 3) i = a.int; }
      if (i !== undefined) n.ints[name] = i;
    }
  }
  return n;
}

function valueInfo(buf: Uint8Array): OnnxValue {
  const v: OnnxValue = { name: '', dims: [] };
  for (const f of fields(buf)) {
    if (f.num === 1) v.name = text(f.bytes);
    else if (f.num === 2) for (const t of fields(f.bytes)) if (t.num === 1) for (const tt of fields(t.bytes)) if (tt.num === 2) {
      for (const d of fields(tt.bytes)) if (d.num === 1) for (const dv of fields(d.bytes)) v.dims.push(dv.num === 1 ? dv.int : text(dv.bytes));
    }
  }
  return v;
}

export function readOnnxGraph(model: Uint8Array): OnnxGraph {
  const g: OnnxGraph = { opset: 0, nodes: [], initializers: [], inputs: [], outputs: [] };
  for (const f of fields(model)) {
    if (f.num === 8) {
      let domain = '', version = 0;
      for (const o of fields(f.bytes)) { if (o.num === 1) domain = text(o.bytes); else if (o.num === 2) version = o.int; }
      if (domain === '' || domain === 'ai.onnx') g.opset = version;
    } else if (f.num === 7) {
      for (const gf of fields(f.bytes)) {
        if (gf.num === 1) g.nodes.push(node(gf.bytes));
        else if (gf.num === 5) for (const t of fields(gf.bytes)) { if (t.num === 8) g.initializers.push(text(t.bytes)); }
        else if (gf.num === 11) g.inputs.push(valueInfo(gf.bytes));
        else if (gf.num === 12) g.outputs.push(valueInfo(gf.bytes));
      }
    }
  }
  return g;
}
