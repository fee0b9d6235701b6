import assert from "node:assert/strict";
import { parseCollectArgs } from "./main.ts";
import { UsageError } from "../cli/errors.ts";
import type { CollectOptions } from "./collect.ts";

/** Options for `args`, with `--identifier` set so that the environment does not matter. */
function options(...args: string[]): CollectOptions {
  const o = parseCollectArgs(["--identifier", "node-a", ...args]);
  assert.ok(o !== "help");
  return o;
}

Deno.test("REQ-COL-003: parseCollectArgs() reads durations, sizes and defaults", () => {
  const o = parseCollectArgs([
    "--out",
    "/data/",
    "--interval",
    "500ms",
    "--retention",
    "7d",
    "--max-disk",
    "2G",
    "--identifier",
    "node-a",
  ]);
  assert.ok(o !== "help");
  assert.equal(o.out, "/data");
  assert.equal(o.intervalMs, 500);
  assert.equal(o.retentionMs, 7 * 86_400_000);
  assert.equal(o.maxDiskBytes, 2 * 1024 ** 3);
  assert.equal(o.node, "node-a");
  assert.equal(o.pssIntervalMs, 10_000);
  assert.equal(o.flushMs, 10_000);
  assert.equal(o.compactMinAgeMs, 120_000);
  assert.equal(o.compactSpanMs, 900_000);
  assert.equal(o.durationMs, null);
  const d = parseCollectArgs([]);
  assert.ok(d !== "help");
  assert.equal(d.out, "./fgm-data");
  assert.equal(d.intervalMs, 1000);
  assert.equal(d.retentionMs, null);
  assert.equal(d.maxDiskBytes, null);
  assert.equal(d.serviceAccountDir, undefined);
  assert.equal(options("--out", "///").out, "/", "a directory of slashes alone is the root");
});

Deno.test("REQ-COL-003: parseCollectArgs() refuses bad values with usage errors", () => {
  assert.throws(() => parseCollectArgs(["--interval", "soon"]), UsageError);
  assert.throws(() => parseCollectArgs(["--interval", "10ms"]), UsageError);
  assert.throws(() => parseCollectArgs(["--max-disk", "lots"]), UsageError);
  assert.throws(() => parseCollectArgs(["--bogus"]), UsageError);
  assert.throws(() => parseCollectArgs(["extra"]), UsageError);
  // REQ-COL-010: the identifier names a directory.
  for (const bad of [".", "..", "a/b", "../x", "a\0b"]) {
    assert.throws(() => parseCollectArgs(["--identifier", bad]), {
      name: "UsageError",
      message: `collect: the identifier ${
        JSON.stringify(bad)
      } cannot name a directory (empty, "/", "." or "..")`,
    });
  }
  assert.equal(
    (parseCollectArgs(["--identifier", "node-a.example"]) as { node: string }).node,
    "node-a.example",
  );
  assert.equal(parseCollectArgs(["--help"]), "help");
  assert.equal(parseCollectArgs(["--max-disk", "0", "--help"]), "help");
});

Deno.test("REQ-CLI-007: collect reads intervals as monitor does: seconds or with a unit", () => {
  assert.equal(options("--interval", "0.5").intervalMs, 500);
  assert.equal(options("--interval", "500ms").intervalMs, 500);
  assert.equal(options("--interval", "2").intervalMs, 2000);
  assert.equal(options("--interval=1m").intervalMs, 60_000);
  assert.equal(options("--flush", "1.5").flushMs, 1500);
  assert.equal(options("--pss-interval", "0").pssIntervalMs, 0, "0 turns PSS off");
  assert.equal(options("--pss-interval", "0ms").pssIntervalMs, 0);
  assert.equal(options("--compact-after", "0").compactMinAgeMs, 0);
});

Deno.test("REQ-CLI-008: every numeric flag of collect accepts both ends of its range", () => {
  const ends: [string, keyof CollectOptions, string, number][] = [
    ["--interval", "intervalMs", "100ms", 100],
    ["--interval", "intervalMs", "24h", 86_400_000],
    ["--pss-interval", "pssIntervalMs", "100ms", 100],
    ["--pss-interval", "pssIntervalMs", "24h", 86_400_000],
    ["--flush", "flushMs", "1s", 1000],
    ["--flush", "flushMs", "1h", 3_600_000],
    ["--compact-after", "compactMinAgeMs", "24h", 86_400_000],
    ["--compact-span", "compactSpanMs", "15s", 15_000],
    ["--compact-span", "compactSpanMs", "24h", 86_400_000],
    ["--retention", "retentionMs", "1m", 60_000],
    ["--retention", "retentionMs", "3650d", 3650 * 86_400_000],
    ["--duration", "durationMs", "1s", 1000],
    ["--duration", "durationMs", "3650d", 3650 * 86_400_000],
    ["--max-disk", "maxDiskBytes", "64K", 65_536],
    ["--max-disk", "maxDiskBytes", "1024T", 2 ** 50],
  ];
  for (const [flag, field, value, expected] of ends) {
    assert.equal(options(flag, value)[field], expected, `${flag} ${value}`);
    assert.equal(options(`${flag}=${value}`)[field], expected, `${flag}=${value}`);
  }
});

