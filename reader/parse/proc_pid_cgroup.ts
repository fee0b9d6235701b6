/**
 * Parser for /proc/<pid>/cgroup, see cgroups(7).
 *
 * @module
 */

import { excerpt, nonBlankLines, parseError, parseInteger } from "./parse_util.ts";

const FILE = "/proc/<pid>/cgroup";

/** What the cgroup v2 hierarchy appends to the path of a removed cgroup. */
const DELETED_SUFFIX = " (deleted)";

/** One line of /proc/<pid>/cgroup: the process's cgroup in one hierarchy. */
export interface PidCgroupEntry {
  /** Hierarchy ID; 0 for the cgroup v2 unified hierarchy. */
  hierarchyId: number;
  /**
   * Controllers bound to the hierarchy, e.g. `["cpu", "cpuacct"]`; a named v1 hierarchy appears as
   * `"name=systemd"`. Empty for the v2 line (`0::/path`).
   */
  controllers: string[];
  /** Cgroup path relative to the hierarchy's root (as seen from the reader's cgroup namespace). */
  path: string;
  /** True when the kernel marked a v2 cgroup as removed (` (deleted)`, stripped from `path`). */
  deleted: boolean;
}

/**
 * Parse /proc/<pid>/cgroup (`hierarchy-ID:controller-list:cgroup-path` per line). The path is
 * everything after the second `:`, so it may itself contain colons.
 *
 * @param text The file's text.
 * @returns One entry per line, in file order; `[]` for an empty file.
 * @throws {SyntaxError} when a line has fewer than three `:`-separated parts or a bad ID.
 */
export function parsePidCgroup(text: string): PidCgroupEntry[] {
  return nonBlankLines(text).map((line) => {
    const first = line.indexOf(":");
    const second = first < 0 ? -1 : line.indexOf(":", first + 1);
    if (second < 0) throw parseError(FILE, `line ${excerpt(line)} is not "id:controllers:path"`);
    const hierarchyId = parseInteger(line.slice(0, first), FILE, "hierarchy ID");
    const list = line.slice(first + 1, second);
    let path = line.slice(second + 1);
    const deleted = hierarchyId === 0 && path.endsWith(DELETED_SUFFIX);
    if (deleted) path = path.slice(0, -DELETED_SUFFIX.length);
    if (!path.startsWith("/")) throw parseError(FILE, `path is not absolute in ${excerpt(line)}`);
    return { hierarchyId, controllers: list === "" ? [] : list.split(","), path, deleted };
  });
}
