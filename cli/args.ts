/**
 * Command-line parsing on top of `node:util` `parseArgs` (JSR's @std/cli is out of reach from our
 * machines), turning its errors into {@linkcode UsageError}s.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { quote, UsageError } from "./errors.ts";

/** Option definitions as `node:util` takes them. */
export type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parsed flags and positionals. */
export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** A negative number (`-1`, `-0.5`, `-.5`, `-1e9`): a value, never an option. */
const NEGATIVE = /^-\.?\d/;

/**
 * Parses `args` strictly: an unknown flag or a missing value throws {@linkcode UsageError} naming
 * the command. Unlike `parseArgs` alone, a flag's value may be a negative number
 * (`--interval -1` reads as `--interval=-1`, for the flag's own check to refuse in fgm's words),
 * and a negative number where no value is due is a positional argument (`monitor process -5`),
 * for the subcommand to refuse (REQ-CLI-009).
 *
 * @example Parse monitor's flags
 * ```ts
 * import { parse } from "./args.ts";
 * const { values, positionals } = parse("monitor", ["process", "-5", "--interval", "-1"], {
 *   interval: { type: "string" },
 * });
 * // values.interval === "-1", positionals: ["process", "-5"]
 * ```
 */
export function parse(command: string, args: string[], options: Options): Parsed {
  // `--flag value` becomes `--flag=value`, which parseArgs takes whatever the value starts with;
  // a negative number in place of a positional goes to parseArgs without its dash, and
  // `negatives` maps its index in `prepared` back to it.
  const valued = new Set<string>();
  for (const [name, option] of Object.entries(options)) {
    if (option.type === "string") valued.add(`--${name}`);
  }
  const prepared: string[] = [];
  const negatives = new Map<number, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      prepared.push(...args.slice(i));
      break;
    }
    if (valued.has(arg)) {
      const next = args[i + 1];
      if (next === undefined || next === "--") {
        throw new UsageError(`${command}: ${arg} needs a value`);
      }
      if (next.length > 1 && next.startsWith("-") && !NEGATIVE.test(next)) {
        throw new UsageError(
          `${command}: ${arg} needs a value, not the option ${quote(next)} (write ${
            quote(`${arg}=${next}`)
          } if it is the value)`,
        );
      }
      prepared.push(`${arg}=${next}`);
      i++;
    } else if (NEGATIVE.test(arg)) {
      negatives.set(prepared.length, arg);
      prepared.push(arg.slice(1));
    } else {
      prepared.push(arg);
    }
  }
  try {
    const { values, tokens } = parseArgs({
      args: prepared,
      options,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
    const positionals = tokens.flatMap((t) =>
      t.kind === "positional" ? [negatives.get(t.index) ?? t.value] : []
    );
    return { values: values as Parsed["values"], positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UsageError(`${command}: ${message.replace(/\. To specify.*$/, "")}`);
  }
}

/** Whether `text` is meant as a number: it starts with a digit, a sign or a decimal point. */
function numberLike(text: string): boolean {
  return /^[-+]?\.?\d/.test(text);
}

/**
 * Rewrites a flag whose value is optional (`--watch` or `--watch 2`) into `--flag=value` so that
 * `parseArgs` can take it as a string option: the next argument is its value when it is meant as
 * a number (`2`, `0.5`, `2s`, and `-1` or `1e9` too, for the flag's check to refuse); a bare flag
 * becomes `--flag=<fallback>`. Arguments after `--` are left alone.
 *
 * @example `--watch` with and without a value
 * ```ts
 * import { optionalValue } from "./args.ts";
 * optionalValue(["host", "--watch"], "--watch", "2"); // ["host", "--watch=2"]
 * optionalValue(["--watch", "5s", "host"], "--watch", "2"); // ["--watch=5s", "host"]
 * ```
 */
export function optionalValue(args: string[], flag: string, fallback: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--") {
      out.push(...args.slice(i));
      break;
    }
    if (args[i] === flag) {
      const next = args[i + 1];
      if (next !== undefined && numberLike(next)) {
        out.push(`${flag}=${next}`);
        i++;
      } else {
        out.push(`${flag}=${fallback}`);
      }
    } else {
      out.push(args[i]);
    }
  }
  return out;
}

/**
 * The value of a flag that names something (a directory, a partition), or `undefined` when the
 * flag is absent; an empty or blank value (an unset shell variable: `--out "$DIR"`) throws
 * {@linkcode UsageError} rather than falling back on a default or on `/` (REQ-CLI-010).
 *
 * @example Read `--out`
 * ```ts
 * import { textFlag } from "./args.ts";
 * textFlag("collect", "--out", "/var/lib/fgm"); // "/var/lib/fgm"
 * textFlag("collect", "--out", undefined); // undefined
 * // textFlag("collect", "--out", "") throws a UsageError: collect: --out needs a value, not ""
 * ```
 */
export function textFlag(command: string, flag: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    throw new UsageError(`${command}: ${flag} needs a value, not ${quote(value)}`);
  }
  return value;
}

/** The flags that point fgm at the host's trees when it runs in a container. */
export const ROOT_OPTIONS: Options = {
  "proc-root": { type: "string" },
  "cgroup-root": { type: "string" },
  "sys-root": { type: "string" },
  "host-root": { type: "string" },
};

/**
 * Roots given by {@linkcode ROOT_OPTIONS} flags; absent flags keep the defaults, and an empty one
 * is a {@linkcode UsageError} (taken as absent, it would read fgm's own container's /proc instead
 * of the host's).
 *
 * @example Read `--proc-root` and `--host-root`
 * ```ts
 * import { rootsFromFlags } from "./args.ts";
 * rootsFromFlags("monitor", { "proc-root": "/host/proc", "host-root": "/host/" });
 * // { proc: "/host/proc", host: "/host" }
 * ```
 */
export function rootsFromFlags(
  command: string,
  values: Parsed["values"],
): { proc?: string; cgroup?: string; sys?: string; host?: string } {
  const roots: { proc?: string; cgroup?: string; sys?: string; host?: string } = {};
  const proc = textFlag(command, "--proc-root", values["proc-root"]);
  const cgroup = textFlag(command, "--cgroup-root", values["cgroup-root"]);
  const sys = textFlag(command, "--sys-root", values["sys-root"]);
  const host = textFlag(command, "--host-root", values["host-root"]);
  if (proc !== undefined) roots.proc = proc;
  if (cgroup !== undefined) roots.cgroup = cgroup;
  if (sys !== undefined) roots.sys = sys;
  if (host !== undefined) roots.host = host.replace(/\/+$/, "");
  return roots;
}

/**
 * The value of a `--port` flag: a whole number from 0 (any free port) to 65535, else a
 * {@linkcode UsageError} naming the command.
 *
 * @example
 * ```ts
 * import { portFlag } from "./args.ts";
 * portFlag("view", "8050"); // 8050
 * ```
 */
export function portFlag(command: string, value: unknown, fallback = 8050): number {
  if (value === undefined) return fallback;
  const text = String(value);
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port > 65535) {
    throw new UsageError(`${command}: --port takes a port from 0 to 65535, not ${quote(value)}`);
  }
  return port;
}
