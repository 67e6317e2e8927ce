import { describe, expect, it } from "vitest";
import { isNacError } from "../../errors";
import { PyGlobal, PyObject, unpickle } from "./pickle";

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => Number.parseInt(b, 16)));
const noPid = {
  persistentLoad: () => {
    throw new Error("no pid expected");
  },
};
const orderedDict = {
  ...noPid,
  reduce: (fn: unknown) =>
    fn instanceof PyGlobal && fn.qualified === "collections.OrderedDict" ? new Map() : undefined,
};

// pickle.dumps(OrderedDict([('a',1),('b',[1.5,-2,2**40,-2**70]),('c',(None,True,False)),('d',{'x':'é'}),('e',b'\x00\x01')]) + f=b)
const P2 =
  "800263636f6c6c656374696f6e730a4f726465726564446963740a7100295271012858010000006171024b0158010000006271035d710428473ff80000000000004afeffffff8a060000000000018a090000000000000000c06558010000006371054e888987710658010000006471077d710858010000007871095802000000c3a9710a73580100000065710b635f636f646563730a656e636f64650a710c58020000000001710d58060000006c6174696e31710e86710f52711058010000006671116804752e";
const P4 =
  "8004957b000000000000008c0b636f6c6c656374696f6e73948c0b4f72646572656444696374949394295294288c0161944b018c0162945d9428473ff80000000000004afeffffff8a060000000000018a090000000000000000c0658c0163944e888987948c0164947d948c0178948c02c3a994738c01659443020001948c0166946806752e";

describe("pickle VM", () => {
  for (const [proto, bytes] of [
    ["2", P2],
    ["4", P4],
  ] as const) {
    it(`decodes a protocol ${proto} OrderedDict with shared references, big ints, tuples, unicode`, () => {
      const buf = hex(bytes);
      const { value, end } = unpickle(buf, orderedDict);
      expect(end).toBe(buf.length);
      const m = value as Map<string, unknown>;
      expect([...m.keys()]).toEqual(["a", "b", "c", "d", "e", "f"]);
      expect(m.get("a")).toBe(1);
      expect(m.get("b")).toEqual([1.5, -2, 2 ** 40, -(2n ** 70n)]);
      expect(m.get("f")).toBe(m.get("b")); // memo: the same object
      expect([...(m.get("c") as unknown[])]).toEqual([null, true, false]);
      expect((m.get("d") as Map<string, string>).get("x")).toBe("é");
      const e = m.get("e");
      if (proto === "4") expect(e).toEqual(Uint8Array.from([0, 1]));
      else expect(e instanceof PyObject && (e.cls as PyGlobal).qualified === "_codecs.encode").toBe(true);
    });
  }

  it("rejects truncated input with CHECKPOINT_INVALID", () => {
    const buf = hex(P2).subarray(0, 40);
    try {
      unpickle(buf, orderedDict);
      expect.unreachable();
    } catch (e) {
      expect(isNacError(e) && e.code === "CHECKPOINT_INVALID").toBe(true);
    }
  });

  it("never executes globals: unknown REDUCE yields an inert object", () => {
    // pickle.dumps(os.system('x')) would be GLOBAL os system + REDUCE; build it by hand
    const enc = new TextEncoder();
    const buf = Uint8Array.from([
      0x80,
      2,
      0x63,
      ...enc.encode("os\nsystem\n"),
      0x58,
      1,
      0,
      0,
      0,
      0x78,
      0x85,
      0x52,
      0x2e,
    ]);
    const { value } = unpickle(buf, noPid);
    expect(value).toBeInstanceOf(PyObject);
    expect(((value as PyObject).cls as PyGlobal).qualified).toBe("os.system");
  });
});
