// Typed access to a NodeProto's attributes, with errors that name the node and attribute.
import { ConvertError } from '../ir/errors.js';
import { ATTR_TYPE, type AttributeProto, type NodeProto, type TensorProto } from './proto.js';

const utf8 = new TextDecoder();

export class Attributes {
  private readonly byName = new Map<string, AttributeProto>();
  constructor(private readonly node: NodeProto, private readonly label: string) {
    for (const a of node.attribute) this.byName.set(a.name ?? '', a);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  private get(name: string, type: number): AttributeProto | undefined {
    const a = this.byName.get(name);
    // type 0 comes from IR version 1 writers that left the discriminator out
    if (a && a.type !== undefined && a.type !== 0 && a.type !== type) {
      throw new ConvertError('MALFORMED_ONNX', `${this.label}: attribute '${name}' has type ${a.type}, expected ${type}`);
    }
    return a;
  }

  int(name: string, fallback: number): number;
  int(name: string): number | undefined;
  int(name: string, fallback?: number): number | undefined {
    const a = this.get(name, ATTR_TYPE.INT);
    return a ? Number(a.i ?? 0) : fallback;
  }

  float(name: string, fallback: number): number;
  float(name: string): number | undefined;
  float(name: string, fallback?: number): number | undefined {
    const a = this.get(name, ATTR_TYPE.FLOAT);
    return a ? Number(a.f ?? 0) : fallback;
  }

  ints(name: string): number[] | undefined {
    const a = this.get(name, ATTR_TYPE.INTS);
    return a ? a.ints.map(Number) : undefined;
  }

  floats(name: string): number[] | undefined {
    const a = this.get(name, ATTR_TYPE.FLOATS);
    return a ? a.floats.map(Number) : undefined;
  }

  string(name: string, fallback: string): string {
    const a = this.get(name, ATTR_TYPE.STRING);
    return a?.s ? utf8.decode(a.s) : fallback;
  }

  tensor(name: string): TensorProto | undefined {
    return this.get(name, ATTR_TYPE.TENSOR)?.t;
  }

  /** A 2-element spatial attribute (kernel, strides, dilations), defaulting to [d, d]. */
  pair(name: string, d: number): [number, number] {
    const v = this.ints(name);
    if (!v) return [d, d];
    if (v.length !== 2 || v.some((x) => !Number.isSafeInteger(x) || x < 1)) {
      throw new ConvertError('UNSUPPORTED_ATTRIBUTE', `${this.label}: ${name} [${v}] must be two positive integers (2D only)`);
    }
    return [v[0], v[1]];
  }

  pads4(): [number, number, number, number] {
    const v = this.ints('pads');
    if (!v) return [0, 0, 0, 0];
    if (v.length !== 4 || v.some((x) => !Number.isSafeInteger(x) || x < 0)) {
      throw new ConvertError('UNSUPPORTED_ATTRIBUTE', `${this.label}: pads [${v}] must be four non-negative integers (2D only)`);
    }
    return [v[0], v[1], v[2], v[3]];
  }
}
