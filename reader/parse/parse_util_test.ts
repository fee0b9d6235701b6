import assert from "node:assert/strict";
import {
  digitsAtMost,
  excerpt,
  fields,
  KB_MAX,
  nonBlankLines,
  parseDecimal,
  parseError,
  parseInteger,
  parseKbValue,
  parseKeyValueLines,
  parseSignedInteger,
  U64_MAX,
} from "./parse_util.ts";

const NINES = "9".repeat(400);

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
  assert.equal(parseInteger("12", "f", "n"), 12);
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

Deno.test("REQ-RDR-301: digitsAtMost() compares digit strings, leading zeros ignored", () => {
  assert.equal(U64_MAX.digits, String(2n ** 64n - 1n));
  assert.equal(KB_MAX.digits, String((2n ** 64n - 1n) / 1024n));
  const at = (digits: string, limit = U64_MAX.digits) =>
    digitsAtMost(digits, 0, digits.length, limit);
  assert.equal(at("18446744073709551615"), true);
  assert.equal(at("18446744073709551616"), false);
  assert.equal(at("000000018446744073709551615"), true);
  assert.equal(at("99999999999999999999"), false);
  assert.equal(at("9999999999999999999"), true);
  assert.equal(at("0"), true);
  assert.equal(at("00"), true);
  assert.equal(at("x12345y".slice(1, 6), "12345"), true);
  assert.equal(digitsAtMost("x12346y", 1, 6, "12345"), false);
});

Deno.test("REQ-RDR-301: parseInteger() refuses a sign and values above 2^64-1", () => {
  assert.equal(parseInteger("18446744073709551615", "f", "n"), 2 ** 64);
  assert.equal(parseInteger("0", "f", "n"), 0);
  const cases: [string, RegExp][] = [
    [
      "-5",
      /^SyntaxError: Cannot parse "f": n is negative: "-5" \(the kernel writes it unsigned\)$/,
    ],
    ["-0", /^SyntaxError: Cannot parse "f": n is negative: "-0"/],
    // Number() cannot tell this from 2^64-1: the digits are compared.
    [
      "18446744073709551616",
      /^SyntaxError: Cannot parse "f": n is above 2\^64-1: "18446744073709551616"$/,
    ],
    [NINES, /^SyntaxError: Cannot parse "f": n is above 2\^64-1: "9{80}…"$/],
    ["+5", /^SyntaxError: Cannot parse "f": n is not an integer: "\+5"$/],
    [" 5", /n is not an integer/],
  ];
  for (const [token, message] of cases) {
    assert.throws(() => parseInteger(token, "f", "n"), message, token);
  }
  assert.equal(parseInteger("1023", "f", "n", { digits: "1023", name: "x" }), 1023);
  assert.throws(
    () => parseInteger("1024", "f", "n", { digits: "1023", name: "the limit" }),
    /^SyntaxError: Cannot parse "f": n is above the limit: "1024"$/,
  );
});

Deno.test("REQ-RDR-302: parseSignedInteger() reads the signed 64-bit range and no more", () => {
  assert.equal(parseSignedInteger("-12", "f", "n"), -12);
  assert.equal(parseSignedInteger("-9223372036854775808", "f", "n"), -(2 ** 63));
  assert.equal(parseSignedInteger("9223372036854775807", "f", "n"), 2 ** 63);
  assert.ok(Object.is(parseSignedInteger("-0", "f", "n"), 0), "-0 reads as 0");
  for (const token of ["-9223372036854775809", "9223372036854775808", `-${NINES}`]) {
    assert.throws(
      () => parseSignedInteger(token, "f", "n"),
      /^SyntaxError: Cannot parse "f": n is outside the signed 64-bit range/,
      token,
    );
  }
  for (const token of ["", "-", "--1", "1-", "1.0", undefined]) {
    assert.throws(() => parseSignedInteger(token, "f", "n"), /n is not an integer/, token);
  }
});

Deno.test("REQ-RDR-303: parseDecimal() reads the kernel's %lu.%02lu, non-negative and bounded", () => {
  assert.equal(parseDecimal("100.00", "f", "avg10", 100), 100);
  assert.equal(parseDecimal("0.00", "f", "avg10", 100), 0);
  assert.equal(parseDecimal("18446744073709551615.99", "f", "up"), 18446744073709551615.99);
  const cases: [string, RegExp, number?][] = [
    ["-1.00", /^SyntaxError: Cannot parse "f": n is negative: "-1\.00"$/],
    ["-1", /n is negative/],
    ["100.01", /^SyntaxError: Cannot parse "f": n is above 100: "100\.01"$/, 100],
    ["18446744073709551616.00", /n is above 2\^64-1/],
    [`${NINES}.00`, /n is above 2\^64-1/],
    ["1.5", /^SyntaxError: Cannot parse "f": n is not a number with two decimals: "1\.5"$/],
    ["1", /n is not a number with two decimals/],
    ["1.000", /n is not a number with two decimals/],
    ["1e3", /n is not a number with two decimals/],
    [".50", /n is not a number with two decimals/],
    ["NaN", /n is not a number with two decimals/],
    ["Infinity", /n is not a number with two decimals/],
  ];
  for (const [token, message, max] of cases) {
    assert.throws(() => parseDecimal(token, "f", "n", max), message, token);
  }
});

Deno.test("REQ-RDR-304: parseKbValue() refuses a kB count whose bytes pass 2^64-1", () => {
  assert.equal(parseKbValue("18014398509481983 kB", "f", "A"), 18014398509481983 * 1024);
  assert.equal(parseKbValue("18446744073709551615", "f", "HugePages_Total"), 2 ** 64);
  const cases: [string, RegExp][] = [
    ["18014398509481984 kB", /^SyntaxError: Cannot parse "f": A \(kB\) is above 2\^64-1 bytes/],
    [`${NINES} kB`, /A \(kB\) is above 2\^64-1 bytes/],
    ["18446744073709551616", /^SyntaxError: Cannot parse "f": A is above 2\^64-1/],
    ["-5 kB", /^SyntaxError: Cannot parse "f": A is negative: "-5 kB"/],
    ["-5", /A is negative/],
    ["1.5 kB", /A is not "<n> kB"/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => parseKbValue(value, "f", "A"), message, value);
  }
});
