/**
 * Property-based tests of every parser in this folder (REQ-RDR-307): inputs are real kernel files
 * from tests/fixtures/ with random mutations (byte flips, truncation, duplicated, removed and
 * swapped lines, numbers replaced by huge, negative, fractional, empty or non-numeric values,
 * words replaced by names JavaScript objects already have, CRLF line ends, inserted and
 * whole-file garbage). Whatever the input, a parser returns a record or throws
 * `SyntaxError('Cannot parse "<file>": …')`, never another exception; and the record holds no
 * `NaN`, no `Infinity`, no `undefined`, no fraction where an integer is expected, and no negative
 * number (nor -0) except in the fields the kernel prints signed. And the allocation-free fast paths
 * (one-integer files, flat keyed files, pressure, /proc/<pid>/stat, /proc/<pid>/io) read every
 * input as their general paths do: the same input rewritten so that the fast path cannot take it
 * (extra blanks, zero-padded numbers) gives the same record, or an error too.
 *
 * The seed and the number of runs per parser come from `FGM_FUZZ_SEED` (default 1: the same
 * inputs in every CI run) and `FGM_FUZZ_RUNS`; `deno task fuzz` runs many more.
 *
 * @module
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { findCgroupMounts } from "./cgroup_mounts.ts";
import {
  parseCgroupInteger,
  parseCgroupMaxOrInteger,
  parseCgroupSignedInteger,
  parseFlatKeyed,
} from "./cgroup_util.ts";
import {
  parseBlkioStat,
  parseCfsPeriodUs,
  parseCfsQuotaUs,
  parseCpuacctStat,
  parseCpuacctUsage,
  parseCpuShares,
  parsePidsCurrent,
  parsePidsMax,
  parseV1CpuStat,
  parseV1MemoryCounter,
  parseV1MemoryLimit,
  parseV1MemoryStat,
  parseV1OomControl,
} from "./cgroup_v1.ts";
import {
  parseCgroupControllers,
  parseCpuMax,
  parseCpuWeight,
  parseIoStat,
  parseMemoryEvents,
  parseV2CpuStat,
  parseV2MemoryBytes,
  parseV2MemoryLimit,
  parseV2MemoryStat,
} from "./cgroup_v2.ts";
import { parseMountinfo } from "./mountinfo.ts";
import { parsePressure } from "./pressure.ts";
import { parseDiskstats } from "./proc_diskstats.ts";
import { parseLimits } from "./proc_limits.ts";
import { parseLoadavg } from "./proc_loadavg.ts";
import { parseMeminfo } from "./proc_meminfo.ts";
import { parseMounts } from "./proc_mounts.ts";
import { parseNetDev } from "./proc_net_dev.ts";
import { parseNetTcp, parseNetUdp, socketInodesFromFdLinks } from "./proc_net_sockets.ts";
import { parsePidCgroup } from "./proc_pid_cgroup.ts";
import { parseCmdline } from "./proc_pid_cmdline.ts";
import { parsePidIo } from "./proc_pid_io.ts";
import { parseSmapsRollup } from "./proc_pid_smaps_rollup.ts";
import { parsePidStat } from "./proc_pid_stat.ts";
import { parseStatm } from "./proc_pid_statm.ts";
import { parsePidStatus } from "./proc_pid_status.ts";
import { parseProcStat } from "./proc_stat.ts";
import { parseUptime } from "./proc_uptime.ts";

const SEED = Number(Deno.env.get("FGM_FUZZ_SEED") ?? 1);
/** Inputs per parser: 3000 take about 4 s for the whole module on the 2-core development VM. */
const RUNS = Number(Deno.env.get("FGM_FUZZ_RUNS") ?? 3000);

const PROC = new URL("../../tests/fixtures/proc/", import.meta.url);
const CGROUP = new URL("../../tests/fixtures/cgroup/", import.meta.url);

