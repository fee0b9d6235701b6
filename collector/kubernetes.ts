/**
 * Pod names, namespaces and labels from the Kubernetes API server, for `fgm collect` running as a
 * DaemonSet pod. {@linkcode inClusterConfig} finds the service account and the node,
 * {@linkcode parsePodList} (pure) turns the API's `PodList` JSON into {@linkcode PodInfo} records,
 * and {@linkcode createPodDirectory} keeps the pods of this node in memory: it lists them in the
 * background at start, every `refreshMs`, and when a container id or pod UID it does not know is
 * looked up (at most once per `cooldownMs`). Lookups never wait for the network and never throw;
 * failures are counted for the collector's error counter and the last good list stays in use.
 * Outside a cluster (no service account, no `NODE_NAME`) there is no directory and the collector
 * keeps to its node-local metadata.
 *
 * Reaches: the network (the Kubernetes API server) and the disk (the service account's token and
 * CA).
 *
 * @module
 */

/** A pod on this node as the API server describes it. */
export interface PodInfo {
  /** Pod UID (with dashes), `metadata.uid`. */
  uid: string;
  /** `metadata.name`. */
  name: string;
  /** `metadata.namespace`. */
  namespace: string;
  /** `metadata.labels` (empty when the pod has none). */
  labels: Record<string, string>;
  /** `status.qosClass` (`Guaranteed`, `Burstable`, `BestEffort`); null when the API gives none. */
  qosClass: string | null;
  /**
   * Every container instance the API names for the pod: app, init and ephemeral containers, the
   * current one and the last terminated one (after a restart its cgroup can outlive the
   * restart briefly). Containers not yet created (no `containerID`) are left out.
   */
  containers: PodContainer[];
}

/** One container instance of a pod. */
export interface PodContainer {
  /** Runtime id with the `containerd://`, `docker://`, `cri-o://` prefix stripped (64 hex). */
  id: string;
  /** Container name from the pod spec. */
  name: string;
}

/** Options of {@linkcode inClusterConfig} and {@linkcode createPodDirectory}. */
export interface KubernetesOptions {
  /** Environment to read `KUBERNETES_SERVICE_HOST`, `KUBERNETES_SERVICE_PORT`, `NODE_NAME` from. */
  env?: Record<string, string | undefined>;
  /** Where the service account token and CA certificate are mounted. */
  serviceAccountDir?: string;
  /** Least time between two refreshes triggered by unknown ids, in ms. */
  cooldownMs?: number;
  /** Time after which a lookup refreshes the list even when every id is known, in ms. */
  refreshMs?: number;
  /** Time limit of one list request (connect, headers and body), in ms. */
  timeoutMs?: number;
  /** Clock for the cooldown and refresh interval, in ms. */
  now?: () => number;
  /** The fetch to use (its `client` option gets the CA-pinned HTTP client). */
  fetchImpl?: typeof fetch;
}

/** How to reach the API server from inside a pod. */
export interface InClusterConfig {
  /** `https://<host>:<port>` (IPv6 hosts in brackets). */
  baseUrl: string;
  /** The service account token as read at configuration time (requests re-read `tokenPath`). */
  token: string;
  /** Path of the token file; projected tokens rotate, so every request reads it again. */
  tokenPath: string;
  /** PEM of the cluster CA that signed the API server's certificate. */
  caCert: string;
  /** This node's name (`NODE_NAME`, from the downward API `spec.nodeName`). */
  nodeName: string;
}

/** Pods of this node, kept fresh in the background. */
export interface PodDirectory {
  /**
   * Pod of a container id (bare or with its `containerd://`-style prefix), from the last
   * successful list; null when unknown. An unknown id triggers a background refresh (at most
   * once per cooldown). Never throws, never waits for the network.
   */
  byContainerId(id: string): PodInfo | null;
  /** Pod of a pod UID; otherwise as {@linkcode PodDirectory.byContainerId}. */
  byPodUid(uid: string): PodInfo | null;
  /** Errors since the last call (for the collector's error counter), and the last one's text. */
  takeErrors(): { count: number; last: string | null };
  /** Resolves when no refresh is in flight (after `close()`: when the aborted one has ended). */
  idle(): Promise<void>;
  /** Stops refreshing, aborts a request in flight and releases the HTTP client. */
  close(): void;
}

const DEFAULT_SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * The in-cluster configuration from the environment and the mounted service account, or null
 * when not running in a cluster: `KUBERNETES_SERVICE_HOST`/`KUBERNETES_SERVICE_PORT` or
 * `NODE_NAME` unset, or the token or CA file unreadable (e.g. `automountServiceAccountToken:
 * false`). Without `NODE_NAME` there is no config because listing every pod of the cluster from
 * every node would load the API server.
 */
