/**
 * The image as the DaemonSet runs it (REQ-DEP-003, 005, 010, 020 … 022): built offline by
 * `tools/image.ts`, loaded into a private dockerd, and run with exactly the security context,
 * host namespaces, read-only mounts, environment, arguments and limits of
 * `deploy/daemonset.yaml` (parsed with the `yaml` package and translated by
 * `support/pod_to_docker.ts`) beside three docker containers and a Kubernetes pod's container
 * in a private containerd, whose names, pods, CPU, memory, throttling and processes it must
 * record; then with one capability fewer, to show what each one gives.
 */

import { lockMachine } from "./support/machine_lock.ts";
import assert from "node:assert/strict";
import { parseAllDocuments } from "yaml";
import { requireRuntime } from "./support/available.ts";
import { DOCKER_IMAGE, type DockerDaemon, startDockerd } from "./support/dockerd.ts";
import { type ContainerdDaemon, startContainerd } from "./support/containerd.ts";
import { queryParquet, sqlString } from "./support/duckdb.ts";
import { runCommand } from "./support/command.ts";
import { removeTempDir } from "./support/mounts.ts";
import {
  daemonSetPodSpec,
  type DockerRun,
  mountPointsUnder,
  podToDocker,
} from "./support/pod_to_docker.ts";
import { buildImage } from "../tools/image.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const MANIFEST = `${ROOT}deploy/daemonset.yaml`;
const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Capability bits of /proc/<pid>/status (`include/uapi/linux/capability.h`). */
const CAP_BITS: Record<string, number> = { DAC_READ_SEARCH: 2, SYS_PTRACE: 19 };

interface Run {
  name: string;
  plan: DockerRun;
  data: string;
  pid: number;
  exitCode: number;
  stopMs: number;
  logs: string;
  status: string;
  mountinfo: string;
  pidNamespace: string;
  tcp: string;
  health: string;
}

/** Runs fgm as the DaemonSet's pod; inspects it from the host while it runs; stops it. */
async function runAsPod(
  daemon: DockerDaemon,
  dir: string,
  image: string,
  name: string,
  withoutCapabilities: string[],
): Promise<Run> {
  const docs = parseAllDocuments(await Deno.readTextFile(MANIFEST)).map((d) => d.toJS());
  const data = `${dir}/${name}-data`;
  await Deno.mkdir(data);
  let empty = 0;
  const plan = podToDocker(daemonSetPodSpec(docs), {
    image,
    nodeName: "test-node",
    podName: `fgm-${name}`,
    withoutCapabilities,
    submounts: (source) => mountPointsUnder(Deno.readTextFileSync("/proc/self/mountinfo"), source),
    hostPath: (path) => {
      if (path === "/proc" || path === "/sys") return { source: path };
      if (path === "/var/lib/fgm") return { source: data };
      if (path === "/run/containerd") {
        // The private containerd's state, where the manifest mounts the node's: fgm finds the
        // pod containers' bundles at containerd's default location under --host-root.
        return { source: `${dir}/containerd-state` };
      }
      if (path === "/var/lib/docker/containers") {
        // The private dockerd's containers, shared (HostToContainer needs a shared source),
        // where fgm finds them: under --host-root at the data root dockerd was started with.
        return { source: `${dir}/docker-containers`, nodePath: `${daemon.dataRoot}/containers` };
      }
      // Another runtime's state: an empty directory (nothing of this machine's is exposed).
      const e = `${dir}/empty-${name}-${empty++}`;
      Deno.mkdirSync(e);
      return { source: e };
    },
  });
  await daemon.docker(["run", "-d", "--name", `fgm-${name}`, ...plan.flags, image, ...plan.args]);
  const pid = Number(
    (await daemon.docker(["inspect", "-f", "{{.State.Pid}}", `fgm-${name}`])).stdout.trim(),
  );
  // Let it sample for a while (1 Hz), then look at it from the host.
  for (let i = 0; i < 100; i++) {
    const logs = await daemon.docker(["logs", `fgm-${name}`]);
    if (/fgm view: http/.test(logs.stderr + logs.stdout)) break;
    await sleep(100);
  }
  await sleep(6000);
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const mountinfo = Deno.readTextFileSync(`/proc/${pid}/mountinfo`);
  const pidNamespace = Deno.readLinkSync(`/proc/${pid}/ns/pid`);
  const tcp = Deno.readTextFileSync(`/proc/${pid}/net/tcp`) +
    Deno.readTextFileSync(`/proc/${pid}/net/tcp6`);
  // What `kubectl port-forward` does: connect to the port from inside the pod's network namespace.
  const health = (await runCommand("nsenter", [
    `--net=/proc/${pid}/ns/net`,
    "/bin/busybox",
    "wget",
    "-q",
    "-O",
    "-",
    "http://127.0.0.1:8050/api/health",
  ], { check: false })).stdout;
  const started = performance.now();
  await daemon.docker(["stop", "-t", String(plan.stopTimeoutSeconds), `fgm-${name}`], {
    timeoutMs: (plan.stopTimeoutSeconds + 30) * 1000,
  });
  const stopMs = performance.now() - started;
  const exitCode = Number(
    (await daemon.docker(["inspect", "-f", "{{.State.ExitCode}}", `fgm-${name}`])).stdout.trim(),
  );
  const logs = await daemon.docker(["logs", `fgm-${name}`]);
  return {
    name,
    plan,
    data,
    pid,
    exitCode,
    stopMs,
    logs: logs.stdout + logs.stderr,
    status,
    mountinfo,
    pidNamespace,
    tcp,
    health,
  };
}

