// The op options tables: how each model options object is written and read back. Writer and reader both
// go through this one table so the two directions cannot drift apart.

import type { Builder, Offset } from 'flatbuffers';
import * as fb from './generated/wasmq.js';
import { ModelError } from './errors.js';
import type { Activation, OpDef, Rounding } from './model.js';
import type { OptionsTable } from './op-signatures.js';

const ACTIVATION_TO_FILE: Record<Activation, fb.Activation> = {
  none: fb.Activation.None,
  relu: fb.Activation.Relu,
  relu6: fb.Activation.Relu6,
};
const ACTIVATION_FROM_FILE = new Map<number, Activation>(
  Object.entries(ACTIVATION_TO_FILE).map(([k, v]) => [v, k as Activation]),
);

function activationFromFile(value: number, where: string): Activation {
  const a = ACTIVATION_FROM_FILE.get(value);
  if (a === undefined) throw new ModelError('BAD_OPTIONS', `${where}: unknown activation ${value}`);
  return a;
}

const ROUNDING_TO_FILE: Record<Rounding, fb.Rounding> = {
  'half-away': fb.Rounding.HalfAwayFromZero,
  'half-even': fb.Rounding.HalfToEven,
};

type AnyOptions = Record<string, any>;
type FileTable = { bb: unknown; bb_pos: number };

interface OptionsCodec {
  write(b: Builder, o: AnyOptions): Offset;
  /** `t` is the union member already initialised by the caller */
  read(t: any, where: string): AnyOptions;
  create(): FileTable;
  /** the options of a file that carries NONE for this table (written before the table existed); absent: an error */
  absent?(): AnyOptions;
}

const padFields = (o: AnyOptions) => [o.padTop, o.padBottom, o.padLeft, o.padRight] as const;
const padsFromFile = (t: any) => ({ padTop: t.padTop(), padBottom: t.padBottom(), padLeft: t.padLeft(), padRight: t.padRight() });