/** The /proc fixtures whose names match `pattern`. */
function procFixtures(pattern: RegExp): string[] {
  return [...Deno.readDirSync(PROC)]
    .filter((entry) => entry.isFile && pattern.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((name) => Deno.readTextFileSync(new URL(name, PROC)));
}

/** Every file of tests/fixtures/cgroup/, by its path below that folder. */
const CGROUP_FILES: Map<string, string> = (() => {
  const out = new Map<string, string>();
  const walk = (dir: URL, prefix: string) => {
    for (const entry of [...Deno.readDirSync(dir)].sort((a, b) => a.name < b.name ? -1 : 1)) {
      if (entry.isDirectory) walk(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
      else if (entry.isFile) {
        out.set(`${prefix}${entry.name}`, Deno.readTextFileSync(new URL(entry.name, dir)));
      }
    }
  };
  walk(CGROUP, "");
  return out;
})();

/** The cgroup fixtures whose path below tests/fixtures/cgroup/ matches `pattern`. */
function cgroupFixtures(pattern: RegExp): string[] {
  return [...CGROUP_FILES].filter(([path]) => pattern.test(path)).map(([, text]) => text);
}

/** A v1 hierarchy's directory in a fixture path (the cgroup2 mirror is `unified`). */
const V1 = String.raw`^v1-[^/]+/sys/fs/cgroup/(?!unified/)`;
/** A cgroup2 directory in a fixture path: the v2 tree or a hybrid host's mirror. */
const V2 = String.raw`^(v2/|v1-[^/]+/sys/fs/cgroup/unified/)`;

/**
 * Fields the kernel prints signed: the only ones that may be negative (REQ-RDR-302). A parser
 * that returns a bare number names it by its file ({@linkcode Target.field}).
 */
const SIGNED_FIELDS = new Set(["priority", "nice", "ttyNr", "cpu.cfs_quota_us"]);
/** Fields the kernel prints as `%lu.%02lu`: the only ones that may hold a fraction. */
const DECIMAL_FIELDS = new Set([
  "load1",
  "load5",
  "load15",
  "uptimeSeconds",
  "idleSeconds",
  "avg10",
  "avg60",
  "avg300",
]);
/** Fields that are percentages of wall time. */
const PERCENT_FIELDS = new Set(["avg10", "avg60", "avg300"]);

/** One parser under test. */
interface Target {
  name: string;
  parse: (text: string) => unknown;
  /** Real (or kernel-format) inputs the mutations start from. */
  seeds: string[];
  /** What the checks call a bare number the parser returns (default: none of the sets below). */
  field?: string;
}

const TARGETS: Target[] = [
  // /proc
  { name: "parsePidStat", parse: parsePidStat, seeds: procFixtures(/^pid_stat_/) },
  { name: "parsePidStatus", parse: parsePidStatus, seeds: procFixtures(/^pid_status_/) },
  { name: "parseStatm", parse: parseStatm, seeds: procFixtures(/^pid_statm_/) },
  {
    name: "parseSmapsRollup",
    parse: parseSmapsRollup,
    seeds: procFixtures(/^pid_smaps_rollup_/),
  },
  { name: "parsePidIo", parse: parsePidIo, seeds: procFixtures(/^pid_io_/) },
  { name: "parsePidCgroup", parse: parsePidCgroup, seeds: procFixtures(/^pid_cgroup_/) },
  { name: "parseCmdline", parse: parseCmdline, seeds: procFixtures(/^pid_cmdline_/) },
  { name: "parseLimits", parse: parseLimits, seeds: procFixtures(/^pid_limits_/) },
  { name: "parseNetDev", parse: parseNetDev, seeds: procFixtures(/net_dev_/) },
  {
    name: "parseNetTcp(tcp)",
    parse: (text) => parseNetTcp(text, "tcp"),
    seeds: procFixtures(/^net_tcp_/),
  },
  {
    name: "parseNetTcp(tcp6)",
    parse: (text) => parseNetTcp(text, "tcp6"),
    seeds: procFixtures(/^net_tcp6_/),
  },
  {
    name: "parseNetUdp(udp)",
    parse: (text) => parseNetUdp(text, "udp"),
    seeds: procFixtures(/^net_udp_/),
  },
  {
    name: "parseNetUdp(udp6)",
    parse: (text) => parseNetUdp(text, "udp6"),
    seeds: procFixtures(/^net_udp6_/),
  },
  {
    name: "socketInodesFromFdLinks",
    parse: (text) => socketInodesFromFdLinks(text.split("\n")),
    seeds: procFixtures(/^pid_fd_links_/),
  },
  { name: "parseMeminfo", parse: parseMeminfo, seeds: procFixtures(/^meminfo_/) },
  { name: "parseLoadavg", parse: parseLoadavg, seeds: procFixtures(/^loadavg_/) },
  { name: "parseUptime", parse: parseUptime, seeds: procFixtures(/^uptime_/) },
  { name: "parseProcStat", parse: parseProcStat, seeds: procFixtures(/^stat_/) },
  { name: "parseDiskstats", parse: parseDiskstats, seeds: procFixtures(/^diskstats_/) },
  { name: "parseMounts", parse: parseMounts, seeds: procFixtures(/^mounts_/) },
  {
    name: "parsePressure",
    parse: parsePressure,
    seeds: [...procFixtures(/^pressure_/), ...cgroupFixtures(/\.pressure$/)],
  },
  {
    name: "parseMountinfo",
    parse: parseMountinfo,
    seeds: cgroupFixtures(/(^mountinfo_.*\.txt|\/proc\/self\/mountinfo)$/),
  },
  {
    name: "findCgroupMounts",
    parse: (text) => findCgroupMounts(parseMountinfo(text)),
    seeds: cgroupFixtures(/(^mountinfo_.*\.txt|\/proc\/self\/mountinfo)$/),
  },
  // Shared cgroup formats
  {
    name: "parseCgroupInteger",
    parse: (text) => parseCgroupInteger(text, "memory.current"),
    seeds: cgroupFixtures(/\/(memory\.current|memory\.usage_in_bytes|cpuacct\.usage|cpu\.shares)$/),
  },
  {
    name: "parseCgroupSignedInteger",
    parse: (text) => parseCgroupSignedInteger(text, "cpu.cfs_quota_us"),
    seeds: cgroupFixtures(/\/cpu\.cfs_quota_us$/),
    field: "cpu.cfs_quota_us",
  },
  {
    name: "parseCgroupMaxOrInteger",
    parse: (text) => parseCgroupMaxOrInteger(text, "memory.max"),
    seeds: cgroupFixtures(/\/(memory\.max|memory\.high|memory\.swap\.max|pids\.max)$/),
  },
  {
    name: "parseFlatKeyed",
    parse: (text) => parseFlatKeyed(text, "memory.stat"),
    seeds: cgroupFixtures(/\/(memory\.stat|cpu\.stat|memory\.events|pids\.events)$/),
  },
  {
    name: "parseFlatKeyed(only)",
    parse: (text) => parseFlatKeyed(text, "memory.stat", ["rss", "total_rss", "anon", "file"]),
    seeds: cgroupFixtures(/\/memory\.stat$/),
  },
  // cgroup v1
  { name: "parseCfsQuotaUs", parse: parseCfsQuotaUs, seeds: cgroupFixtures(/cfs_quota_us$/) },
  { name: "parseCfsPeriodUs", parse: parseCfsPeriodUs, seeds: cgroupFixtures(/period_us$/) },
  { name: "parseCpuShares", parse: parseCpuShares, seeds: cgroupFixtures(/\/cpu\.shares$/) },
  {
    name: "parseV1CpuStat",
    parse: parseV1CpuStat,
    seeds: cgroupFixtures(new RegExp(`${V1}.*/cpu\\.stat$`)),
  },
  {
    name: "parseCpuacctUsage",
    parse: parseCpuacctUsage,
    seeds: cgroupFixtures(/\/cpuacct\.usage(_user|_sys)?$/),
  },
  { name: "parseCpuacctStat", parse: parseCpuacctStat, seeds: cgroupFixtures(/cpuacct\.stat$/) },
  {
    name: "parseV1MemoryCounter",
    parse: (text) => parseV1MemoryCounter(text, "memory.usage_in_bytes"),
    seeds: cgroupFixtures(/\/memory\.(usage_in_bytes|max_usage_in_bytes|failcnt)$/),
  },
  {
    name: "parseV1MemoryLimit",
    parse: parseV1MemoryLimit,
    seeds: cgroupFixtures(/\/memory\.(memsw\.)?limit_in_bytes$/),
  },
  {
    name: "parseV1MemoryStat",
    parse: parseV1MemoryStat,
    seeds: cgroupFixtures(new RegExp(`${V1}.*/memory\\.stat$`)),
  },
  {
    name: "parseV1MemoryStat(only)",
    parse: (text) => parseV1MemoryStat(text, ["total_rss", "hierarchical_memory_limit"]),
    seeds: cgroupFixtures(new RegExp(`${V1}.*/memory\\.stat$`)),
  },
  {
    name: "parseV1OomControl",
    parse: parseV1OomControl,
    seeds: cgroupFixtures(/\/memory\.oom_control$/),
  },
  {
    name: "parseBlkioStat",
    parse: parseBlkioStat,
    seeds: cgroupFixtures(/\/blkio\.(throttle|bfq)\.io_servic/),
  },
  { name: "parsePidsCurrent", parse: parsePidsCurrent, seeds: cgroupFixtures(/pids\.current$/) },
  { name: "parsePidsMax", parse: parsePidsMax, seeds: cgroupFixtures(/\/pids\.max$/) },
  // cgroup v2
  {
    name: "parseV2CpuStat",
    parse: parseV2CpuStat,
    seeds: cgroupFixtures(new RegExp(`${V2}.*/cpu\\.stat$`)),
  },
  {
    name: "parseCpuMax",
    parse: parseCpuMax,
    seeds: [...cgroupFixtures(/\/cpu\.max$/), "max 100000\n"],
  },
  { name: "parseCpuWeight", parse: parseCpuWeight, seeds: cgroupFixtures(/\/cpu\.weight$/) },
  {
    name: "parseV2MemoryBytes",
    parse: parseV2MemoryBytes,
    seeds: cgroupFixtures(/\/memory\.(current|peak|swap\.current)$/),
  },
  {
    name: "parseV2MemoryLimit",
    parse: parseV2MemoryLimit,
    seeds: cgroupFixtures(/\/memory\.(max|high|low|min|swap\.max)$/),
  },
  {
    name: "parseV2MemoryStat",
    parse: parseV2MemoryStat,
    seeds: cgroupFixtures(new RegExp(`${V2}.*/memory\\.stat$`)),
  },
  {
    name: "parseV2MemoryStat(only)",
    parse: (text) => parseV2MemoryStat(text, ["anon", "inactive_file"]),
    seeds: cgroupFixtures(new RegExp(`${V2}.*/memory\\.stat$`)),
  },
  {
    name: "parseMemoryEvents",
    parse: parseMemoryEvents,
    seeds: cgroupFixtures(/\/memory\.events(\.local)?$/),
  },
  {
    name: "parseIoStat",
    parse: parseIoStat,
    // With the keys of iocost and iolatency that the kernel adds after the six counters.
    seeds: [
      ...cgroupFixtures(/\/io\.stat$/),
      "8:16 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 dios=0 " +
      "cost.vrate=100.00 cost.usage=0 cost.wait=0 cost.indebt=0 cost.indelay=0\n",
      "8:0 cost.vrate=100.00 cost.usage=0\n",
    ],
  },
  {
    name: "parseCgroupControllers",
    parse: parseCgroupControllers,
    seeds: cgroupFixtures(/\/cgroup\.(controllers|subtree_control)$/),
  },
];

/** What replaces a number of the input: edges of what the kernel writes and what it cannot. */
const ODD_NUMBERS = [
  "-1",
  "-5",
  "-0",
  "0",
  "00",
  "1",
  "999999999999999",
  "9999999999999999",
  "18014398509481983",
  "18014398509481984",
  "36028797018963968",
  "9223372036854775807",
  "9223372036854775808",
  "-9223372036854775808",
  "-9223372036854775809",
  "18446744073709551615",
  "18446744073709551616",
  "9".repeat(400),
  "-" + "9".repeat(400),
  "1.5",
  "0.001",
  "99.99",
  "100.00",
  "100.01",
  "-1.00",
  "1.",
  ".5",
  "",
  " ",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e3",
  "1e400",
  "0x10",
  "+1",
  "1_000",
  "\uff11\uff12",
  "max",
  "unlimited",
];

/** Characters a byte flip writes, besides any code point. */
const ODD_CHARACTERS = [
  "-",
  "+",
  ".",
  " ",
  "\t",
  "\n",
  "\r",
  ":",
  "=",
  "(",
  ")",
  "[",
  "]",
  "/",
  "\\",
  "\0",
  "0",
  "9",
  "a",
  "é",
  "\u2028",
  "\ufffd",
];

/** What replaces a word (a key) of the input: names every JavaScript object already has. */
const ODD_WORDS = [
  "__proto__",
  "constructor",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "prototype",
  "length",
  "Total",
  "max",
  "some",
  "full",
  "-",
];

type Mutation =
  | { kind: "flip"; at: number; character: string }
  | { kind: "truncate"; at: number }
  | { kind: "duplicateLine"; line: number }
  | { kind: "removeLine"; line: number }
  | { kind: "swapLines"; a: number; b: number }
  | { kind: "number"; index: number; value: string }
  | { kind: "word"; index: number; value: string }
  | { kind: "crlf" }
  | { kind: "insert"; at: number; text: string }
  | { kind: "garbage"; text: string };

const position = fc.nat({ max: 1_000_000 });

const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant("flip" as const),
    at: position,
    character: fc.oneof(
      fc.constantFrom(...ODD_CHARACTERS),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    ),
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: position }),
  fc.record({ kind: fc.constant("duplicateLine" as const), line: position }),
  fc.record({ kind: fc.constant("removeLine" as const), line: position }),
  fc.record({ kind: fc.constant("swapLines" as const), a: position, b: position }),
  {
    arbitrary: fc.record({
      kind: fc.constant("number" as const),
      index: position,
      value: fc.oneof(
        fc.constantFrom(...ODD_NUMBERS),
        fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
        fc.double().map(String),
      ),
    }),
    weight: 4,
  },
  fc.record({
    kind: fc.constant("word" as const),
    index: position,
    value: fc.constantFrom(...ODD_WORDS),
  }),
  fc.record({ kind: fc.constant("crlf" as const) }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: position,
    text: fc.string({ unit: "binary", maxLength: 12 }),
  }),
  fc.record({
    kind: fc.constant("garbage" as const),
    text: fc.oneof(
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(..."0123456789 -.:=\nabcmx"), maxLength: 200 }),
    ),
  }),
);

