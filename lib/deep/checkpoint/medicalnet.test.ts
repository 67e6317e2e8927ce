import { describe, expect, it } from "vitest";
import { isNacError } from "../../errors";
import { DEPTHS, expectedStateDict, type Depth } from "../architecture";
import { checkpointBytes, fullWidthKeys } from "../testdata/fixtures";
import { medicalNetStateDict } from "./medicalnet";
import { readTorchFile, TorchTensor } from "./torch-file";

function expectCheckpointError(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(isNacError(e) && e.code).toBe("CHECKPOINT_INVALID");
    expect((e as Error).message).toMatch(pattern);
    return;
  }
  expect.unreachable("expected CHECKPOINT_INVALID");
}

describe("MedicalNet key/shape expectations", () => {
  it.each(DEPTHS)("ResNet%i at full width equals PyTorch's state_dict (minus num_batches_tracked)", (depth) => {
    const torchKeys = fullWidthKeys()[String(depth)].filter(([k]) => !k.endsWith("num_batches_tracked"));
    expect(expectedStateDict(depth, 64)).toEqual(torchKeys);
  });
});

describe("PyTorch checkpoint reading", () => {
  it.each(DEPTHS)(
    "ResNet%i: zip and legacy files hold identical tensors; prefixes, num_batches_tracked, conv_seg handled",
    (depth) => {
      const zip = medicalNetStateDict(readTorchFile(checkpointBytes(depth, "zip")), depth);
      const legacy = medicalNetStateDict(readTorchFile(checkpointBytes(depth, "legacy")), depth);
      expect(zip.base).toBe(4);
      expect(legacy.base).toBe(4);
      const expected = expectedStateDict(depth, 4);
      expect([...zip.stateDict.keys()]).toEqual(expected.map(([k]) => k));
      expect([...legacy.stateDict.keys()]).toEqual(expected.map(([k]) => k));
      for (const [k, shape] of expected) {
        expect(zip.stateDict.get(k)!.shape).toEqual(shape);
        const a = legacy.stateDict.get(k)!.data;
        const b = zip.stateDict.get(k)!.data;
        expect(a.length).toBe(b.length);
        let differing = 0;
        for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) differing++;
        expect(differing, k).toBe(0);
      }
      // zip keeps num_batches_tracked (one per BatchNorm) and, for ResNet10, a conv_seg head: both ignored
      const bnCount = expected.filter(([k]) => k.endsWith("running_var")).length;
      expect(zip.ignoredKeys.length).toBe(bnCount + (depth === 10 ? 1 : 0));
      expect(legacy.ignoredKeys).toEqual([]);
      expect(zip.ignoredKeys.every((k) => k.startsWith("module."))).toBe(true);
    },
  );

  it("reads num_batches_tracked as an int64 scalar tensor", () => {
    const parsed = readTorchFile(checkpointBytes(10, "zip")) as Map<string, Map<string, TorchTensor>>;
    const t = parsed.get("state_dict")!.get("module.bn1.num_batches_tracked")!;
    expect(t).toBeInstanceOf(TorchTensor);
    expect(t.dtype).toBe("int64");
    expect(t.shape).toEqual([]);
    expect(Number.isInteger(t.data[0]) && t.data[0] >= 1).toBe(true);
  });

  it("names the first missing key when the depth is wrong", () => {
    const parsed = readTorchFile(checkpointBytes(18, "zip"));
    expectCheckpointError(() => medicalNetStateDict(parsed, 34 as Depth), /missing key layer1\.2\.conv1\.weight/);
    expectCheckpointError(
      () => medicalNetStateDict(readTorchFile(checkpointBytes(34, "zip")), 18),
      /unexpected key layer1\.2\.conv1\.weight/,
    );
    // ResNet10 and 50 have a downsample in layer1.0 only for 50
    expectCheckpointError(
      () => medicalNetStateDict(readTorchFile(checkpointBytes(10, "zip")), 50),
      /layer1\.0\.conv1\.weight has shape \[4, 4, 3, 3, 3\], expected \[4, 4, 1, 1, 1\]/,
    );
  });

  it("names a tensor whose shape does not match", () => {
    const parsed = readTorchFile(checkpointBytes(10, "legacy")) as Map<string, Map<string, TorchTensor>>;
    const sd = parsed.get("state_dict")!;
    const t = sd.get("module.layer2.0.bn1.running_mean")!;
    sd.set("module.layer2.0.bn1.running_mean", new TorchTensor([t.shape[0] - 1], t.data.subarray(1), t.dtype));
    expectCheckpointError(
      () => medicalNetStateDict(parsed, 10),
      /layer2\.0\.bn1\.running_mean has shape \[7\], expected \[8\]/,
    );
  });

  it("reads legacy checkpoints saved from the GPU (torch.cuda.FloatStorage, location cuda:0), as the 2019 releases", () => {
    const cpu = checkpointBytes(10, "legacy");
    const enc = new TextEncoder();
    const replace = (b: Uint8Array, from: Uint8Array, to: Uint8Array) => {
      const at = Buffer.from(b).indexOf(Buffer.from(from));
      expect(at).toBeGreaterThan(0);
      return Uint8Array.from([...b.subarray(0, at), ...to, ...b.subarray(at + from.length)]);
    };
    let gpu = replace(cpu, enc.encode("ctorch\nFloatStorage\n"), enc.encode("ctorch.cuda\nFloatStorage\n"));
    gpu = replace(
      gpu,
      Uint8Array.from([0x58, 3, 0, 0, 0, ...enc.encode("cpu")]),
      Uint8Array.from([0x58, 6, 0, 0, 0, ...enc.encode("cuda:0")]),
    );
    const a = medicalNetStateDict(readTorchFile(cpu), 10).stateDict;
    const b = medicalNetStateDict(readTorchFile(gpu), 10).stateDict;
    expect([...b.keys()]).toEqual([...a.keys()]);
    expect(
      Buffer.from(b.get("layer4.0.conv2.weight")!.data.buffer).equals(
        Buffer.from(a.get("layer4.0.conv2.weight")!.data.buffer),
      ),
    ).toBe(true);
  });

  it("accepts a bare state_dict without module. prefixes", () => {
    const parsed = readTorchFile(checkpointBytes(18, "legacy")) as Map<string, Map<string, TorchTensor>>;
    const bare = new Map([...parsed.get("state_dict")!].map(([k, v]) => [k.replace(/^module\./, ""), v]));
    expect(medicalNetStateDict(bare, 18).stateDict.size).toBe(expectedStateDict(18, 4).length);
  });

  it("rejects non-checkpoints and truncated files with CHECKPOINT_INVALID", () => {
    expectCheckpointError(
      () => readTorchFile(new TextEncoder().encode("this is not a checkpoint at all")),
      /not a PyTorch checkpoint/,
    );
    const legacy = checkpointBytes(10, "legacy");
    expectCheckpointError(() => readTorchFile(legacy.subarray(0, legacy.length - 100)), /truncated/);
    const zip = checkpointBytes(10, "zip");
    expectCheckpointError(() => readTorchFile(zip.subarray(0, zip.length - 100)), /zip/);
  });
});
