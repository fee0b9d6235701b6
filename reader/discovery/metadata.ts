/**
 * Container metadata from node-local files only — no API server, no runtime socket, no
 * credentials: Docker's `config.v2.json`, the OCI bundle `config.json` that containerd, CRI-O and
 * podman write for every container, containers/storage's `containers.json`, runc's `state.json`
 * and the kubelet's `/var/log/pods/<namespace>_<pod>_<uid>/<container>/` directories. All reads
 * go through {@linkcode Fs} under `roots.host`; the directories come from
 * {@linkcode findRuntimeLocations}, so private daemons with non-default roots are covered.
 *
 * The parsers (`parseDockerConfig`, `parseOciConfig`, `parseStorageContainers`,
 * `parsePodLogDirName`) are pure; {@linkcode createMetadataCache} does the I/O and caches by
 * container id.
 *
 * Reaches: the container runtimes' state on disk and /proc, through an `Fs`.
 *
 * @module
 */

import type { Fs, Roots } from "../fs.ts";
import {
  type CgroupIdentity,
  classifyCgroupPath,
  type ContainerRuntime,
  type QosClass,
} from "./classify.ts";
import {
  type ContainersStorageLocation,
  findRuntimeLocations,
  type RuntimeLocations,
} from "./runtime_locations.ts";

/** Lifecycle state of a container as far as the node-local files tell. */
export type ContainerState = "created" | "running" | "paused" | "restarting" | "exited" | "dead";

/** What fgm knows about one container. Fields the sources do not give are `null`. */
export interface ContainerMetadata {
  /** Full container id. */
  id: string;
  /**
   * The runtime's name for the container: Docker's name without the leading `/`
   * (`k8s_<container>_<pod>_<ns>_<uid>_<n>` under cri-dockerd), podman's and CRI-O's name, the
   * CRI container (or, for a sandbox, pod) name under containerd, else the id.
   */
  name: string | null;
  /** The runtime whose files described the container. */
  runtime: ContainerRuntime;
  /** Image reference as the user gave it (`busybox`, `docker.io/library/nginx:1.25`). */
  image: string | null;
  /**
   * State: Docker's own; for OCI bundles `running` when the init PID is alive, `created` when
   * the bundle has no live PID (containerd, CRI-O and podman keep no paused flag on disk).
   */
  state: ContainerState | null;
  /** Kubernetes pod name. */
  podName: string | null;
  /** Kubernetes namespace. */
  podNamespace: string | null;
  /** Kubernetes pod UID (with dashes). */
  podUid: string | null;
  /** Kubernetes container name; `"POD"` (kubelet's name) for a pod's sandbox/pause container. */
  containerName: string | null;
  /** QoS class from the container's configured cgroup parent, when it is under kubepods. */
  qosClass: QosClass | null;
  /** Docker labels, or the OCI annotations of containerd, CRI-O and podman containers. */
  labels: Record<string, string>;
  /** Hostname set inside the container. */
  hostname: string | null;
  /** Root file system on the host: overlay `merged` dir, vfs dir, or the bundle's rootfs. */
  storagePath: string | null;
  /** True for a Kubernetes pod sandbox (pause) container. */
  sandbox: boolean;
  /** When the container last started, Unix milliseconds (Docker, runc; else `null`). */
  startedAtMs: number | null;
  /** PID of the container's init process on the host, `null` when not running or unknown. */
  pid: number | null;
  /** Docker's last exit code (meaningful when `state` is `exited`). */
  exitCode: number | null;
  /** The cgroup path the runtime was told to use (systemd `slice:prefix:name` expanded). */
  cgroupsPath: string | null;
  /** containerd namespace (`k8s.io`, `default`, `moby`) for containerd containers. */
  containerdNamespace: string | null;
}

/** Pod identity from a `/var/log/pods` directory name. */
export interface PodLogInfo {
  /** Pod namespace. */
  namespace: string;
  /** Pod name. */
  name: string;
  /** Pod UID. */
  uid: string;
  /** Names of the pod's containers that have log directories. */
  containers: string[];
}

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value as Json : {};
}

function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(value))) if (typeof v === "string") out[k] = v;
  return out;
}