const NUMBER = /-?\d+(\.\d+)?/g;
const WORD = /[A-Za-z_][A-Za-z0-9_()]*/g;

/** `text` with one mutation applied. */
function mutate(text: string, mutation: Mutation): string {
  const lines = () => text.split("\n");
  switch (mutation.kind) {
    case "flip": {
      const at = mutation.at % (text.length + 1);
      return text.slice(0, at) + mutation.character + text.slice(at + 1);
    }
    case "truncate":
      return text.slice(0, mutation.at % (text.length + 1));
    case "duplicateLine": {
      const all = lines();
      const i = mutation.line % all.length;
      all.splice(i, 0, all[i]);
      return all.join("\n");
    }
    case "removeLine": {
      const all = lines();
      all.splice(mutation.line % all.length, 1);
      return all.join("\n");
    }
    case "swapLines": {
      const all = lines();
      const a = mutation.a % all.length;
      const b = mutation.b % all.length;
      [all[a], all[b]] = [all[b], all[a]];
      return all.join("\n");
    }
    case "number":
    case "word": {
      const matches = [...text.matchAll(mutation.kind === "number" ? NUMBER : WORD)];
      if (matches.length === 0) return text;
      const match = matches[mutation.index % matches.length];
      const at = match.index;
      return text.slice(0, at) + mutation.value + text.slice(at + match[0].length);
    }
    case "crlf":
      return text.replaceAll("\n", "\r\n");
    case "insert": {
      const at = mutation.at % (text.length + 1);
      return text.slice(0, at) + mutation.text + text.slice(at);
    }
    case "garbage":
      return mutation.text;
  }
}

