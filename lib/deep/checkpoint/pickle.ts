/**
 * A minimal, safe pickle VM (protocols 0-5 opcodes that state_dicts use; torch.save writes protocol 2).
 * Nothing is ever executed: GLOBAL/STACK_GLOBAL yield a PyGlobal descriptor and REDUCE/NEWOBJ hand the callable and
 * arguments to a caller-supplied hook, which builds known objects (tensors, OrderedDict) and leaves others inert.
 */
import { NacError } from "../../errors";

export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/** An object the VM does not understand; harmless unless the caller needs it. */
export class PyObject {
  state: unknown = undefined;
  constructor(
    readonly cls: PyGlobal | unknown,
    readonly args: unknown[],
  ) {}
}

export class PyTuple extends Array<unknown> {}

export interface PickleHooks {
  persistentLoad(pid: unknown): unknown;
  /** Called for REDUCE and NEWOBJ. Return a value, or undefined to get an inert PyObject. */
  reduce?(callable: unknown, args: unknown[]): unknown;
}

function fail(msg: string): never {
  throw new NacError("CHECKPOINT_INVALID", `pickle: ${msg}`);
}

function tuple(items: unknown[]): PyTuple {
  const t = new PyTuple();
  for (const i of items) t.push(i);
  return t;
}

/** Two's-complement little-endian integer of arbitrary length (LONG1/LONG4). */
function decodeLong(b: Uint8Array): number | bigint {
  if (b.length === 0) return 0;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/**
 * Runs one pickle starting at `offset`. Returns the unpickled value and the offset just past its STOP opcode
 * (legacy torch files hold several pickles back to back).
 */
export function unpickle(buf: Uint8Array, hooks: PickleHooks, offset = 0): { value: unknown; end: number } {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const td = new TextDecoder("utf-8");
  const latin1 = new TextDecoder("latin1");
  let p = offset;
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();

  const need = (n: number) => {
    if (p + n > buf.length) fail("unexpected end of data");
  };
  const u8 = () => (need(1), buf[p++]);
  const u16 = () => (need(2), (p += 2), dv.getUint16(p - 2, true));
  const u32 = () => (need(4), (p += 4), dv.getUint32(p - 4, true));
  const i32 = () => (need(4), (p += 4), dv.getInt32(p - 4, true));
  const u64 = () => {
    need(8);
    const v = dv.getBigUint64(p, true);
    p += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail("length too large");
    return Number(v);
  };
  const bytes = (n: number) => {
    need(n);
    const b = buf.subarray(p, p + n);
    p += n;
    return b;
  };
  const line = () => {
    const start = p;
    while (p < buf.length && buf[p] !== 0x0a) p++;
    if (p >= buf.length) fail("unterminated text line");
    const s = latin1.decode(buf.subarray(start, p));
    p++;
    return s;
  };
  const pop = () => {
    if (!stack.length) fail("stack underflow");
    return stack.pop();
  };
  const top = () => {
    if (!stack.length) fail("stack underflow");
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const m = marks.pop();
    if (m === undefined) fail("MARK missing");
    return stack.splice(m);
  };
  const reduce = (callable: unknown, args: unknown[]) => {
    const v = hooks.reduce?.(callable, args);
    return v === undefined ? new PyObject(callable, args) : v;
  };
  const setItems = (target: unknown, kv: unknown[]) => {
    if (!(target instanceof Map)) fail("SETITEM(S) on a non-dict");
    for (let i = 0; i + 1 < kv.length; i += 2) target.set(kv[i], kv[i + 1]);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME
        bytes(8);
        break;
      case 0x2e: // STOP
        return { value: pop(), end: p };
      case 0x28: // MARK
        marks.push(stack.length);
        break;
      case 0x30: // POP
        if (stack.length && stack.length === marks[marks.length - 1]) marks.pop();
        else pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: // LONG1
        stack.push(decodeLong(bytes(u8())));
        break;
      case 0x8b: // LONG4
        stack.push(decodeLong(bytes(u32())));
        break;
      case 0x49: {
        // INT (text): "01"/"00" are booleans in protocol 0
        const s = line();
        stack.push(s === "01" ? true : s === "00" ? false : Number.parseInt(s, 10));
        break;
      }
      case 0x4c: // LONG (text)
        stack.push(Number.parseInt(line().replace(/L$/, ""), 10));
        break;
      case 0x47: // BINFLOAT (big-endian double)
        need(8);
        stack.push(dv.getFloat64(p, false));
        p += 8;
        break;
      case 0x46: // FLOAT (text)
        stack.push(Number.parseFloat(line()));
        break;
      case 0x58: // BINUNICODE
        stack.push(td.decode(bytes(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(td.decode(bytes(u8())));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(td.decode(bytes(u64())));
        break;
      case 0x54: // BINSTRING
        stack.push(latin1.decode(bytes(i32())));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(latin1.decode(bytes(u8())));
        break;
      case 0x42: // BINBYTES
        stack.push(bytes(u32()).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(bytes(u8()).slice());
        break;
      case 0x8e: // BINBYTES8
        stack.push(bytes(u64()).slice());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(tuple([]));
        break;
      case 0x74: // TUPLE
        stack.push(tuple(popMark()));
        break;
      case 0x85: // TUPLE1
        stack.push(tuple([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        const a = pop();
        stack.push(tuple([a, b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push(tuple([a, b, c]));
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x64: {
        // DICT
        const m = new Map();
        setItems(m, popMark());
        stack.push(m);
        break;
      }
      case 0x8f: // EMPTY_SET
        stack.push(new Set());
        break;
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        const s = top();
        if (!(s instanceof Set)) fail("ADDITEMS on a non-set");
        for (const i of items) s.add(i);
        break;
      }
      case 0x91: // FROZENSET
        stack.push(new Set(popMark()));
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        const l = top();
        if (!Array.isArray(l)) fail("APPEND on a non-list");
        l.push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const l = top();
        if (!Array.isArray(l)) fail("APPENDS on a non-list");
        for (const i of items) l.push(i);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const kv = popMark();
        setItems(top(), kv);
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x70: // PUT
        memo.set(Number.parseInt(line(), 10), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: // LONG_BINGET
      case 0x67: {
        // GET
        const k = op === 0x68 ? u8() : op === 0x6a ? u32() : Number.parseInt(line(), 10);
        if (!memo.has(k)) fail(`memo key ${k} missing`);
        stack.push(memo.get(k));
        break;
      }
      case 0x63: {
        // GLOBAL
        const mod = line();
        stack.push(new PyGlobal(mod, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const mod = pop();
        stack.push(new PyGlobal(String(mod), String(name)));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = pop();
        stack.push(reduce(fn, Array.isArray(args) ? [...args] : [args]));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = pop();
        const cls = pop();
        stack.push(reduce(cls, Array.isArray(args) ? [...args] : [args]));
        break;
      }
      case 0x92: {
        // NEWOBJ_EX
        pop(); // kwargs
        const args = pop();
        const cls = pop();
        stack.push(reduce(cls, Array.isArray(args) ? [...args] : [args]));
        break;
      }
      case 0x62: {
        // BUILD: state for an object; dict attributes (e.g. OrderedDict._metadata) are irrelevant here
        const state = pop();
        const obj = top();
        if (obj instanceof PyObject) obj.state = state;
        break;
      }
      case 0x51: // BINPERSID
        stack.push(hooks.persistentLoad(pop()));
        break;
      case 0x50: // PERSID
        stack.push(hooks.persistentLoad(line()));
        break;
      default:
        fail(`unsupported opcode 0x${op.toString(16)} at byte ${p - 1}`);
    }
  }
}