function parseJson(text: string, file: string): Json {
  try {
    return obj(JSON.parse(text));
  } catch (error) {
    throw new SyntaxError(`Cannot parse "${file}": ${(error as Error).message}`);
  }
}

/** Unix ms of an RFC 3339 time; `null` for Go's zero time (`0001-01-01T00:00:00Z`) or garbage. */
export function rfc3339ToMs(text: string | null): number | null {
  if (text === null || text.startsWith("0001-01-01")) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * Expands a cgroups path as runtimes get it: systemd's `slice:prefix:name` becomes
 * `/<slice ancestors…>/<slice>/<prefix>-<name>.scope` (`a-b.slice` lives in `a.slice`); a
 * cgroupfs path is returned as is. `null` for an empty path.
 */
export function expandCgroupsPath(path: string | null): string | null {
  if (path === null || path === "") return null;
  const parts = path.split(":");
  if (parts.length !== 3 || path.startsWith("/")) return path;
  const [slice, prefix, name] = parts;
  const elements: string[] = [];
  const unit = slice === "" ? "system.slice" : slice;
  if (unit !== "-.slice") {
    const words = unit.slice(0, -".slice".length).split("-");
    for (let i = 1; i <= words.length; i++) elements.push(`${words.slice(0, i).join("-")}.slice`);
  }
  elements.push(prefix === "" ? `${name}.scope` : `${prefix}-${name}.scope`);
  return "/" + elements.join("/");
}

function kubeOfPath(path: string | null): CgroupIdentity | null {
  return path === null ? null : classifyCgroupPath(path);
}

function emptyMetadata(id: string, runtime: ContainerRuntime): ContainerMetadata {
  return {
    id,
    name: null,
    runtime,
    image: null,
    state: null,
    podName: null,
    podNamespace: null,
    podUid: null,
    containerName: null,
    qosClass: null,
    labels: {},
    hostname: null,
    storagePath: null,
    sandbox: false,
    startedAtMs: null,
    pid: null,
    exitCode: null,
    cgroupsPath: null,
    containerdNamespace: null,
  };
}

/**
 * Parses Docker's `<data-root>/containers/<id>/config.v2.json` (and, when given, the
 * `hostconfig.json` beside it for the cgroup parent). Kubernetes fields come from the labels
 * dockershim and cri-dockerd set (`io.kubernetes.pod.name`, `io.kubernetes.pod.namespace`,
 * `io.kubernetes.pod.uid`, `io.kubernetes.container.name`, `io.kubernetes.docker.type`).
 * `storagePath` is left `null`: it needs the layer store (see {@linkcode createMetadataCache}).
 *
 * @throws {SyntaxError} `Cannot parse "config.v2.json": …` on invalid JSON.
 */
export function parseDockerConfig(
  text: string,
  hostConfigText: string | null = null,
): ContainerMetadata {
  const doc = parseJson(text, "config.v2.json");
  const config = obj(doc.Config);
  const state = obj(doc.State);
  const labels = stringRecord(config.Labels);
  const id = str(doc.ID) ?? "";
  const meta = emptyMetadata(id, "docker");
  meta.name = str(doc.Name)?.replace(/^\//, "") ?? null;
  meta.image = str(config.Image);
  meta.labels = labels;
  meta.hostname = str(config.Hostname);
  const running = state.Running === true;
  const startedAtMs = rfc3339ToMs(str(state.StartedAt));
  meta.state = state.Dead === true
    ? "dead"
    : running && state.Paused === true
    ? "paused"
    : state.Restarting === true
    ? "restarting"
    : running
    ? "running"
    : startedAtMs === null
    ? "created"
    : "exited";
  meta.startedAtMs = startedAtMs;
  const pid = num(state.Pid);
  meta.pid = running && pid !== null && pid > 0 ? pid : null;
  meta.exitCode = num(state.ExitCode);
  meta.sandbox = labels["io.kubernetes.docker.type"] === "podsandbox";
  meta.podName = labels["io.kubernetes.pod.name"] ?? null;
  meta.podNamespace = labels["io.kubernetes.pod.namespace"] ?? null;
  meta.podUid = labels["io.kubernetes.pod.uid"] ?? null;
  meta.containerName = labels["io.kubernetes.container.name"] ?? (meta.sandbox ? "POD" : null);
  if (hostConfigText !== null) {
    try {
      const parent = str(obj(JSON.parse(hostConfigText)).CgroupParent);
      if (parent !== null) {
        // The cgroup parent is a slice (systemd) or directory (cgroupfs); the container sits in it.
        const path = parent.endsWith(".slice")
          ? expandCgroupsPath(`${parent}:docker:${id}`)
          : `${parent.replace(/\/$/, "")}/${id}`;
        meta.cgroupsPath = path;
        meta.qosClass = kubeOfPath(path)?.qosClass ?? null;
        meta.podUid ??= kubeOfPath(path)?.podUid ?? null;
      }
    } catch { /* hostconfig.json is optional */ }
  }
  return meta;
}

/** OCI runtime-spec `config.json` fields fgm uses. */
export interface OciConfig {
  /** `annotations`. */
  annotations: Record<string, string>;
  /** `hostname`, or `null`. */
  hostname: string | null;
  /** `root.path` as written (often the relative `rootfs`), or `null`. */
  rootPath: string | null;
  /** `linux.cgroupsPath` as written, or `null`. */
  cgroupsPath: string | null;
}

/**
 * Parses an OCI bundle's `config.json` (runtime-spec).
 *
 * @throws {SyntaxError} `Cannot parse "config.json": …` on invalid JSON.
 */
export function parseOciConfig(text: string): OciConfig {
  const doc = parseJson(text, "config.json");
  return {
    annotations: stringRecord(doc.annotations),
    hostname: str(doc.hostname),
    rootPath: str(obj(doc.root).path),
    cgroupsPath: str(obj(doc.linux).cgroupsPath),
  };
}

/**
 * Metadata of a container from its OCI bundle config. The runtime is told by the annotations:
 * containerd's CRI plugin writes `io.kubernetes.cri.*`, CRI-O `io.kubernetes.cri-o.*` and
 * `io.kubernetes.pod.*`, podman `io.container.manager: libpod`.
 *
 * @param id Container id.
 * @param config Output of {@linkcode parseOciConfig}.
 * @param bundle The bundle directory (host path), to resolve a relative `root.path`.
 * @param fallback Runtime to report when the annotations do not say.
 */
export function ociMetadata(
  id: string,
  config: OciConfig,
  bundle: string,
  fallback: ContainerRuntime,
): ContainerMetadata {
  const a = config.annotations;
  const runtime: ContainerRuntime = a["io.container.manager"] === "libpod"
    ? "podman"
    : Object.keys(a).some((k) => k.startsWith("io.kubernetes.cri-o."))
    ? "cri-o"
    : Object.keys(a).some((k) => k.startsWith("io.kubernetes.cri."))
    ? "containerd"
    : fallback;
  const meta = emptyMetadata(id, runtime);
  meta.labels = a;
  meta.hostname = config.hostname;
  if (config.rootPath !== null) {
    meta.storagePath = config.rootPath.startsWith("/")
      ? config.rootPath
      : `${bundle}/${config.rootPath}`;
  }
  meta.cgroupsPath = expandCgroupsPath(config.cgroupsPath);
  const kube = kubeOfPath(meta.cgroupsPath);
  meta.qosClass = kube?.qosClass ?? null;
  if (runtime === "containerd") {
    meta.sandbox = a["io.kubernetes.cri.container-type"] === "sandbox";
    meta.podName = a["io.kubernetes.cri.sandbox-name"] ?? null;
    meta.podNamespace = a["io.kubernetes.cri.sandbox-namespace"] ?? null;
    meta.podUid = a["io.kubernetes.cri.sandbox-uid"] ?? null;
    meta.containerName = a["io.kubernetes.cri.container-name"] ?? (meta.sandbox ? "POD" : null);
    meta.image = a["io.kubernetes.cri.image-name"] ?? null;
    meta.name = (meta.sandbox ? meta.podName : meta.containerName) ?? id;
  } else if (runtime === "cri-o") {
    meta.sandbox = a["io.kubernetes.cri-o.ContainerType"] === "sandbox";
    meta.podName = a["io.kubernetes.pod.name"] ?? null;
    meta.podNamespace = a["io.kubernetes.pod.namespace"] ?? null;
    meta.podUid = a["io.kubernetes.pod.uid"] ?? null;
    meta.containerName = a["io.kubernetes.container.name"] ?? (meta.sandbox ? "POD" : null);
    meta.image = a["io.kubernetes.cri-o.ImageName"] ?? null;
    meta.name = a["io.kubernetes.cri-o.Name"] ?? null;
  }
  meta.podUid ??= kube?.podUid ?? null;
  return meta;
}

/** One record of containers/storage's `containers.json`. */
export interface StorageContainer {
  /** Container id. */
  id: string;
  /** Names (podman: the container name; CRI-O: `k8s_…`). */
  names: string[];
  /** Image name from the record's metadata (`image-name`), or `null`. */
  imageName: string | null;
  /** Read-write layer id: the rootfs is `<graphroot>/<driver>/<layer>/merged` for overlay. */
  layer: string | null;
}

/**
 * Parses containers/storage's `<graphroot>/<driver>-containers/containers.json`.
 *
 * @throws {SyntaxError} `Cannot parse "containers.json": …` on invalid JSON.
 */
export function parseStorageContainers(text: string): StorageContainer[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`Cannot parse "containers.json": ${(error as Error).message}`);
  }
  if (!Array.isArray(doc)) return [];
  return doc.map((raw) => {
    const record = obj(raw);
    let inner: Json = {};
    try {
      inner = obj(JSON.parse(str(record.metadata) ?? "{}"));
    } catch { /* metadata is free-form */ }
    return {
      id: str(record.id) ?? "",
      names: Array.isArray(record.names) ? record.names.filter((n) => typeof n === "string") : [],
      imageName: str(inner["image-name"]),
      layer: str(record.layer),
    };
  }).filter((c) => c.id !== "");
}

