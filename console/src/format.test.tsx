import { describe, expect, it } from "vitest";
import { formatMs, formatPercent, fromDateTimeLocal, toDateTimeLocal } from "./format";

describe("format", () => {
  it.each([
    [null, "no deliveries"],
    [1, "100 %"],
    [0, "0 %"],
    [0.9, "90 %"],
    [0.9996, "99.96 %"],
    [0.333, "33.3 %"],
  ])("formatPercent(%s) = %s", (ratio, text) => {
    expect(formatPercent(ratio)).toBe(text);
  });

  it.each([
    [null, "—"],
    [42.4, "42 ms"],
    [15000, "15.0 s"],
  ])("formatMs(%s) = %s", (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });

  it("reads datetime-local values as local time, and refuses others", () => {
    const date = new Date(2025, 0, 15, 9, 30);
    expect(toDateTimeLocal(date)).toBe("2025-01-15T09:30");
    expect(fromDateTimeLocal("2025-01-15T09:30")).toBe(date.toISOString());
    expect(fromDateTimeLocal("")).toBeNull();
    expect(fromDateTimeLocal("yesterday")).toBeNull();
  });
});
