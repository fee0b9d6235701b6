/**
 * Parser for /proc/mounts and /proc/<pid>/mounts (fstab format), see proc_mounts(5) and fstab(5).
 *
 * @module
 */

import { excerpt, fields, nonBlankLines, parseError } from "./parse_util.ts";

const FILE = "/proc/mounts";

/** One mount. */
export interface Mount {
  /** Mount source: a device (`/dev/vda`) or a name (`proc`, `overlay`, `cgroup`). */
  device: string;
  /** Where it is mounted, as seen in the reader's mount namespace. */
  mountPoint: string;
  /** Filesystem type, e.g. `ext4`, `cgroup2`. */
  fsType: string;
  /** Mount options, e.g. `["rw", "relatime", "cpu"]`. */
  options: string[];
}

/**
 * Undo the kernel's octal escapes: space, tab, newline and backslash in mount fields are printed
 * as `\040`, `\011`, `\012` and `\134`. Any `\ooo` sequence is decoded.
 */
export function unescapeOctal(text: string): string {
  return text.replace(
    /\\([0-7]{3})/g,
    (_, octal: string) => String.fromCharCode(parseInt(octal, 8)),
  );
}

/**
 * Parse /proc/mounts (`device mountpoint fstype options dump pass` per line).
 *
 * @param text The file's text.
 * @returns One record per line, in mount order; `[]` for an empty file.
 * @throws {SyntaxError} when a line has fewer than four fields.
 */
export function parseMounts(text: string): Mount[] {
  return nonBlankLines(text).map((line) => {
    const tokens = fields(line);
    if (tokens.length < 4) throw parseError(FILE, `expected 6 fields in ${excerpt(line)}`);
    return {
      device: unescapeOctal(tokens[0]),
      mountPoint: unescapeOctal(tokens[1]),
      fsType: unescapeOctal(tokens[2]),
      // Split before unescaping, so an escaped comma (\054) stays inside its option.
      options: tokens[3].split(",").map(unescapeOctal),
    };
  });
}
