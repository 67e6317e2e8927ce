import { describe, expect, it } from "vitest";
import { actionForKey, shortcutLabel } from "./key-map";
import { polarityOf, togglePolarity } from "./lesion-polarity";

const ceT1 = { id: "s1", role: "CE_T1" };
const t2 = { id: "s2", role: "T2" };

describe("lesion polarity of the one-click tool", () => {
  it("starts bright on CE-T1 and on a series whose role is unknown", () => {
    expect(polarityOf({}, ceT1)).toBe("bright");
    expect(polarityOf({}, { id: "x", role: "SOMETHING" })).toBe("bright");
    expect(polarityOf({}, null)).toBe("bright");
  });

  it("toggles one series and remembers it, leaving the others as they were", () => {
    const once = togglePolarity({}, t2);
    expect(polarityOf(once, t2)).toBe("dark");
    expect(polarityOf(once, ceT1)).toBe("bright");
    const twice = togglePolarity(once, t2);
    expect(polarityOf(twice, t2)).toBe("bright");
    expect(polarityOf(togglePolarity(twice, ceT1), t2)).toBe("bright");
  });

  it("has a key in the key map", () => {
    expect(actionForKey({ key: "p", ctrlKey: false, metaKey: false, altKey: false })).toEqual({ kind: "polarity" });
    expect(shortcutLabel((a) => a.kind === "polarity")).toBe("P");
  });
});
