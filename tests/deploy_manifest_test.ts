/**
 * The deployment files, parsed (REQ-DEP-001 … REQ-DEP-009, REQ-DEP-030): the DaemonSet and its
 * RBAC with the `yaml` package (comments included, to check that every permission is explained),
 * the systemd unit as systemd reads it and with `systemd-analyze verify` where systemd is
 * installed; the arguments of both through fgm's own parser.
 */

import assert from "node:assert/strict";
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type YAMLMap } from "yaml";
import { parseCollectArgs } from "../collector/main.ts";
import { kubeBytes, kubeCpu } from "./support/pod_to_docker.ts";
import { decideAvailability } from "./support/available.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const MANIFEST = `${ROOT}deploy/daemonset.yaml`;
const UNIT = `${ROOT}deploy/fgm-collect.service`;
const MiB = 1024 * 1024;

const docs = parseAllDocuments(Deno.readTextFileSync(MANIFEST));
// deno-lint-ignore no-explicit-any
const objects = docs.map((d) => d.toJS()) as any[];
const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
const daemonSet = byKind("DaemonSet")[0];
const pod = daemonSet.spec.template.spec;
const container = pod.containers[0];
const dsDoc = docs[objects.indexOf(daemonSet)];

/** The comment that explains a key of a YAML map: above the key, or after its value. */
function commentOf(path: (string | number)[]): string {
  const parent = dsDoc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  // The yaml package keeps a comment above a collection's first item on the collection.
  // deno-lint-ignore no-explicit-any
  const first = (index: number) => index === 0 ? (parent as any)?.commentBefore : undefined;
  if (isSeq(parent)) {
    const item = parent.items[last as number];
    // deno-lint-ignore no-explicit-any
    return [first(last as number), (item as any)?.commentBefore, (item as any)?.comment]
      .filter(Boolean).join(" ");
  }
  assert.ok(isMap(parent), `${path.join(".")}: not in a map`);
  const pair = (parent as YAMLMap).items.find((p) =>
    isPair(p) && isScalar(p.key) && p.key.value === last
  );
  assert.ok(pair !== undefined, `${path.join(".")} missing`);
  // deno-lint-ignore no-explicit-any
  const key = pair.key as any, value = pair.value as any;
  const index = (parent as YAMLMap).items.indexOf(pair);
  return [first(index), key?.commentBefore, key?.comment, value?.commentBefore, value?.comment]
    .filter(Boolean).join(" ");
}

/**
 * The arguments after `collect`, `$(VAR)` references expanded as kubelet does (a made-up node
 * name).
 */
function expandedArgs(): string[] {
  return container.args.slice(1).map((a: string) => a.replace("$(NODE_NAME)", "node-1"));
}

Deno.test("REQ-DEP-001: the DaemonSet runs fgm collect on every node with host PID and no privileged mode", () => {
  assert.equal(daemonSet.metadata.namespace, "kube-system");
  assert.equal(pod.hostPID, true);
  assert.notEqual(pod.hostNetwork, true);
  assert.notEqual(pod.hostIPC, true);
  assert.deepEqual(pod.tolerations, [{ operator: "Exists" }]);
  assert.equal(pod.containers.length, 1);
  assert.equal(container.args[0], "collect");
  assert.match(commentOf(["spec", "template", "spec", "hostPID"]), /process/);
});

Deno.test("REQ-DEP-002: least privilege, each permission explained", () => {
  const sc = container.securityContext;
  assert.equal(sc.privileged, false);
  assert.equal(sc.allowPrivilegeEscalation, false);
  assert.equal(sc.readOnlyRootFilesystem, true);
  assert.deepEqual(sc.capabilities.drop, ["ALL"]);
  assert.deepEqual([...sc.capabilities.add].sort(), ["DAC_READ_SEARCH", "SYS_PTRACE"]);
  assert.equal(sc.seccompProfile.type, "RuntimeDefault");
  assert.equal(sc.runAsUser, 0);
  const at = ["spec", "template", "spec", "containers", 0, "securityContext"];
  for (const key of ["runAsUser", "allowPrivilegeEscalation", "readOnlyRootFilesystem"]) {
    assert.ok(commentOf([...at, key]).length > 20, `${key} is not explained`);
  }
  assert.match(commentOf([...at, "capabilities", "add", 0]), /SYS_PTRACE: .*\/proc\/<pid>\/io/s);
  assert.match(commentOf([...at, "capabilities", "add", 1]), /DAC_READ_SEARCH: .*other users/s);
  // Nothing outside the security context adds privilege either.
  for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
    assert.notEqual(c.securityContext?.privileged, true);
  }
  assert.equal(
    pod.volumes.filter((v: { hostPath?: { path: string } }) => v.hostPath?.path === "/").length,
    0,
    "the node's whole root is not mounted",
  );
});