/**
 * Splits a `/var/log/pods` directory name `<namespace>_<pod>_<uid>` (namespace and pod names are
 * DNS labels/subdomains and cannot contain `_`); `null` for other names.
 */
export function parsePodLogDirName(name: string): Omit<PodLogInfo, "containers"> | null {
  const parts = name.split("_");
  if (parts.length !== 3 || parts.some((p) => p === "")) return null;
  return { namespace: parts[0], name: parts[1], uid: parts[2] };
}

/** Options of {@linkcode createMetadataCache}. */
export interface MetadataCacheOptions {
  /** Clock in Unix ms (tests inject one). */
  now?: () => number;
  /** A cached entry is re-read after this long (state and PID change; names do not). */
  maxAgeMs?: number;
  /**
   * Runtime locations and `/var/log/pods` are re-scanned for an unknown id at most this often;
   * an id found nowhere is retried no sooner either. Each further miss of the same id (or pod
   * UID) doubles its retry interval, up to `maxRetryIntervalMs`, and a retry re-scans only when
   * the last scan is at least that retry interval old: ids that stay unknown cost one scan per
   * `maxRetryIntervalMs`, not one every `rescanIntervalMs`.
   */
  rescanIntervalMs?: number;
  /** Longest retry interval of an id or pod UID that stays unknown. */
  maxRetryIntervalMs?: number;
  /** runc state roots (`<root>/<id>/state.json`) besides the runtimes' own. */
  runcRoots?: string[];
  /** Locations to use instead of scanning processes (tests, or a caller that knows them). */
  locations?: RuntimeLocations;
  /** Real UIDs whose daemons' flags are believed (see `findRuntimeLocations`); root only. */
  trustedUids?: readonly number[];
}

