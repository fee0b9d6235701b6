/**
 * Command-line parsing on top of `node:util` `parseArgs` (JSR's @std/cli is out of reach from our
 * machines), turning its errors into {@linkcode UsageError}s.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.ts";

/** Option definitions as `node:util` takes them. */
export type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parsed flags and positionals. */
export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/**
 * Parses `args` strictly: an unknown flag or a missing value throws {@linkcode UsageError} naming
 * the command.
 */
export function parse(command: string, args: string[], options: Options): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args,
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed["values"], positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UsageError(`${command}: ${message.replace(/\. To specify.*$/, "")}`);
  }
}

/**
 * Rewrites a flag whose value is optional (`--watch` or `--watch 2`) into `--flag=value` so that
 * `parseArgs` can take it as a string option; a bare flag becomes `--flag=<fallback>`.
 */
export function optionalValue(args: string[], flag: string, fallback: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag) {
      const next = args[i + 1];
      if (next !== undefined && /^\d+(\.\d+)?$/.test(next)) {
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

/** Parses a positive number of seconds from a flag value, or throws {@linkcode UsageError}. */
export function seconds(flag: string, value: unknown): number {
  const n = Number(value);
  if (typeof value !== "string" || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${flag} takes a positive number of seconds, not "${value}"`);
  }
  return n;
}

/** The flags that point fgm at the host's trees when it runs in a container. */
export const ROOT_OPTIONS: Options = {
  "proc-root": { type: "string" },
  "cgroup-root": { type: "string" },
  "sys-root": { type: "string" },
  "host-root": { type: "string" },
};

/** Roots given by {@linkcode ROOT_OPTIONS} flags; absent flags keep the defaults. */
export function rootsFromFlags(
  values: Parsed["values"],
): { proc?: string; cgroup?: string; sys?: string; host?: string } {
  const roots: { proc?: string; cgroup?: string; sys?: string; host?: string } = {};
  if (values["proc-root"]) roots.proc = String(values["proc-root"]);
  if (values["cgroup-root"]) roots.cgroup = String(values["cgroup-root"]);
  if (values["sys-root"]) roots.sys = String(values["sys-root"]);
  if (values["host-root"]) roots.host = String(values["host-root"]).replace(/\/+$/, "");
  return roots;
}