/** A seed input of `target` with up to five mutations. */
function input(target: Target): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...target.seeds), fc.array(MUTATION, { minLength: 1, maxLength: 5 }))
    .map(([seed, mutations]) => mutations.reduce(mutate, seed));
}

/**
 * Throws unless `value` (a parser's record, walked through arrays, sets, maps and objects) holds
 * only finite numbers, integers outside {@linkcode DECIMAL_FIELDS}, non-negative numbers outside
 * {@linkcode SIGNED_FIELDS}, percentages within 0 … 100, and no `undefined`.
 */
function checkRecord(value: unknown, path: string, field: string): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`${path} is ${value}`);
    if (!SIGNED_FIELDS.has(field) && (value < 0 || Object.is(value, -0))) {
      throw new Error(`${path} is negative: ${Object.is(value, -0) ? "-0" : value}`);
    }
    if (!DECIMAL_FIELDS.has(field) && !Number.isInteger(value)) {
      throw new Error(`${path} is not an integer: ${value}`);
    }
    if (PERCENT_FIELDS.has(field) && value > 100) throw new Error(`${path} is above 100`);
    return;
  }
  if (Array.isArray(value) || value instanceof Set) {
    let i = 0;
    for (const item of value) checkRecord(item, `${path}[${i++}]`, field);
    return;
  }
  if (value instanceof Map) {
    for (const [key, item] of value) checkRecord(item, `${path}.get(${key})`, String(key));
    return;
  }
  if (typeof value === "object") {
    for (const key of Object.keys(value)) {
      checkRecord((value as Record<string, unknown>)[key], `${path}.${key}`, key);
    }
    return;
  }
  throw new Error(`${path} is ${typeof value}: ${String(value)}`);
}