/** Cached metadata lookups. */
export interface MetadataCache {
  /**
   * Metadata of a container, or `null` when no store knows the id. `runtime` (from
   * {@linkcode classifyCgroupPath}) picks the store to try first; `null` tries all.
   */
  get(id: string, runtime?: ContainerRuntime | null): ContainerMetadata | null;
  /** Pod identity by UID from `/var/log/pods`, or `null`. */
  pod(uid: string): PodLogInfo | null;
  /** The runtime locations in use. */
  locations(): RuntimeLocations;
  /** containerd namespaces seen in the state directories (for {@linkcode classifyCgroupPath}). */
  containerdNamespaces(): string[];
  /** Re-scans runtime locations and `/var/log/pods` now. */
  refresh(): void;
  /** Drops entries whose id is not in `liveIds`. */
  prune(liveIds: Iterable<string>): void;
}

/** Pod UIDs remembered as missing at most (a bound on memory under pod churn). */
const MAX_POD_MISSES = 10_000;

const DOCKER_STORAGE_DIR: Record<string, string> = { overlay2: "merged", overlay: "merged" };

/**
 * Creates a metadata cache reading through `fs` under `roots.host` (daemons are found under
 * `roots.proc`). Entries are kept per container id and re-read after `maxAgeMs`; an unknown id
 * re-scans the daemons (rate-limited by `rescanIntervalMs`) so that containers of a daemon that
 * started later are found.
 */