const CODECS: Record<OptionsTable, OptionsCodec> = {
  Conv2DOptions: {
    write: (b, o) => fb.Conv2DOptions.createConv2DOptions(b, ...padFields(o), o.strideH, o.strideW, o.dilationH, o.dilationW, ACTIVATION_TO_FILE[o.activation as Activation]),
    read: (t: fb.Conv2DOptions, where) => ({
      ...padsFromFile(t), strideH: t.strideH(), strideW: t.strideW(), dilationH: t.dilationH(), dilationW: t.dilationW(),
      activation: activationFromFile(t.activation(), where),
    }),
    create: () => new fb.Conv2DOptions(),
  },
  DepthwiseConv2DOptions: {
    write: (b, o) => fb.DepthwiseConv2DOptions.createDepthwiseConv2DOptions(b, ...padFields(o), o.strideH, o.strideW, o.dilationH, o.dilationW, ACTIVATION_TO_FILE[o.activation as Activation], o.depthMultiplier),
    read: (t: fb.DepthwiseConv2DOptions, where) => ({
      ...padsFromFile(t), strideH: t.strideH(), strideW: t.strideW(), dilationH: t.dilationH(), dilationW: t.dilationW(),
      activation: activationFromFile(t.activation(), where), depthMultiplier: t.depthMultiplier(),
    }),
    create: () => new fb.DepthwiseConv2DOptions(),
  },
  PoolOptions: {
    write: (b, o) => fb.PoolOptions.createPoolOptions(b, ...padFields(o), o.filterH, o.filterW, o.strideH, o.strideW, ACTIVATION_TO_FILE[o.activation as Activation]),
    read: (t: fb.PoolOptions, where) => ({
      ...padsFromFile(t), filterH: t.filterH(), filterW: t.filterW(), strideH: t.strideH(), strideW: t.strideW(),
      activation: activationFromFile(t.activation(), where),
    }),
    create: () => new fb.PoolOptions(),
  },
  ActivationOptions: {
    write: (b, o) => fb.ActivationOptions.createActivationOptions(b, ACTIVATION_TO_FILE[o.activation as Activation]),
    read: (t: fb.ActivationOptions, where) => ({ activation: activationFromFile(t.activation(), where) }),
    create: () => new fb.ActivationOptions(),
  },
  MeanOptions: {
    write: (b, o) => fb.MeanOptions.createMeanOptions(b, fb.MeanOptions.createAxesVector(b, o.axes), o.keepDims),
    read: (t: fb.MeanOptions) => ({ axes: Array.from({ length: t.axesLength() }, (_, i) => t.axes(i)!), keepDims: t.keepDims() }),
    create: () => new fb.MeanOptions(),
  },
  ConcatenationOptions: {
    write: (b, o) => fb.ConcatenationOptions.createConcatenationOptions(b, o.axis, ACTIVATION_TO_FILE[o.activation as Activation]),
    read: (t: fb.ConcatenationOptions, where) => ({ axis: t.axis(), activation: activationFromFile(t.activation(), where) }),
    create: () => new fb.ConcatenationOptions(),
  },
  PadOptions: {
    write: (b, o) => fb.PadOptions.createPadOptions(b, fb.PadOptions.createPadsVector(b, o.pads)),
    read: (t: fb.PadOptions) => ({ pads: Array.from({ length: t.padsLength() }, (_, i) => t.pads(i)!) }),
    create: () => new fb.PadOptions(),
  },
  SoftmaxOptions: {
    write: (b, o) => fb.SoftmaxOptions.createSoftmaxOptions(b, o.beta),
    read: (t: fb.SoftmaxOptions) => ({ beta: t.beta() }),
    create: () => new fb.SoftmaxOptions(),
  },
  LeakyReluOptions: {
    write: (b, o) => fb.LeakyReluOptions.createLeakyReluOptions(b, o.alpha),
    read: (t: fb.LeakyReluOptions) => ({ alpha: t.alpha() }),
    create: () => new fb.LeakyReluOptions(),
  },
  QuantizeOptions: {
    write: (b, o) => fb.QuantizeOptions.createQuantizeOptions(b, ROUNDING_TO_FILE[(o.rounding ?? 'half-away') as Rounding]),
    // the default reads back as {} so that a model written without a rounding reads back unchanged
    read: (t: fb.QuantizeOptions, where) => {
      const r = t.rounding();
      if (r === fb.Rounding.HalfAwayFromZero) return {};
      if (r === fb.Rounding.HalfToEven) return { rounding: 'half-even' };
      throw new ModelError('BAD_OPTIONS', `${where}: unknown rounding ${r}`);
    },
    create: () => new fb.QuantizeOptions(),
    absent: () => ({}),
  },
};

/** Writes the options table of `table` and returns its union type and offset. */
export function writeOptions(b: Builder, table: OptionsTable | null, options: OpDef['options']): [fb.OpOptions, Offset] {
  if (table === null) return [fb.OpOptions.NONE, 0];
  return [fb.OpOptions[table], CODECS[table].write(b, options as AnyOptions)];
}

/**
 * Reads an op's options, which must be the union member `table` expects (NONE for kinds without options).
 * The structural verifier has already checked that the member is known and lies inside the file.
 */
export function readOptions(op: fb.Op, table: OptionsTable | null, where: string): OpDef['options'] {
  const type = op.optionsType();
  const found = type === fb.OpOptions.NONE ? 'none' : (fb.OpOptions[type] ?? `type ${type}`);
  if (table === null) {
    if (type !== fb.OpOptions.NONE) throw new ModelError('BAD_OPTIONS', `${where}: takes no options, the file has ${found}`);
    return {} as OpDef['options'];
  }
  const codec = CODECS[table];
  if (type === fb.OpOptions.NONE && codec.absent) return codec.absent() as OpDef['options'];
  if (type !== fb.OpOptions[table]) throw new ModelError('BAD_OPTIONS', `${where}: options are ${found}, expected ${table}`);
  const t = op.options(codec.create());
  if (t === null) throw new ModelError('BAD_OPTIONS', `${where}: ${table} is missing`);
  return codec.read(t, where) as OpDef['options'];
}