/** Rows of one table of a run, read by DuckDB. */
function table(run: Run, name: string, sql: string) {
  return queryParquet(
    sql.replace(
      "{T}",
      `read_parquet(${sqlString(`${run.data}/${name}/**/*.parquet`)}, hive_partitioning = true)`,
    ),
  );
}

Deno.test({
  name:
    "REQ-DEP-020: the image runs with exactly the DaemonSet's security context and records other containers",
  ignore: !requireRuntime("docker") || !requireRuntime("containerd"),
  sanitizeResources: false,
  fn: async (t) => {
    // It asserts on what the recording holds: no other test's containers meanwhile.
    await using _machine = await lockMachine("exclusive");
    const dir = await Deno.makeTempDir({ prefix: "fgm-image-test-" });
    let daemon: DockerDaemon | null = null;
    let containerd: ContainerdDaemon | null = null;
    try {
      const image = await buildImage({ out: `${dir}/fgm-image.tar`, tag: "fgm:test" });
      daemon = await startDockerd();
      await daemon.docker(["load", "-i", image.archive]);
      await Deno.remove(image.archive);

      await t.step("REQ-DEP-010: the image is fgm, non-root by default", async () => {
        const version = await daemon!.docker([
          "run",
          "--rm",
          "--network",
          "none",
          image.tag,
          "--version",
        ]);
        const viaDeno = await runCommand(Deno.execPath(), [
          "run",
          "-A",
          `${ROOT}mod.ts`,
          "--version",
        ]);
        assert.equal(version.stdout, viaDeno.stdout);
        const user = await daemon!.docker([
          "image",
          "inspect",
          "-f",
          "{{.Config.User}}",
          image.tag,
        ]);
        assert.equal(user.stdout.trim(), "65532:65532");
      });
      // HostToContainer (rslave) needs a shared or slave source mount: the test's directory is
      // made one, and the private dockerd's containers directory is bound into it.
      await runCommand("mount", ["--bind", dir, dir]);
      await runCommand("mount", ["--make-shared", dir]);
      await Deno.mkdir(`${dir}/docker-containers`);
      await runCommand("mount", [
        "--bind",
        `${daemon.dataRoot}/containers`,
        `${dir}/docker-containers`,
      ]);
      containerd = await startContainerd();
      await Deno.mkdir(`${dir}/containerd-state`);
      await runCommand("mount", ["--bind", containerd.state, `${dir}/containerd-state`]);

      // The node's workload: a throttled busy loop, a container holding 24 MiB, one run as a user.
      await daemon.run({ name: "busy", cpus: 0.2, memory: "64m" });
      await daemon.run({
        name: "holder",
        memory: "128m",
        cmd: ["sh", "-c", "dd if=/dev/zero of=/dev/shm/blob bs=1M count=24; sleep 3600; true"],
      });
      await daemon.docker([
        "run",
        "-d",
        "--network",
        "none",
        "--user",
        "1000:1000",
        "--name",
        "user1000",
        DOCKER_IMAGE,
        "sh",
        "-c",
        "sleep 3600; true",
      ]);

      // And a Kubernetes pod's container (CRI annotations in its bundle, kubelet's cgroup path).
      await containerd.runKube({
        podName: "web-0",
        podNamespace: "shop",
        containerName: "app",
        cpus: 0.1,
        memory: "32m",
      });

      // The DaemonSet as it is, and with each added capability left out, side by side.
      const [full, noPtrace, noDac] = await Promise.all([
        runAsPod(daemon, dir, image.tag, "full", []),
        runAsPod(daemon, dir, image.tag, "no-ptrace", ["SYS_PTRACE"]),
        runAsPod(daemon, dir, image.tag, "no-dac", ["DAC_READ_SEARCH"]),
      ]);

      const notice = (run: Run) =>
        run.logs.split("\n").filter((l) => /cannot read \/proc\/<pid>\/io of/.test(l));
      const hostDenied = [...Deno.readDirSync("/proc")].filter((e) => /^[0-9]+$/.test(e.name))
        .filter((e) => {
          try {
            Deno.readFileSync(`/proc/${e.name}/io`);
            return false;
          } catch (error) {
            return error instanceof Deno.errors.PermissionDenied;
          }
        }).map((e) => e.name);

      await t.step("REQ-DEP-021: the container had the DaemonSet's privileges and no more", () => {
        const field = (name: string) =>
          full.status.match(new RegExp(`^${name}:\\s*(\\S+)`, "m"))![1];
        const want = (1n << BigInt(CAP_BITS.SYS_PTRACE)) | (1n << BigInt(CAP_BITS.DAC_READ_SEARCH));
        assert.equal(BigInt(`0x${field("CapEff")}`), want, "effective capabilities");
        assert.equal(BigInt(`0x${field("CapBnd")}`), want, "bounding set");
        assert.equal(field("NoNewPrivs"), "1");
        assert.equal(field("Seccomp"), "2", "a seccomp filter (docker's default profile)");
        assert.match(full.status, /^Uid:\s+0\s/m);
        // Host PID namespace: the container's PID is the host's, and it sees the host's init.
        assert.equal(full.pidNamespace, Deno.readLinkSync("/proc/self/ns/pid"));
        // Read-only root and every host mount read-only, submounts (cgroup controllers) too.
        const mounts = full.mountinfo.split("\n").filter((l) => l).map((l) => {
          const f = l.split(" ");
          return { point: f[4], options: f[5].split(",") };
        });
        assert.ok(mounts.find((m) => m.point === "/")!.options.includes("ro"), "root read-only");
        // The last mount at a point is the one seen there (the copy of a submount that the
        // recursive bind brought along is covered by its read-only bind).
        const visible = new Map(mounts.map((m) => [m.point, m]));
        const host = [...visible.values()].filter((m) => m.point.startsWith("/host/"));
        assert.ok(host.some((m) => m.point === "/host/sys/fs/cgroup/cpu"), full.mountinfo);
        for (const m of host) assert.ok(m.options.includes("ro"), `${m.point} is not read-only`);
        const data = mounts.find((m) => m.point === "/data")!;
        assert.ok(data.options.includes("rw"), "/data is the one writable mount");
      });

      await t.step("REQ-DEP-003: the viewer listens on the pod's loopback only", () => {
        // /proc/net/tcp: local address 0100007F:1F72 (127.0.0.1:8050), state 0A (LISTEN).
        const listening = full.tcp.split("\n").filter((l) => / 0A /.test(l)).map((l) =>
          l.trim().split(/\s+/)[1]
        );
        assert.ok(listening.includes("0100007F:1F72"), full.tcp);
        assert.ok(listening.every((a) => a.startsWith("0100007F:")), `not loopback: ${listening}`);
        assert.match(full.health, /"ok"|status/, `port-forward path: ${full.health}`);
      });

      await t.step("REQ-DEP-005: SIGTERM within the grace period flushes and exits 0", () => {
        assert.equal(full.exitCode, 0, full.logs);
        assert.ok(full.stopMs < full.plan.stopTimeoutSeconds * 1000, `stop took ${full.stopMs} ms`);
        // With both capabilities, the only processes fgm may not read are those the host's own
        // root may not read either (here: the sandbox's init, which holds a capability that this
        // machine's root lacks); the notice names no missing capability then.
        const line = notice(full)[0];
        if (line !== undefined) {
          assert.doesNotMatch(line, /missing/);
          const denied = Number(line.match(/\/io of (\d+) of/)![1]);
          assert.ok(denied <= hostDenied.length, `${line}; the host's root: ${hostDenied}`);
        }
      });

      await t.step("REQ-DEP-020: containers, CPU, memory and throttling recorded", async () => {
        const rows = await table(
          full,
          "containers",
          `SELECT container_name AS name, count(*)::INT AS n,
                  median(cpu_usage_millicores) AS cpu, max(cpu_limit_millicores) AS cpu_limit,
                  max(cpu_throttled_periods) AS throttled, max(memory_usage_bytes) AS mem,
                  max(memory_limit_bytes) AS mem_limit, max(pids) AS pids
           FROM {T} GROUP BY 1 ORDER BY 1`,
        );
        const by = new Map(rows.map((r) => [r.name as string, r]));
        for (const name of ["busy", "holder", "user1000"]) {
          assert.ok((by.get(name)?.n as number) >= 4, `${name}: ${Deno.inspect(rows)}`);
        }
        const busy = by.get("busy")!;
        // A busy loop held at 200m by its quota (less when this 2-core machine is contended).
        assert.ok(Number(busy.cpu) > 100 && Number(busy.cpu) <= 220, `busy CPU ${busy.cpu}m`);
        assert.equal(Number(busy.cpu_limit), 200);
        assert.ok(Number(busy.throttled) > 0, "busy is throttled");
        assert.equal(Number(busy.mem_limit), 64 * MiB);
        assert.equal(Number(busy.pids), 3);
        const holder = by.get("holder")!;
        assert.ok(Number(holder.mem) >= 24 * MiB, `holder holds ${holder.mem} B`);
        assert.equal(Number(holder.mem_limit), 128 * MiB);
        assert.ok(Number(by.get("fgm-full")?.mem ?? 0) > 0, "fgm records its own container");
        const pod = await table(
          full,
          "containers",
          `SELECT DISTINCT container_name, pod_name, namespace, qos_class, runtime,
                  cpu_limit_millicores::INT AS cpu_limit FROM {T} WHERE pod_name IS NOT NULL`,
        );
        assert.deepEqual(pod, [{
          container_name: "app",
          pod_name: "web-0",
          namespace: "shop",
          qos_class: "Burstable",
          runtime: "containerd",
          cpu_limit: 100,
        }]);
      });

      const processColumns = async (run: Run) =>
        await table(
          run,
          "processes",
          `SELECT c.container_name AS name, p.comm, count(*)::INT AS n,
                  count(p.cpu_usage_millicores)::INT AS cpu, count(p.memory_rss_bytes)::INT AS rss,
                  count(p.fds)::INT AS fds, count(p.io_read_bytes)::INT AS io,
                  count(p.memory_pss_bytes)::INT AS pss
           FROM {T} p JOIN (SELECT DISTINCT container_id, container_name FROM ${`read_parquet(${
            sqlString(`${run.data}/containers/**/*.parquet`)
          })`}) c USING (container_id)
           WHERE c.container_name IN ('busy', 'holder', 'user1000')
           GROUP BY 1, 2 ORDER BY 1, 2`,
        );

      await t.step("REQ-DEP-020: processes recorded with io, fds and PSS", async () => {
        const rows = await processColumns(full);
        const names = rows.map((r) => `${r.name}/${r.comm}`);
        assert.deepEqual(
          [...new Set(names)],
          ["busy/sh", "busy/sleep", "holder/sh", "holder/sleep", "user1000/sh", "user1000/sleep"],
        );
        for (const r of rows) {
          assert.ok((r.cpu as number) > 0 && (r.rss as number) > 0, Deno.inspect(r));
          assert.ok((r.fds as number) > 0 && (r.io as number) > 0, `${Deno.inspect(r)}`);
          assert.ok((r.pss as number) > 0, `PSS of ${r.name}/${r.comm}`);
        }
      });

      await t.step(
        "REQ-DEP-022: without SYS_PTRACE, io and PSS are lost and fgm says so in one line",
        async () => {
          assert.equal(noPtrace.exitCode, 0, noPtrace.logs);
          const lines = notice(noPtrace);
          assert.equal(lines.length, 1, noPtrace.logs);
          assert.match(lines[0], /^fgm collect: .*missing CAP_SYS_PTRACE\b/);
          for (const r of await processColumns(noPtrace)) {
            // CPU and RSS come from world-readable stat, the fd count from the size of the fd
            // directory (Linux 6.2+); io and smaps_rollup need ptrace read access.
            assert.ok((r.cpu as number) > 0 && (r.rss as number) > 0, Deno.inspect(r));
            assert.ok((r.fds as number) > 0, `fds of ${r.name}/${r.comm}`);
            assert.equal(r.io, 0, `io of ${r.name}/${r.comm}`);
            assert.equal(r.pss, 0, `PSS of ${r.name}/${r.comm}`);
          }
        },
      );

      await t.step(
        "REQ-DEP-022: without DAC_READ_SEARCH, other users' processes are lost",
        async () => {
          assert.equal(noDac.exitCode, 0, noDac.logs);
          const lines = notice(noDac);
          assert.equal(lines.length, 1, noDac.logs);
          assert.match(lines[0], /missing CAP_DAC_READ_SEARCH\b/);
          for (const r of await processColumns(noDac)) {
            const lost = r.name === "user1000";
            // io is mode 0400 and fd/ 0500, owned by the process's user; smaps_rollup is 0444.
            assert.ok((r.cpu as number) > 0 && (r.pss as number) > 0, Deno.inspect(r));
            assert.equal((r.io as number) === 0, lost, `io of ${r.name}/${r.comm}`);
            assert.equal((r.fds as number) === 0, lost, `fds of ${r.name}/${r.comm}`);
          }
        },
      );
    } finally {
      await daemon?.stop();
      await containerd?.stop();
      await removeTempDir(dir);
    }
  },
});