export function inClusterConfig(
  { env = Deno.env.toObject(), serviceAccountDir = DEFAULT_SERVICE_ACCOUNT_DIR }:
    KubernetesOptions = {},
): InClusterConfig | null {
  const host = env.KUBERNETES_SERVICE_HOST?.trim();
  const port = env.KUBERNETES_SERVICE_PORT?.trim();
  const nodeName = env.NODE_NAME?.trim();
  if (!host || !port || !nodeName) return null;
  const tokenPath = `${serviceAccountDir}/token`;
  let token: string;
  let caCert: string;
  try {
    token = Deno.readTextFileSync(tokenPath).trim();
    caCert = Deno.readTextFileSync(`${serviceAccountDir}/ca.crt`);
  } catch {
    return null;
  }
  if (!token || !caCert.trim()) return null;
  const hostPart = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return { baseUrl: `https://${hostPart}:${port}`, token, tokenPath, caCert, nodeName };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `containerd://<id>` → `<id>`; a bare id stays as it is. */
function stripRuntimePrefix(id: string): string {
  const i = id.indexOf("://");
  return i >= 0 ? id.slice(i + 3) : id;
}

function containersOf(status: Record<string, unknown>): PodContainer[] {
  const out: PodContainer[] = [];
  const seen = new Set<string>();
  const add = (raw: unknown, name: string) => {
    if (typeof raw !== "string" || raw === "") return;
    const id = stripRuntimePrefix(raw);
    if (id === "" || seen.has(id)) return;
    seen.add(id);
    out.push({ id, name });
  };
  for (const key of ["containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"]) {
    const list = status[key];
    if (!Array.isArray(list)) continue;
    for (const s of list) {
      if (!isObject(s) || typeof s.name !== "string") continue;
      add(s.containerID, s.name);
      const last = isObject(s.lastState) ? s.lastState.terminated : undefined;
      if (isObject(last)) add(last.containerID, s.name);
    }
  }
  return out;
}

/**
 * The pods of a `PodList` as the API server returns it (`GET /api/v1/pods`). Items without a
 * UID, name or namespace are skipped; labels that are not strings are dropped.
 *
 * @throws {Error} `Cannot parse PodList: ...` when the value is not a list of items.
 */
export function parsePodList(json: unknown): PodInfo[] {
  if (!isObject(json)) throw new Error("Cannot parse PodList: not a JSON object");
  if (json.kind !== undefined && json.kind !== "PodList") {
    throw new Error(`Cannot parse PodList: kind is ${JSON.stringify(json.kind)}`);
  }
  if (!Array.isArray(json.items)) throw new Error("Cannot parse PodList: items is not an array");
  const pods: PodInfo[] = [];
  for (const item of json.items) {
    if (!isObject(item) || !isObject(item.metadata)) continue;
    const { uid, name, namespace, labels } = item.metadata;
    if (typeof uid !== "string" || typeof name !== "string" || typeof namespace !== "string") {
      continue;
    }
    const podLabels: Record<string, string> = {};
    if (isObject(labels)) {
      for (const [k, v] of Object.entries(labels)) if (typeof v === "string") podLabels[k] = v;
    }
    const status = isObject(item.status) ? item.status : {};
    pods.push({
      uid,
      name,
      namespace,
      labels: podLabels,
      qosClass: typeof status.qosClass === "string" && status.qosClass ? status.qosClass : null,
      containers: containersOf(status),
    });
  }
  return pods;
}

/** An error's message with its causes (`fetch failed` alone does not say why). */
function describe(e: unknown): string {
  const parts: string[] = [];
  for (let c = e, depth = 0; c !== undefined && depth < 4; depth++) {
    parts.push(c instanceof Error ? c.message : String(c));
    c = c instanceof Error ? c.cause : undefined;
  }
  return parts.join(": ");
}

/**
 * A {@linkcode PodDirectory} of this node's pods, or null outside a cluster (see
 * {@linkcode inClusterConfig}). The first list starts at once in the background; lookups return
 * null until it has arrived.
 *
 * An unknown id triggers eager refreshes until a list that started at least `cooldownMs` after
 * the id was first looked up still lacks it (a container can appear in the cgroup tree before the
 * kubelet reports its id); after that it waits for the periodic refresh, so ids the API never
 * names (pod sandboxes, containers outside Kubernetes) do not keep the API server busy.
 */
export function createPodDirectory(options: KubernetesOptions = {}): PodDirectory | null {
  const config = inClusterConfig(options);
  if (config === null) return null;
  const {
    cooldownMs = 30_000,
    refreshMs = 60_000,
    timeoutMs = 5_000,
    now = Date.now,
    fetchImpl = fetch,
  } = options;
  const { tokenPath } = config;
  const what = `Cannot list pods of node "${config.nodeName}" from ${config.baseUrl}`;
  const client = Deno.createHttpClient({ caCerts: [config.caCert] });
  const abort = new AbortController();
  const url = `${config.baseUrl}/api/v1/pods?fieldSelector=${
    encodeURIComponent(`spec.nodeName=${config.nodeName}`)
  }&resourceVersion=0`;

  let byContainer = new Map<string, PodInfo>();
  let byUid = new Map<string, PodInfo>();
  let inFlight: Promise<void> | null = null;
  let lastAttemptMs = -Infinity;
  let lastSuccessStartMs = -Infinity;
  let closed = false;
  let errorCount = 0;
  let lastError: string | null = null;
  /** Unknown keys (`c:<id>`, `p:<uid>`) still triggering refreshes → when first looked up. */
  const pending = new Map<string, number>();
  /** Unknown keys that no longer trigger refreshes → when last looked up. */
  const givenUp = new Map<string, number>();

  async function list(): Promise<PodInfo[]> {
    const token = (await Deno.readTextFile(tokenPath)).trim();
    const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(timeoutMs)]);
    const res = await fetchImpl(url, {
      headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
      client,
      signal,
    });
    if (!res.ok) {
      const body = (await res.text()).replace(/\s+/g, " ").slice(0, 200);
      throw new Error(`HTTP ${res.status}: ${body}`);
    }
    return parsePodList(await res.json());
  }

  function apply(pods: PodInfo[], startMs: number): void {
    const containers = new Map<string, PodInfo>();
    const uids = new Map<string, PodInfo>();
    for (const pod of pods) {
      uids.set(pod.uid, pod);
      for (const c of pod.containers) containers.set(c.id, pod);
    }
    byContainer = containers;
    byUid = uids;
    const known = (key: string) =>
      key.startsWith("c:") ? containers.has(key.slice(2)) : uids.has(key.slice(2));
    for (const [key, lastMs] of givenUp) {
      // Named by the API now, or not looked up since the previous list (the container is gone).
      if (known(key) || lastMs < lastSuccessStartMs) givenUp.delete(key);
    }
    for (const [key, firstMs] of pending) {
      if (known(key)) pending.delete(key);
      else if (startMs - firstMs >= cooldownMs) {
        pending.delete(key);
        givenUp.set(key, startMs);
      }
    }
    lastSuccessStartMs = startMs;
  }

  function refresh(): void {
    if (closed || inFlight !== null) return;
    const startMs = now();
    lastAttemptMs = startMs;
    inFlight = list()
      .then((pods) => {
        if (!closed) apply(pods, startMs);
      })
      .catch((e) => {
        if (closed) return;
        errorCount++;
        const msg = e instanceof Error && e.name === "TimeoutError"
          ? `no answer within ${timeoutMs} ms`
          : describe(e);
        lastError = `${what}: ${msg}`;
      })
      .finally(() => {
        inFlight = null;
      });
  }

  function lookup(key: string, map: Map<string, PodInfo>, id: string): PodInfo | null {
    if (closed) return map.get(id) ?? null;
    const t = now();
    if (t - lastAttemptMs >= refreshMs) refresh();
    const hit = map.get(id);
    if (hit) return hit;
    if (givenUp.has(key)) {
      givenUp.set(key, t);
      return null;
    }
    if (!pending.has(key)) pending.set(key, t);
    if (t - lastAttemptMs >= cooldownMs) refresh();
    return null;
  }

  refresh();

  return {
    byContainerId(id) {
      const bare = stripRuntimePrefix(id);
      return lookup(`c:${bare}`, byContainer, bare);
    },
    byPodUid(uid) {
      return lookup(`p:${uid}`, byUid, uid);
    },
    takeErrors() {
      const out = { count: errorCount, last: lastError };
      errorCount = 0;
      lastError = null;
      return out;
    },
    async idle() {
      while (inFlight !== null) await inFlight;
    },
    close() {
      if (closed) return;
      closed = true;
      abort.abort();
      if (inFlight === null) client.close();
      else inFlight.finally(() => client.close());
    },
  };
}