Deno.test("REQ-CLI-008, REQ-CLI-009: every numeric flag of collect refuses zero, negatives, NaN, Infinity and huge values with its range", () => {
  const ranges: Record<string, string> = {
    "--interval": "takes a duration from 100ms to 24h",
    "--pss-interval": "takes 0 (off) or a duration from 100ms to 24h",
    "--flush": "takes a duration from 1s to 1h",
    "--compact-after": "takes a duration from 0 to 24h",
    "--compact-span": "takes a duration from 15s to 24h",
    "--retention": "takes a duration from 1m to 3650d",
    "--duration": "takes a duration from 100ms to 3650d",
    "--max-disk": "takes a size from 64K to 1024T",
  };
  const always = [
    "-1",
    "-0.5",
    "-1s",
    "-.5",
    "NaN",
    "Infinity",
    "1e9",
    "",
    " ",
    "日本",
    "9".repeat(400),
  ];
  const tooBig: Record<string, string> = {
    "--interval": "25h",
    "--pss-interval": "2d",
    "--flush": "61m",
    "--compact-after": "2d",
    "--compact-span": "25h",
    "--retention": "3651d",
    "--duration": "522w",
    "--max-disk": "1025T",
  };
  for (const [flag, range] of Object.entries(ranges)) {
    const zero = flag === "--pss-interval" || flag === "--compact-after" ? [] : ["0"];
    for (const value of [...always, ...zero, tooBig[flag]]) {
      for (const args of [[flag, value], [`${flag}=${value}`]]) {
        assert.throws(() => options(...args), {
          name: "UsageError",
          message: new RegExp(
            `^collect: ${flag} ${RegExp.escape(range)} \\(.*\\), not ${
              RegExp.escape(JSON.stringify(value))
            }$`,
          ),
        }, args.join(" "));
      }
    }
  }
  // A value with a dash and a letter may be a mistyped option: said so, with the way out.
  assert.throws(() => options("--flush", "-Infinity"), {
    name: "UsageError",
    message:
      'collect: --flush needs a value, not the option "-Infinity" (write "--flush=-Infinity" if it is the value)',
  });
  assert.throws(() => options("--flush=-Infinity"), { message: /^collect: --flush takes a/ });
});

Deno.test("REQ-CLI-008: collect refuses a --duration shorter than --interval: no sample would be taken", () => {
  assert.equal(options("--duration", "2s", "--interval", "2s").durationMs, 2000);
  assert.throws(() => options("--duration", "1s", "--interval", "2s"), {
    name: "UsageError",
    message: 'collect: --duration must be at least --interval (2s), not "1s"',
  });
  assert.throws(() => options("--duration", "500ms"), {
    name: "UsageError",
    message: 'collect: --duration must be at least --interval (1s), not "500ms"',
  });
});

Deno.test("REQ-CLI-010: collect refuses an empty --out, --identifier or --service-account-dir", () => {
  for (const flag of ["--out", "--identifier", "--service-account-dir", "--proc-root"]) {
    for (const value of ["", "  "]) {
      for (const args of [[flag, value], [`${flag}=${value}`]]) {
        assert.throws(() => parseCollectArgs(args), {
          name: "UsageError",
          message: `collect: ${flag} needs a value, not ${JSON.stringify(value)}`,
        }, JSON.stringify(args));
      }
    }
  }
  assert.equal(options("--service-account-dir", "/sa").serviceAccountDir, "/sa");
});

Deno.test("REQ-CLI-010: collect takes an empty POD_NAME or NODE_NAME as unset", () => {
  const node = (env: Record<string, string>) =>
    (parseCollectArgs([], (name) => env[name]) as CollectOptions).node;
  assert.equal(node({ POD_NAME: "pod-a", NODE_NAME: "node-b" }), "pod-a");
  assert.equal(node({ POD_NAME: "", NODE_NAME: "node-b" }), "node-b");
  assert.equal(node({ POD_NAME: "", NODE_NAME: "" }), Deno.hostname());
  assert.equal(node({}), Deno.hostname());
  assert.equal(
    (parseCollectArgs(["--identifier", "x"], () => "pod-a") as CollectOptions).node,
    "x",
    "--identifier first",
  );
  // A variable that cannot name a directory is refused like the flag.
  assert.throws(() => parseCollectArgs([], () => ".."), {
    name: "UsageError",
    message: 'collect: the identifier ".." cannot name a directory (empty, "/", "." or "..")',
  });
});
