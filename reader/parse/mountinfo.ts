/**
 * Parser for /proc/<pid>/mountinfo, see proc_pid_mountinfo(5).
 *
 * @module
 */

import { excerpt, nonBlankLines, parseError, parseInteger } from "./parse_util.ts";
import { unescapeOctal } from "./proc_mounts.ts";

const FILE = "/proc/<pid>/mountinfo";

/** One line of /proc/<pid>/mountinfo: one mount as seen from the reader's mount namespace. */
export interface MountinfoEntry {
  /** Unique ID of the mount (may be reused after umount). */
  mountId: number;
  /** ID of the parent mount (or of itself for the root of the namespace's tree). */
  parentId: number;
  /** `major:minor` of the filesystem's st_dev, e.g. `0:29`. */
  majorMinor: string;
  /**
   * Path of the directory in the filesystem that forms the root of this mount, e.g. `/` or, for
   * a cgroup hierarchy bind-mounted into a container, `/docker/<id>`. Octal escapes decoded.
   */
  root: string;
  /** Mount point relative to the process's root directory. Octal escapes decoded. */
  mountPoint: string;
  /** Per-mount options, e.g. `["rw", "nosuid", "relatime"]`. */
  options: string[];
  /** Optional `tag[:value]` fields such as `shared:1` or `master:2`; often empty. */
  optionalFields: string[];
  /** Filesystem type, e.g. `cgroup`, `cgroup2`, `ext4` (`type.subtype` for FUSE). */
  fsType: string;
  /** Filesystem-specific source such as `/dev/vda` or `cgroup`; `none` when the kernel has none. */
  source: string;
  /** Per-superblock options, e.g. `["rw", "cpu", "cpuacct"]` for a v1 cgroup hierarchy. */
  superOptions: string[];
}

/** Split a comma-separated option list, then decode each option (so `\054` stays inside it). */
function optionList(text: string): string[] {
  return text === "" ? [] : text.split(",").map(unescapeOctal);
}

/**
 * Parse /proc/<pid>/mountinfo. Each line is
 * `id parent major:minor root mountpoint options [optional fields…] - fstype source superoptions`;
 * the variable-length optional fields end at the lone `-`.
 *
 * @param text The file's text.
 * @returns One entry per line, in file order (mount order); `[]` for an empty file.
 * @throws {SyntaxError} when a line has fewer fields than the format needs, lacks the `-`
 *   separator, or has non-numeric IDs.
 */
export function parseMountinfo(text: string): MountinfoEntry[] {
  return nonBlankLines(text).map((line) => {
    // Fields are separated by single spaces; spaces inside paths are escaped as \040.
    const parts = line.trim().split(/ +/);
    const dash = parts.indexOf("-", 6);
    if (dash < 0 || parts.length < dash + 4) {
      throw parseError(FILE, `line ${excerpt(line)} does not have the mountinfo fields`);
    }
    return {
      mountId: parseInteger(parts[0], FILE, "mount ID"),
      parentId: parseInteger(parts[1], FILE, "parent ID"),
      majorMinor: parts[2],
      root: unescapeOctal(parts[3]),
      mountPoint: unescapeOctal(parts[4]),
      options: optionList(parts[5]),
      optionalFields: parts.slice(6, dash),
      fsType: parts[dash + 1],
      source: unescapeOctal(parts[dash + 2]),
      superOptions: optionList(parts[dash + 3]),
    };
  });
}
