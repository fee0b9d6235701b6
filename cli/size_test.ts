import assert from "node:assert/strict";
import { parseSize, sizeFlag } from "./size.ts";

Deno.test("REQ-COL-003, REQ-CLI-008: parseSize() reads bytes and binary units", () => {
  assert.equal(parseSize("1024"), 1024);
  assert.equal(parseSize("64K"), 65_536);
  assert.equal(parseSize("500M"), 500 * 1024 * 1024);
  assert.equal(parseSize("2g"), 2 * 1024 ** 3);
  assert.equal(parseSize("1.5GiB"), 1.5 * 1024 ** 3);
  assert.equal(parseSize("1024T"), 2 ** 50);
  assert.equal(parseSize("0.5"), 1, "whole bytes");
  for (const bad of ["lots", "", "-1", "1e9", "NaN", "Infinity", "2P", "2GB!", "٣M"]) {
    assert.throws(() => parseSize(bad), TypeError, bad);
  }
});

Deno.test("REQ-CLI-008: sizeFlag() accepts its range and refuses the rest with the range", () => {
  const range = { min: "64K", max: "1024T" };
  assert.equal(sizeFlag("collect", "--max-disk", "64K", range), 65_536);
  assert.equal(sizeFlag("collect", "--max-disk", "2G", range), 2 * 1024 ** 3);
  assert.equal(sizeFlag("collect", "--max-disk", "1024T", range), 2 ** 50);
  for (
    const value of ["0", "-1", "65535", "1025T", "1e9", "NaN", "Infinity", "", "9".repeat(400)]
  ) {
    assert.throws(() => sizeFlag("collect", "--max-disk", value, range), {
      name: "UsageError",
      message:
        `collect: --max-disk takes a size from 64K to 1024T (bytes, or with a unit: 500K, 2G, 1.5GiB), not "${value}"`,
    }, value);
  }
});