export function createMetadataCache(
  fs: Fs,
  roots: Roots,
  {
    now = Date.now,
    maxAgeMs = 30_000,
    rescanIntervalMs = 5_000,
    maxRetryIntervalMs = 60_000,
    runcRoots = ["/run/runc"],
    locations: fixedLocations,
    trustedUids = [0],
  }: MetadataCacheOptions = {},
): MetadataCache {
  const host = (path: string) => roots.host + path;
  /** `retryMs`: when a miss (`meta` null) is looked up again. */
  const entries = new Map<
    string,
    { meta: ContainerMetadata | null; at: number; retryMs: number }
  >();
  /** Pod UIDs missing from `/var/log/pods`, with when to look again. */
  const podMisses = new Map<string, { at: number; retryMs: number }>();
  let locations: RuntimeLocations = fixedLocations ??
    { docker: [], containerd: [], containersStorage: [], conmon: [] }; // until scan()
  let pods = new Map<string, PodLogInfo>();
  let namespaces: string[] = [];
  let scannedAt = now();

  function scan(): void {
    if (!fixedLocations) locations = findRuntimeLocations(fs, roots, { trustedUids });
    pods = new Map();
    const podDir = host("/var/log/pods");
    for (const entry of fs.listDir(podDir)) {
      const info = parsePodLogDirName(entry.name);
      if (info === null || !entry.isDirectory) continue;
      const containers = fs.listDir(`${podDir}/${entry.name}`).filter((e) => e.isDirectory)
        .map((e) => e.name).sort();
      pods.set(info.uid, { ...info, containers });
    }
    const seen = new Set<string>();
    for (const c of locations.containerd) {
      for (const task of ["io.containerd.runtime.v2.task", "io.containerd.runtime.v1.linux"]) {
        for (const ns of fs.listDir(host(`${c.state}/${task}`))) {
          if (ns.isDirectory) seen.add(ns.name);
        }
      }
    }
    namespaces = [...seen].sort();
    scannedAt = now();
  }
  scan();

  /** The retry interval after a miss, given the one before it (0: first miss). */
  function nextRetry(before: number): number {
    return before === 0 ? rescanIntervalMs : Math.min(maxRetryIntervalMs, before * 2);
  }

  function alive(pid: number): boolean {
    return fs.readText(`${roots.proc}/${pid}/stat`) !== null;
  }

  function fromDocker(id: string): ContainerMetadata | null {
    for (const d of locations.docker) {
      const dir = `${d.dataRoot}/containers/${id}`;
      const text = fs.readText(host(`${dir}/config.v2.json`));
      if (text === null) continue;
      let meta: ContainerMetadata;
      try {
        meta = parseDockerConfig(text, fs.readText(host(`${dir}/hostconfig.json`)));
      } catch {
        continue; // being rewritten by dockerd: retried after maxAgeMs
      }
      meta.id = id;
      const driver = str(obj(safeJson(text)).Driver);
      if (driver !== null) {
        const mountId = fs.readText(
          host(`${d.dataRoot}/image/${driver}/layerdb/mounts/${id}/mount-id`),
        )?.trim();
        if (mountId) {
          meta.storagePath = driver === "vfs"
            ? `${d.dataRoot}/vfs/dir/${mountId}`
            : DOCKER_STORAGE_DIR[driver] !== undefined
            ? `${d.dataRoot}/${driver}/${mountId}/${DOCKER_STORAGE_DIR[driver]}`
            : `${d.dataRoot}/${driver}/${mountId}`;
        }
      }
      return meta;
    }
    return null;
  }

  function fromBundle(
    id: string,
    bundle: string,
    fallback: ContainerRuntime,
    pidFiles: readonly string[],
  ): ContainerMetadata | null {
    const text = fs.readText(host(`${bundle}/config.json`));
    if (text === null) return null;
    let meta: ContainerMetadata;
    try {
      meta = ociMetadata(id, parseOciConfig(text), bundle, fallback);
    } catch {
      return null;
    }
    for (const pidFile of pidFiles) {
      const pid = Number(fs.readText(host(pidFile))?.trim() ?? NaN);
      if (Number.isInteger(pid) && pid > 0) {
        meta.pid = alive(pid) ? pid : null;
        break;
      }
    }
    meta.state = meta.pid !== null ? "running" : "created";
    return meta;
  }

  function fromContainerd(id: string): ContainerMetadata | null {
    for (const c of locations.containerd) {
      for (const task of ["io.containerd.runtime.v2.task", "io.containerd.runtime.v1.linux"]) {
        for (const ns of fs.listDir(host(`${c.state}/${task}`))) {
          const bundle = `${c.state}/${task}/${ns.name}/${id}`;
          const meta = fromBundle(id, bundle, "containerd", [`${bundle}/init.pid`]);
          if (meta === null) continue;
          meta.containerdNamespace = ns.name;
          return meta;
        }
      }
    }
    return null;
  }

  function storageRecord(store: ContainersStorageLocation, id: string) {
    for (const dir of fs.listDir(host(store.graphRoot))) {
      if (!dir.name.endsWith("-containers")) continue;
      const text = fs.readText(host(`${store.graphRoot}/${dir.name}/containers.json`));
      if (text === null) continue;
      let records: StorageContainer[] = [];
      try {
        records = parseStorageContainers(text);
      } catch { /* being rewritten */ }
      const record = records.find((r) => r.id === id);
      if (record) return { record, driver: dir.name.slice(0, -"-containers".length) };
    }
    return null;
  }

  /**
   * CRI-O keeps a container's bundle (`config.json`, `pidfile`) under the runroot; podman keeps
   * the bundle under the graphroot and the `pidfile` under the runroot. A running conmon names
   * both; without one, both roots of every store are tried.
   */
  function fromContainersStorage(id: string): ContainerMetadata | null {
    const conmon = locations.conmon.find((c) => c.containerId === id);
    const storeOf = (path: string) =>
      locations.containersStorage.find((s) =>
        path.startsWith(s.graphRoot + "/") || path.startsWith(s.runRoot + "/")
      ) ?? null;
    const candidates: { bundle: string; store: ContainersStorageLocation | null }[] = [];
    if (conmon?.bundle) candidates.push({ bundle: conmon.bundle, store: storeOf(conmon.bundle) });
    for (const store of locations.containersStorage) {
      for (const root of [store.runRoot, store.graphRoot]) {
        for (const dir of fs.listDir(host(root))) {
          if (dir.name.endsWith("-containers")) {
            candidates.push({ bundle: `${root}/${dir.name}/${id}/userdata`, store });
          }
        }
      }
    }
    for (const { bundle, store } of candidates) {
      const driverDir = /\/([^/]+-containers)\/[^/]+\/userdata$/.exec(bundle)?.[1] ?? null;
      const pidFiles = [
        ...(conmon?.pidFile ? [conmon.pidFile] : []),
        ...(store && driverDir ? [`${store.runRoot}/${driverDir}/${id}/userdata/pidfile`] : []),
        `${bundle}/pidfile`,
      ];
      const meta = fromBundle(id, bundle, conmon?.runtime ?? "cri-o", pidFiles);
      if (meta === null) continue;
      const found = store ? storageRecord(store, id) : null;
      if (found) {
        meta.name ??= found.record.names[0] ?? null;
        meta.image ??= found.record.imageName;
        if (found.record.layer && store && meta.storagePath === null) {
          const layerDir = `${store.graphRoot}/${found.driver}/${found.record.layer}`;
          meta.storagePath = found.driver.startsWith("overlay") ? `${layerDir}/merged` : layerDir;
        }
      }
      meta.name ??= conmon?.name ?? null;
      return meta;
    }
    return null;
  }

  function fromRunc(id: string): ContainerMetadata | null {
    for (const root of runcRoots) {
      const text = fs.readText(host(`${root}/${id}/state.json`));
      if (text === null) continue;
      const doc = obj(safeJson(text));
      const config = obj(doc.config);
      const meta = emptyMetadata(id, "runc");
      meta.name = id;
      const pid = num(doc.init_process_pid);
      meta.pid = pid !== null && pid > 0 && alive(pid) ? pid : null;
      meta.state = meta.pid !== null ? "running" : "exited";
      meta.startedAtMs = rfc3339ToMs(str(doc.created));
      meta.storagePath = str(config.rootfs);
      meta.hostname = str(config.hostname);
      const labels: Record<string, string> = {};
      if (Array.isArray(config.labels)) {
        for (const label of config.labels) {
          if (typeof label !== "string") continue;
          const eq = label.indexOf("=");
          if (eq > 0) labels[label.slice(0, eq)] = label.slice(eq + 1);
        }
      }
      meta.labels = labels;
      return meta;
    }
    return null;
  }

  const probes: Record<string, (id: string) => ContainerMetadata | null> = {
    docker: fromDocker,
    containerd: fromContainerd,
    "cri-o": fromContainersStorage,
    podman: fromContainersStorage,
    runc: fromRunc,
  };
  const order = [fromDocker, fromContainerd, fromContainersStorage, fromRunc];

  function lookup(id: string, runtime: ContainerRuntime | null): ContainerMetadata | null {
    const first = runtime !== null ? probes[runtime] : undefined;
    const tried = first ? [first, ...order.filter((p) => p !== first)] : order;
    for (const probe of tried) {
      const meta = probe(id);
      if (meta === null) continue;
      if (meta.podUid !== null) {
        const pod = pods.get(meta.podUid);
        meta.podName ??= pod?.name ?? null;
        meta.podNamespace ??= pod?.namespace ?? null;
      }
      return meta;
    }
    return null;
  }

  return {
    get(id, runtime = null) {
      const t = now();
      const cached = entries.get(id);
      if (cached && cached.meta !== null && t - cached.at < maxAgeMs) return cached.meta;
      if (cached && cached.meta === null && t - cached.at < cached.retryMs) return null;
      const missedBefore = cached?.meta === null ? cached.retryMs : 0;
      let meta = lookup(id, runtime);
      if (meta === null && t - scannedAt >= Math.max(rescanIntervalMs, missedBefore)) {
        scan();
        meta = lookup(id, runtime);
      }
      entries.set(id, { meta, at: t, retryMs: nextRetry(missedBefore) });
      return meta;
    },
    pod(uid) {
      if (pods.has(uid)) return pods.get(uid)!;
      const t = now();
      const miss = podMisses.get(uid);
      if (miss !== undefined && t - miss.at < miss.retryMs) return null;
      const missedBefore = miss?.retryMs ?? 0;
      if (t - scannedAt >= Math.max(rescanIntervalMs, missedBefore)) scan();
      const found = pods.get(uid) ?? null;
      if (found !== null) podMisses.delete(uid);
      else {
        if (podMisses.size >= MAX_POD_MISSES) podMisses.clear();
        podMisses.set(uid, { at: t, retryMs: nextRetry(missedBefore) });
      }
      return found;
    },
    locations: () => locations,
    containerdNamespaces: () => namespaces,
    refresh: scan,
    prune(liveIds) {
      const live = new Set(liveIds);
      for (const id of entries.keys()) if (!live.has(id)) entries.delete(id);
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
