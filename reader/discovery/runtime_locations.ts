/**
 * Where the container runtimes of this node keep their metadata. The defaults
 * (`/var/lib/docker`, `/run/containerd`, `/run/containers/storage`, …) are always included; on
 * top of them, the running daemons are found in /proc by `comm` and their command lines (and the
 * config files those name) are read for non-default directories:
 *
 * - `dockerd`: `--data-root` (`-g`/`--graph` before Docker 17.05), `--exec-root`,
 *   `--config-file` (JSON keys `data-root`, `exec-root`, `graph`);
 * - `containerd`: `--root`, `--state`, `--config`/`-c` (TOML top-level `root = "…"`,
 *   `state = "…"`); this also finds the containerd that dockerd starts itself;
 * - `crio`: `--root`/`-r`, `--runroot`, `--config`/`-c` (TOML `[crio]` `root`, `runroot`);
 * - `conmon` (CRI-O's and podman's per-container monitor): `-c`/`--cid` and `-b`/`--bundle` give
 *   each container's OCI bundle directly, `-p` its PID file, `-n`/`--name` its name, and podman's
 *   `--exit-command-arg --root <dir> --exit-command-arg --runroot <dir>` its storage;
 * - `/etc/containers/storage.conf` `[storage]` `graphroot`, `runroot` (podman and CRI-O defaults).
 *
 * Flags are read as Go's flag packages accept them: `--flag value`, `--flag=value`, `-flag value`.
 * Paths are host paths; they are read under `roots.host`.
 *
 * Only processes whose real UID is trusted (root by default) count: fgm reads as root, and an
 * unprivileged process named `dockerd` must not be able to point it at a directory of forged
 * `config.v2.json` files that would rename other users' containers. Rootless runtimes need their
 * users' UIDs in `trustedUids`.
 *
 * Reaches: the container runtimes' state directories on disk, through an `Fs`.
 *
 * @module
 */

import type { Fs, Roots } from "../fs.ts";
import { parseCmdline } from "../parse/proc_pid_cmdline.ts";
import { parsePidStatus } from "../parse/proc_pid_status.ts";

/** Directories of one Docker daemon. */
export interface DockerLocation {
  /** `--data-root`: holds `containers/<id>/config.v2.json` and the storage driver's layers. */
  dataRoot: string;
  /** `--exec-root`: runtime state (`/var/run/docker` by default). */
  execRoot: string;
}

/** Directories of one containerd daemon. */
export interface ContainerdLocation {
  /** `--root`: persistent data (`/var/lib/containerd`). */
  root: string;
  /** `--state`: runtime state with `io.containerd.runtime.v2.task/<namespace>/<id>/`. */
  state: string;
}

/** One containers/storage store (shared by CRI-O and podman). */
export interface ContainersStorageLocation {
  /** `graphroot`: `<driver>-containers/containers.json` with names and images. */
  graphRoot: string;
  /** `runroot`: `<driver>-containers/<id>/userdata/config.json`, the OCI bundle. */
  runRoot: string;
}

/** A running conmon: the monitor of one CRI-O or podman container. */
export interface ConmonProcess {
  /** PID of conmon. */
  pid: number;
  /** Container id (`-c`/`--cid`). */
  containerId: string;
  /** The container's OCI bundle directory (`-b`/`--bundle`), or `null`. */
  bundle: string | null;
  /** The container's name (`-n`/`--name`), or `null`. */
  name: string | null;
  /**
   * The file the runtime writes the container's init PID to (`-p`/`--container-pidfile`): in
   * the bundle for CRI-O, under podman's runroot while its bundle is under the graphroot.
   */
  pidFile: string | null;
  /** `"podman"` when podman started it (it passes `--exit-command …podman`), else `"cri-o"`. */
  runtime: "podman" | "cri-o";
}

/** Everything {@linkcode findRuntimeLocations} found; lists are deduplicated, defaults first. */
export interface RuntimeLocations {
  docker: DockerLocation[];
  containerd: ContainerdLocation[];
  containersStorage: ContainersStorageLocation[];
  conmon: ConmonProcess[];
}

/** Built-in defaults of each runtime. */
export const DEFAULT_LOCATIONS: Readonly<RuntimeLocations> = {
  docker: [{ dataRoot: "/var/lib/docker", execRoot: "/var/run/docker" }],
  containerd: [{ root: "/var/lib/containerd", state: "/run/containerd" }],
  containersStorage: [{
    graphRoot: "/var/lib/containers/storage",
    runRoot: "/run/containers/storage",
  }],
  conmon: [],
};

/**
 * The value of the last occurrence of any of `names` in a Go-style argument list
 * (`--name value`, `--name=value`, `-name value`, `-name=value`), or `null`.
 *
 * @param args Arguments after the program name.
 * @param names Flag names without dashes, e.g. `["data-root", "g", "graph"]`.
 */
