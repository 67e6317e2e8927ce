/**
 * ONNX ModelProto serialisation for the small subset of ONNX the encoders use (float32/int64 initialisers,
 * int/ints/float attributes, dynamic input dims). Field numbers follow onnx/onnx.proto (IR version 8, opset 17).
 */
import { PbWriter } from "./protobuf";

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;

const DT_FLOAT = 1;
const DT_INT64 = 7;

export type AttrValue = number | number[] | { float: number };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attrs?: Record<string, AttrValue>;
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

export interface OnnxValueInfo {
  name: string;
  /** number = fixed size, string = symbolic (dynamic) dimension */
  shape: Array<number | string>;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxInitializer[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** shapes of intermediate values (optional hints for the runtime's planner) */
  valueInfo?: OnnxValueInfo[];
  docString?: string;
}

export interface OnnxModelMeta {
  producerName: string;
  producerVersion: string;
  docString?: string;
  metadata?: Record<string, string>;
}

function attribute(name: string, v: AttrValue): PbWriter {
  const a = new PbWriter().string(1, name);
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new Error(`attribute ${name}: use { float } for non-integers`);
    a.int(3, v).int(20, 2); // i, type INT
  } else if (Array.isArray(v)) {
    for (const x of v) a.int(8, x); // ints (unpacked: accepted by every parser)
    a.int(20, 7); // type INTS
  } else {
    a.float(2, v.float).int(20, 1); // f, type FLOAT
  }
  return a;
}

function node(n: OnnxNode): PbWriter {
  const w = new PbWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.op);
  for (const [k, v] of Object.entries(n.attrs ?? {})) w.message(5, attribute(k, v));
  return w;
}

function tensor(t: OnnxInitializer): PbWriter {
  const w = new PbWriter();
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.data instanceof Float32Array ? DT_FLOAT : DT_INT64);
  w.string(8, t.name);
  // raw_data is little-endian; typed arrays are in platform order, which is little-endian on every supported target.
  w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return w;
}

function valueInfo(v: OnnxValueInfo): PbWriter {
  const shape = new PbWriter();
  for (const d of v.shape) {
    const dim = new PbWriter();
    if (typeof d === "number") dim.int(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new PbWriter().int(1, DT_FLOAT).message(2, shape);
  const type = new PbWriter().message(1, tensorType);
  return new PbWriter().string(1, v.name).message(2, type);
}

/** Serialises a complete ModelProto. */
export function encodeModel(graph: OnnxGraph, meta: OnnxModelMeta): Uint8Array {
  const g = new PbWriter();
  for (const n of graph.nodes) g.message(1, node(n));
  g.string(2, graph.name);
  for (const t of graph.initializers) g.message(5, tensor(t));
  if (graph.docString) g.string(10, graph.docString);
  for (const i of graph.inputs) g.message(11, valueInfo(i));
  for (const o of graph.outputs) g.message(12, valueInfo(o));
  for (const v of graph.valueInfo ?? []) g.message(13, valueInfo(v));

  const m = new PbWriter();
  m.int(1, ONNX_IR_VERSION);
  m.string(2, meta.producerName);
  m.string(3, meta.producerVersion);
  if (meta.docString) m.string(6, meta.docString);
  m.message(7, g);
  m.message(8, new PbWriter().string(1, "").int(2, ONNX_OPSET));
  for (const [k, v] of Object.entries(meta.metadata ?? {})) m.message(14, new PbWriter().string(1, k).string(2, v));
  return m.finish();
}
