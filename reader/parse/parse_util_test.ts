import assert from "node:assert/strict";
import {
  excerpt,
  fields,
  nonBlankLines,
  parseDecimal,
  parseError,
  parseInteger,
  parseKbValue,
  parseKeyValueLines,
} from "./parse_util.ts";

Deno.test("REQ-RDR-118: parseError() builds the common SyntaxError message", () => {
  const error = parseError("/proc/x", "it broke");
  assert.ok(error instanceof SyntaxError);
  assert.equal(error.message, 'Cannot parse "/proc/x": it broke');
});

Deno.test("parse_util helpers split lines and fields", () => {
  assert.deepEqual(nonBlankLines("a\n\n b \n\n"), ["a", " b "]);
  assert.deepEqual(fields("  a \t b  "), ["a", "b"]);
  assert.deepEqual(fields("   "), []);
  assert.equal(excerpt("x\n"), '"x\\n"');
  assert.equal(excerpt("y".repeat(100)).length, 83);
});

Deno.test("parseInteger() and parseDecimal() are strict", () => {
  assert.equal(parseInteger("-12", "f", "n"), -12);
  assert.equal(parseDecimal("0.15", "f", "n"), 0.15);
  assert.throws(
    () => parseInteger("1.5", "f", "n"),
    /Cannot parse "f": n is not an integer: "1.5"/,
  );
  assert.throws(() => parseInteger("", "f", "n"), SyntaxError);
  assert.throws(() => parseInteger(undefined, "f", "n"), SyntaxError);
  assert.throws(() => parseInteger("0x10", "f", "n"), SyntaxError);
  assert.throws(() => parseDecimal("1e3", "f", "n"), SyntaxError);
});

Deno.test("parseKeyValueLines() and parseKbValue() read flat key: value files", () => {
  const map = parseKeyValueLines("A:\t1 kB\nB(c):  2\nA: 3\n\n", "f");
  assert.deepEqual([...map], [["A", "1 kB"], ["B(c)", "2"]]);
  assert.equal(parseKbValue("1736 kB", "f", "A"), 1736 * 1024);
  assert.equal(parseKbValue("7", "f", "A"), 7);
  assert.throws(() => parseKeyValueLines("no colon", "f"), /Cannot parse "f": line "no colon"/);
  assert.throws(() => parseKeyValueLines(": x", "f"), SyntaxError);
  assert.throws(() => parseKbValue("1 MB", "f", "A"), SyntaxError);
});