export function flagValue(args: readonly string[], names: readonly string[]): string | null {
  let value: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") break;
    if (!arg.startsWith("-")) continue;
    const bare = arg.replace(/^--?/, "");
    const eq = bare.indexOf("=");
    const name = eq < 0 ? bare : bare.slice(0, eq);
    if (!names.includes(name)) continue;
    if (eq >= 0) value = bare.slice(eq + 1);
    else if (i + 1 < args.length) value = args[++i];
  }
  return value;
}

/**
 * The string values of a TOML document, keyed `table.key` (`key` at top level), e.g.
 * `root`, `state`, `crio.runroot`, `storage.graphroot`. Only what runtime configs need is read:
 * `[table]` headers and `key = "basic string"` / `key = 'literal string'` lines; everything else
 * (numbers, arrays, inline tables, multi-line strings) is skipped. Never throws.
 *
 * @param text The TOML text.
 */
export function parseTomlStrings(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let table = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(line);
    if (header) {
      // Dotted keys; a quoted part may itself hold dots: plugins."io.containerd.grpc.v1.cri".
      table = (header[1].match(/"[^"]*"|'[^']*'|[^.]+/g) ?? [])
        .map((part) => part.trim().replace(/^"(.*)"$|^'(.*)'$/, "$1$2")).join(".");
      continue;
    }
    const kv = /^([A-Za-z0-9_.-]+|"[^"]*")\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(#.*)?$/.exec(
      line,
    );
    if (!kv) continue;
    const key = kv[1].replace(/^"(.*)"$/, "$1");
    let value: string;
    if (kv[2] !== undefined) {
      try {
        value = JSON.parse(`"${kv[2]}"`);
      } catch {
        value = kv[2];
      }
    } else {
      value = kv[3];
    }
    out.set(table === "" ? key : `${table}.${key}`, value);
  }
  return out;
}

/** A running daemon: its PID and arguments after the program name. */
interface Daemon {
  pid: number;
  args: string[];
}

/** The real UID of a process, or `null` when its status cannot be read. */
function realUid(fs: Fs, roots: Roots, pid: number): number | null {
  const text = fs.readText(`${roots.proc}/${pid}/status`);
  if (text === null) return null;
  try {
    return parsePidStatus(text).uids[0];
  } catch {
    return null;
  }
}

/** The processes with one of the given `comm` values, run by one of `uids`. */
function findDaemons(
  fs: Fs,
  roots: Roots,
  comms: readonly string[],
  uids: readonly number[],
): Map<string, Daemon[]> {
  const found = new Map<string, Daemon[]>();
  // Sorted, so that the locations come out in the same order on every scan.
  const pids = fs.listDir(roots.proc).filter((e) => /^[0-9]+$/.test(e.name))
    .map((e) => Number(e.name)).sort((a, b) => a - b);
  for (const pid of pids) {
    const comm = fs.readText(`${roots.proc}/${pid}/comm`)?.trim();
    if (comm === undefined || !comms.includes(comm)) continue;
    const uid = realUid(fs, roots, pid);
    if (uid === null || !uids.includes(uid)) continue;
    const cmdline = fs.readText(`${roots.proc}/${pid}/cmdline`);
    if (cmdline === null) continue;
    const list = found.get(comm) ?? [];
    list.push({ pid, args: parseCmdline(cmdline).slice(1) });
    found.set(comm, list);
  }
  return found;
}

function readHost(fs: Fs, roots: Roots, path: string): string | null {
  return fs.readText(roots.host + path);
}

function pushUnique<T>(list: T[], item: T): void {
  const key = JSON.stringify(item);
  if (!list.some((x) => JSON.stringify(x) === key)) list.push(item);
}

function dockerLocation(fs: Fs, roots: Roots, args: string[]): DockerLocation {
  let { dataRoot, execRoot } = DEFAULT_LOCATIONS.docker[0];
  const configFile = flagValue(args, ["config-file"]) ?? "/etc/docker/daemon.json";
  const configText = readHost(fs, roots, configFile);
  if (configText !== null) {
    try {
      const config = JSON.parse(configText);
      if (typeof config["data-root"] === "string") dataRoot = config["data-root"];
      else if (typeof config.graph === "string") dataRoot = config.graph;
      if (typeof config["exec-root"] === "string") execRoot = config["exec-root"];
    } catch { /* a broken daemon.json: dockerd would not run with it either */ }
  }
  dataRoot = flagValue(args, ["data-root", "g", "graph"]) ?? dataRoot;
  execRoot = flagValue(args, ["exec-root"]) ?? execRoot;
  return { dataRoot, execRoot };
}

