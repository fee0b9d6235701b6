import assert from "node:assert/strict";
import { type Fs, type ParseFailure, readParsed } from "./fs.ts";

const fs: Fs = {
  lastFailure: null,
  readText(path) {
    if (path === "/ok") return "42\n";
    fs.lastFailure = path === "/secret" ? "permission denied" : "missing";
    return null;
  },
  listDir: () => [],
  readLink: () => null,
};

Deno.test("REQ-RDR-023: readParsed() returns the parsed value or reports where and why it failed", () => {
  const failures: [ParseFailure, string][] = [];
  const failed = (f: ParseFailure, path: string) => failures.push([f, path]);
  const int = (t: string) => {
    const n = Number(t);
    if (!Number.isInteger(n)) throw new SyntaxError(`not an integer: ${t}`);
    return n;
  };
  assert.equal(readParsed(fs, "/ok", int, failed), 42);
  assert.equal(readParsed(fs, "/gone", int, failed), null);
  assert.equal(readParsed(fs, "/secret", int, failed), null);
  assert.equal(readParsed(fs, "/ok", () => int("x"), failed), null);
  assert.deepEqual(failures, [
    [{ stage: "read", why: "missing" }, "/gone"],
    [{ stage: "read", why: "permission denied" }, "/secret"],
    [{ stage: "parse", why: "not an integer: x" }, "/ok"],
  ]);
});