Deno.test("REQ-DEP-003: RBAC lists pods and nothing else; the viewer is on loopback", () => {
  const roles = byKind("ClusterRole");
  assert.equal(roles.length, 1);
  assert.deepEqual(roles[0].rules, [{ apiGroups: [""], resources: ["pods"], verbs: ["list"] }]);
  assert.equal(byKind("Role").length, 0);
  const binding = byKind("ClusterRoleBinding")[0];
  assert.equal(binding.roleRef.name, roles[0].metadata.name);
  assert.deepEqual(binding.subjects, [{
    kind: "ServiceAccount",
    name: pod.serviceAccountName,
    namespace: daemonSet.metadata.namespace,
  }]);
  const args = parseCollectArgs(expandedArgs(), () => undefined);
  assert.ok(args !== "help");
  assert.deepEqual(args.view, { host: "127.0.0.1", port: 8050 });
  assert.equal(container.ports, undefined, "no port is declared or exposed");
  assert.equal(byKind("Service").length, 0);
});

Deno.test("REQ-DEP-004: downward API, hostPath data with retention and a disk budget", () => {
  const env = Object.fromEntries(
    container.env.map((e: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }) => [
      e.name,
      e.valueFrom?.fieldRef?.fieldPath,
    ]),
  );
  assert.equal(env.NODE_NAME, "spec.nodeName");
  assert.equal(env.POD_NAME, "metadata.name");
  const args = parseCollectArgs(expandedArgs(), () => undefined);
  assert.ok(args !== "help");
  assert.equal(args.node, "node-1");
  assert.equal(args.retentionMs, 7 * 86_400_000);
  assert.equal(args.maxDiskBytes, 2 * 1024 ** 3);
  const dataMount = container.volumeMounts.find((m: { mountPath: string }) =>
    m.mountPath === args.out
  );
  const dataVolume = pod.volumes.find((v: { name: string }) => v.name === dataMount.name);
  assert.deepEqual(dataVolume.hostPath, { path: "/var/lib/fgm", type: "DirectoryOrCreate" });
});

Deno.test("REQ-DEP-006: host mounts are read-only, the data directory the only writable one", () => {
  const volumes = new Map(
    pod.volumes.map((v: { name: string; hostPath: { path: string } }) => [v.name, v]),
  );
  const writable = container.volumeMounts.filter((m: { readOnly?: boolean }) => !m.readOnly);
  assert.deepEqual(writable.map((m: { mountPath: string }) => m.mountPath), ["/data"]);
  const mounts = container.volumeMounts as {
    name: string;
    mountPath: string;
    readOnly?: boolean;
    recursiveReadOnly?: string;
    mountPropagation?: string;
  }[];
  const paths = mounts.map((m) =>
    (volumes.get(m.name) as { hostPath: { path: string } }).hostPath.path
  );
  for (const needed of ["/proc", "/sys", "/var/lib/docker/containers", "/run/containerd"]) {
    assert.ok(paths.includes(needed), `${needed} is mounted`);
  }
  for (const m of mounts) {
    const hostPath = (volumes.get(m.name) as { hostPath: { path: string } }).hostPath.path;
    if (m.mountPath === "/data") continue;
    // Submounts (cgroup v1 controllers) read-only too, where the node supports it.
    if (hostPath === "/proc" || hostPath === "/sys") {
      assert.equal(m.recursiveReadOnly, "IfPossible", m.name);
      assert.equal(m.mountPropagation, undefined);
    } else {
      // Runtime state: at its node path under --host-root, so fgm finds it.
      assert.equal(m.mountPath, `/host/root${hostPath}`);
      assert.notEqual(m.mountPropagation, "Bidirectional");
    }
  }
  const args = parseCollectArgs(expandedArgs(), () => undefined);
  assert.ok(args !== "help");
  assert.deepEqual(args.roots, {
    proc: "/host/proc",
    cgroup: "/host/sys/fs/cgroup",
    sys: "/host/sys",
    host: "/host/root",
  });
});

