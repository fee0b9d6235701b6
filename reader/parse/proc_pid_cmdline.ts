/**
 * Parser for /proc/<pid>/cmdline, see proc_pid_cmdline(5).
 *
 * @module
 */

/**
 * Split /proc/<pid>/cmdline into arguments. Arguments are NUL-terminated; the final NUL is
 * dropped, empty arguments in between are kept (`"a\0\0b\0"` → `["a", "", "b"]`). A process that
 * rewrote its argv (setproctitle) may leave no trailing NUL; the text is then split all the same.
 * Kernel threads and zombies have an empty cmdline.
 *
 * This parser never throws: every text is a valid command line.
 *
 * @param text The file's text.
 * @returns The arguments, `[]` for an empty file.
 */
export function parseCmdline(text: string): string[] {
  if (text === "") return [];
  const args = text.split("\0");
  if (args[args.length - 1] === "") args.pop();
  return args;
}