function containerdLocation(fs: Fs, roots: Roots, args: string[]): ContainerdLocation {
  let { root, state } = DEFAULT_LOCATIONS.containerd[0];
  const configFile = flagValue(args, ["config", "c"]) ?? "/etc/containerd/config.toml";
  const configText = readHost(fs, roots, configFile);
  if (configText !== null) {
    const toml = parseTomlStrings(configText);
    root = toml.get("root") ?? root;
    state = toml.get("state") ?? state;
  }
  root = flagValue(args, ["root"]) ?? root;
  state = flagValue(args, ["state"]) ?? state;
  return { root, state };
}

function storageDefaults(fs: Fs, roots: Roots): ContainersStorageLocation {
  let { graphRoot, runRoot } = DEFAULT_LOCATIONS.containersStorage[0];
  const text = readHost(fs, roots, "/etc/containers/storage.conf");
  if (text !== null) {
    const toml = parseTomlStrings(text);
    graphRoot = toml.get("storage.graphroot") ?? graphRoot;
    runRoot = toml.get("storage.runroot") ?? runRoot;
  }
  return { graphRoot, runRoot };
}

function crioLocation(
  fs: Fs,
  roots: Roots,
  args: string[],
  defaults: ContainersStorageLocation,
): ContainersStorageLocation {
  let { graphRoot, runRoot } = defaults;
  const configFile = flagValue(args, ["config", "c"]) ?? "/etc/crio/crio.conf";
  const configText = readHost(fs, roots, configFile);
  if (configText !== null) {
    const toml = parseTomlStrings(configText);
    graphRoot = toml.get("crio.root") ?? graphRoot;
    runRoot = toml.get("crio.runroot") ?? runRoot;
  }
  graphRoot = flagValue(args, ["root", "r"]) ?? graphRoot;
  runRoot = flagValue(args, ["runroot"]) ?? runRoot;
  return { graphRoot, runRoot };
}

/** The values that follow each `--exit-command-arg`, i.e. podman's own argument list. */
function exitCommandArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--exit-command-arg" && i + 1 < args.length) out.push(args[++i]);
    else if (args[i].startsWith("--exit-command-arg=")) {
      out.push(args[i].slice("--exit-command-arg=".length));
    }
  }
  return out;
}

/** Reads one conmon command line; `null` when it names no container. */
export function parseConmonArgs(pid: number, args: readonly string[]): ConmonProcess | null {
  const containerId = flagValue(args, ["c", "cid"]);
  if (containerId === null) return null;
  const exitCommand = flagValue(args, ["exit-command"]);
  return {
    pid,
    containerId,
    bundle: flagValue(args, ["b", "bundle"]),
    name: flagValue(args, ["n", "name"]),
    pidFile: flagValue(args, ["p", "container-pidfile"]),
    runtime: exitCommand !== null && /podman$/.test(exitCommand) ? "podman" : "cri-o",
  };
}

/** Options of {@linkcode findRuntimeLocations}. */
export interface FindRuntimeLocationsOptions {
  /** Real UIDs whose daemons are believed (default: root only). */
  trustedUids?: readonly number[];
}

/**
 * Finds the runtimes' directories: the defaults plus whatever the running daemons' flags and
 * config files say (see the module documentation). Reads one `comm` per process, and the status
 * and command line of matching ones only.
 *
 * @param fs File access.
 * @param roots `proc` for the process scan, `host` as prefix for config and data files.
 */
export function findRuntimeLocations(
  fs: Fs,
  roots: Roots,
  { trustedUids = [0] }: FindRuntimeLocationsOptions = {},
): RuntimeLocations {
  const daemons = findDaemons(fs, roots, ["dockerd", "containerd", "crio", "conmon"], trustedUids);
  const storageDefault = storageDefaults(fs, roots);
  const out: RuntimeLocations = {
    docker: [...DEFAULT_LOCATIONS.docker],
    containerd: [...DEFAULT_LOCATIONS.containerd],
    containersStorage: [...DEFAULT_LOCATIONS.containersStorage],
    conmon: [],
  };
  pushUnique(out.containersStorage, storageDefault);
  // Docker's own containerd is a child of dockerd: `--config <exec-root>/containerd/containerd.toml`.
  for (const d of daemons.get("dockerd") ?? []) {
    pushUnique(out.docker, dockerLocation(fs, roots, d.args));
  }
  for (const d of daemons.get("containerd") ?? []) {
    pushUnique(out.containerd, containerdLocation(fs, roots, d.args));
  }
  for (const d of daemons.get("crio") ?? []) {
    pushUnique(out.containersStorage, crioLocation(fs, roots, d.args, storageDefault));
  }
  for (const d of daemons.get("conmon") ?? []) {
    const conmon = parseConmonArgs(d.pid, d.args);
    if (conmon === null) continue;
    out.conmon.push(conmon);
    const podman = exitCommandArgs(d.args);
    const graphRoot = flagValue(podman, ["root"]);
    const runRoot = flagValue(podman, ["runroot"]);
    if (graphRoot !== null && runRoot !== null) {
      pushUnique(out.containersStorage, { graphRoot, runRoot });
    }
  }
  return out;
}
