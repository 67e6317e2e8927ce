import { describe, expect, it } from "vitest";
import { actionForKey, KEY_MAP, shortcutLabel } from "./key-map";
import { TOOL_CLASSES_USED, TOOL_GROUPS } from "./tool-groups";

const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
  actionForKey({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe("key map", () => {
  it("maps tool letters either case, orientation digits and Ctrl/⌘ undo", () => {
    expect(press("b")).toEqual({ kind: "tool", tool: "brush" });
    expect(press("B")).toEqual({ kind: "tool", tool: "brush" });
    expect(press("2")).toEqual({ kind: "orientation", orientation: "sagittal" });
    expect(press("z", { ctrlKey: true })).toEqual({ kind: "undo" });
    expect(press("Z", { metaKey: true })).toEqual({ kind: "undo" });
    expect(press("PageDown")).toEqual({ kind: "scroll", delta: 10 });
    expect(press("]")).toEqual({ kind: "brushSize", step: 1 });
    expect(press("[")).toEqual({ kind: "brushSize", step: -1 });
  });

  it("ignores a letter with a modifier it was not bound with, and unbound keys", () => {
    expect(press("z")).toBeNull();
    expect(press("b", { ctrlKey: true })).toBeNull();
    expect(press("b", { altKey: true })).toBeNull();
    expect(press("q")).toBeNull();
  });

  it("binds each key once and labels shortcuts for tool tips", () => {
    const keys = KEY_MAP.map((b) => `${b.mod ? "mod+" : ""}${b.key}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(shortcutLabel((a) => a.kind === "undo")).toBe("Ctrl+Z");
    expect(shortcutLabel((a) => a.kind === "reset")).toBe("Space");
  });
});

describe("tool groups", () => {
  it("give the stack and MPR panes the same navigation bindings, one tool per button", () => {
    const bound = (id: keyof typeof TOOL_GROUPS) =>
      TOOL_GROUPS[id].tools.filter((t) => t.binding).map((t) => `${t.toolName}:${t.binding}`);
    expect(bound("mpr")).toEqual(bound("stack"));
    const buttons = bound("stack").map((b) => b.split(":")[1]);
    expect(new Set(buttons).size).toBe(buttons.length);
    expect(TOOL_CLASSES_USED).toEqual(expect.arrayContaining(["WindowLevel", "Brush", "SphereScissor"]));
    expect(TOOL_CLASSES_USED).not.toContain("NacBrush");
  });
});