Deno.test("REQ-DEP-007: requests and limits from the benchmarks; a grace period to flush", () => {
  const { requests, limits } = container.resources;
  assert.ok(kubeCpu(requests.cpu) <= kubeCpu(limits.cpu));
  assert.ok(kubeBytes(requests.memory) <= kubeBytes(limits.memory));
  // bench/README.md: 23-36 ms/s CPU and at most 67 MiB RSS at 50 containers.
  assert.ok(kubeCpu(requests.cpu) >= 0.036);
  assert.ok(kubeBytes(requests.memory) >= 67 * MiB);
  // 110 MiB at 200 containers, a merge child, the viewer's 300 MB target in the same process.
  assert.ok(kubeBytes(limits.memory) >= 110 * MiB + 31e6 + 300e6);
  assert.match(
    commentOf(["spec", "template", "spec", "containers", 0, "resources"]),
    /bench\/README\.md.*ms\/s.*MiB/s,
  );
  assert.ok(pod.terminationGracePeriodSeconds >= 10);
  const env = container.env.find((e: { name: string }) => e.name === "DENO_V8_FLAGS");
  assert.equal(env.value, "--max-semi-space-size=1");
});

/** `[Section]` → key → values (a key may repeat), as systemd reads a unit file. */
export function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | null = null;
  for (const raw of text.replace(/\\\n/g, " ").split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = line.match(/^\[(.+)\]$/);
    if (header) {
      current = new Map();
      sections.set(header[1], current);
      continue;
    }
    const eq = line.indexOf("=");
    assert.ok(current !== null && eq > 0, `not a unit line: ${line}`);
    const key = line.slice(0, eq).trim();
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return sections;
}

Deno.test("REQ-DEP-030: the systemd unit: retention, disk budget, viewer on loopback, hardening", () => {
  const unit = parseUnit(Deno.readTextFileSync(UNIT));
  const service = unit.get("Service")!;
  const one = (key: string) => {
    const v = service.get(key);
    assert.ok(v !== undefined && v.length === 1, `${key}: ${v}`);
    return v[0];
  };
  const [exe, ...args] = one("ExecStart").split(/\s+/);
  assert.equal(exe, "/usr/local/bin/fgm");
  const parsed = parseCollectArgs(args.slice(1), () => undefined);
  assert.ok(parsed !== "help");
  assert.equal(args[0], "collect");
  assert.equal(parsed.out, "/var/lib/fgm");
  assert.equal(parsed.retentionMs, 7 * 86_400_000);
  assert.equal(parsed.maxDiskBytes, 2 * 1024 ** 3);
  assert.equal(parsed.view?.host, "127.0.0.1");
  assert.equal(one("StateDirectory"), "fgm"); // /var/lib/fgm, writable under ProtectSystem=strict
  assert.equal(one("ProtectSystem"), "strict");
  assert.equal(one("NoNewPrivileges"), "yes");
  assert.deepEqual(one("CapabilityBoundingSet").split(/\s+/).sort(), [
    "CAP_DAC_READ_SEARCH",
    "CAP_SYS_PTRACE",
  ]);
  assert.equal(service.get("ProtectProc"), undefined, "ProtectProc would hide processes");
  assert.equal(service.get("MemoryDenyWriteExecute"), undefined, "V8's JIT needs W^X off");
  assert.equal(one("KillSignal"), "SIGTERM");
  assert.equal(unit.get("Install")!.get("WantedBy")![0], "multi-user.target");
});

const analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].find((p) => {
  try {
    return Deno.statSync(p).isFile;
  } catch {
    return false;
  }
});