/** The property: a record that passes {@linkcode checkRecord}, or the parsers' SyntaxError. */
function parsesOrRefuses(target: Target, text: string): void {
  let record: unknown;
  try {
    record = target.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError && error.message.startsWith('Cannot parse "')) return;
    throw new Error(`${target.name} threw something else than its SyntaxError: ${error}`, {
      cause: error,
    });
  }
  checkRecord(record, target.name, target.field ?? "");
}

Deno.test("REQ-RDR-307: every parser has real fixtures to start from, and parses them", () => {
  for (const target of TARGETS) {
    // Hand-made broken fixtures (pid_stat_truncated.txt) are seeds too: they must be refused.
    const parsed = target.seeds.filter((seed) => {
      try {
        checkRecord(target.parse(seed), target.name, target.field ?? "");
        return true;
      } catch (error) {
        if (error instanceof SyntaxError && error.message.startsWith('Cannot parse "')) {
          return false;
        }
        throw error;
      }
    });
    if (parsed.length === 0) throw new Error(`${target.name}: no fixture it parses`);
  }
});

for (const target of TARGETS) {
  Deno.test(
    `REQ-RDR-307: ${target.name}() returns a sane record or its SyntaxError for mutated input`,
    () => {
      fc.assert(fc.property(input(target), (text) => parsesOrRefuses(target, text)), {
        seed: SEED,
        numRuns: RUNS,
      });
    },
  );
}

/** A parser with a fast path, and a rewrite of its input that the fast path cannot take. */
interface FastPath {
  target: Target;
  /** The same input, read the same way by the general path (same record, or an error too). */
  offFastPath: (text: string) => string;
}

/** Numbers with 16 zeros in front: past the fast paths' 15 digits, and still the same value. */
const PAD = "0".repeat(16);

const FAST_PATHS: FastPath[] = [
  // A leading blank: the fast path wants the digits at offset 0.
  { target: target("parseCgroupInteger"), offFastPath: (text) => ` ${text}` },
  { target: target("parseCgroupMaxOrInteger"), offFastPath: (text) => ` ${text}` },
  // Two blanks where the fast paths want one; the general paths split on runs of blanks.
  { target: target("parseFlatKeyed"), offFastPath: (text) => text.replaceAll(" ", "  ") },
  { target: target("parseFlatKeyed(only)"), offFastPath: (text) => text.replaceAll(" ", "  ") },
  { target: target("parsePressure"), offFastPath: (text) => text.replaceAll(" ", "  ") },
  {
    target: target("parsePidStat"),
    // Every number after the comm and the state zero-padded (after its sign).
    offFastPath: (text) => {
      const close = text.lastIndexOf(")");
      if (close < 0) return text;
      let state = true;
      const rest = text.slice(close + 1).split(/([ \t\n\r]+)/).map((part) => {
        if (part === "" || /^[ \t\n\r]/.test(part)) return part;
        if (state) {
          state = false;
          return part;
        }
        return part.replace(/^(-?)(\d+)$/, `$1${PAD}$2`);
      });
      return text.slice(0, close + 1) + rest.join("");
    },
  },
  {
    target: target("parsePidIo"),
    offFastPath: (text) => text.replace(/(:[ \t]*)(\d)/g, `$1${PAD}$2`),
  },
];

/** The {@linkcode TARGETS} entry called `name`. */
function target(name: string): Target {
  const found = TARGETS.find((t) => t.name === name);
  if (found === undefined) throw new Error(`no target ${name}`);
  return found;
}

/** What a parser made of an input: its record, or that it threw its SyntaxError. */
function outcome(parse: (text: string) => unknown, text: string): { record: unknown } | "error" {
  try {
    return { record: parse(text) };
  } catch (error) {
    if (error instanceof SyntaxError && error.message.startsWith('Cannot parse "')) return "error";
    throw error;
  }
}

for (const { target, offFastPath } of FAST_PATHS) {
  Deno.test(`REQ-RDR-307: ${target.name}() reads every input as its general path does`, () => {
    fc.assert(
      fc.property(input(target), (text) => {
        assert.deepEqual(outcome(target.parse, text), outcome(target.parse, offFastPath(text)));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
}