Deno.test({
  name: "REQ-DEP-031: systemd-analyze verifies the unit without a warning; exposure at most 3.0",
  ignore: !decideAvailability(
    analyze === undefined ? "systemd-analyze not installed (package systemd)" : null,
    Deno.env.get("CI") === "true",
  ),
  fn: async () => {
    // An alternative root with systemd's own units, the unit, and an executable fgm (a launcher
    // of this checkout's mod.ts), so that verify checks everything, ExecStart's binary included.
    const root = await Deno.makeTempDir({ prefix: "fgm-unit-" });
    try {
      await Deno.mkdir(`${root}/etc/systemd/system`, { recursive: true });
      await Deno.mkdir(`${root}/usr/local/bin`, { recursive: true });
      await Deno.mkdir(`${root}/usr/lib/systemd`, { recursive: true });
      await new Deno.Command("cp", {
        args: ["-r", "/usr/lib/systemd/system", `${root}/usr/lib/systemd/`],
      })
        .output();
      await Deno.copyFile(UNIT, `${root}/etc/systemd/system/fgm-collect.service`);
      await Deno.writeTextFile(
        `${root}/usr/local/bin/fgm`,
        `#!/bin/sh\nexec "${Deno.execPath()}" run -A "${ROOT}mod.ts" "$@"\n`,
        { mode: 0o755 },
      );
      const run = async (args: string[]) => {
        const r = await new Deno.Command(analyze!, {
          args: [`--root=${root}`, ...args],
          env: { SYSTEMD_COLORS: "0" },
          stdout: "piped",
          stderr: "piped",
        }).output();
        const text = (b: Uint8Array) => new TextDecoder().decode(b);
        return { code: r.code, stdout: text(r.stdout), stderr: text(r.stderr) };
      };
      const unitPath = `${root}/etc/systemd/system/fgm-collect.service`;
      const verify = await run(["--man=no", "verify", unitPath]);
      assert.equal(verify.code, 0, verify.stderr);
      assert.equal(verify.stderr.trim(), "", "no warning");
      const security = await run(["--offline=yes", "security", unitPath]);
      const m = security.stdout.match(/Overall exposure level for fgm-collect\.service: ([0-9.]+)/);
      assert.ok(m !== null, security.stdout + security.stderr);
      assert.ok(Number(m[1]) <= 3.0, `exposure ${m[1]}`);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("REQ-DEP-011: the Dockerfile compiles in one stage and runs the binary, non-root, in another", () => {
  const text = Deno.readTextFileSync(`${ROOT}deploy/Dockerfile`).replace(/\\\n/g, " ");
  const instructions = text.split("\n").map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(" ") };
    });
  const stages: { from: string; body: typeof instructions }[] = [];
  for (const i of instructions) {
    if (i.op === "FROM") stages.push({ from: i.args, body: [] });
    else stages.at(-1)?.body.push(i);
  }
  assert.equal(stages.length, 2);
  const [build, runtime] = stages;
  assert.match(build.from, / AS build$/);
  assert.ok(
    build.body.some((i) => i.op === "RUN" && /sh tools\/compile\.sh \/out\/fgm/.test(i.args)),
  );
  // The Deno that compiles is the one package.json pins.
  const pinned = JSON.parse(Deno.readTextFileSync(`${ROOT}package.json`)).devDependencies.deno;
  assert.ok(instructions.some((i) => i.op === "ARG" && i.args === `DENO_VERSION=${pinned}`));
  assert.ok(runtime.body.some((i) => i.op === "COPY" && /^--from=build \/out\/fgm /.test(i.args)));
  const user = runtime.body.filter((i) => i.op === "USER").at(-1)?.args ?? "root";
  assert.ok(!/^(0|root)(:|$)/.test(user), `runs as ${user}`);
  const entry = runtime.body.find((i) => i.op === "ENTRYPOINT")!;
  assert.deepEqual(JSON.parse(entry.args), ["/usr/local/bin/fgm"]);
  assert.ok(!runtime.body.some((i) => i.op === "RUN"), "nothing runs in the runtime stage");
});
