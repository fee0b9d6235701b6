import assert from "node:assert/strict";
import { kubeBytes, kubeCpu, mountPointsUnder, podToDocker } from "./pod_to_docker.ts";

const pod = {
  hostPID: true,
  terminationGracePeriodSeconds: 20,
  containers: [{
    name: "c",
    image: "x",
    args: ["collect", "--identifier=$(NODE_NAME)", "--keep=$(UNKNOWN)"],
    env: [
      { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
      { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      { name: "A", value: "b" },
    ],
    securityContext: {
      runAsUser: 0,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"], add: ["SYS_PTRACE", "DAC_READ_SEARCH"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
    resources: { limits: { cpu: "500m", memory: "512Mi" } },
    volumeMounts: [
      { name: "sys", mountPath: "/host/sys", readOnly: true, recursiveReadOnly: "IfPossible" },
      {
        name: "state",
        mountPath: "/host/root/var/lib/docker/containers",
        readOnly: true,
        mountPropagation: "HostToContainer",
      },
      { name: "data", mountPath: "/data" },
    ],
  }],
  volumes: [
    { name: "sys", hostPath: { path: "/sys" } },
    { name: "state", hostPath: { path: "/var/lib/docker/containers" } },
    { name: "data", hostPath: { path: "/var/lib/fgm" } },
  ],
};

const options = {
  image: "fgm:test",
  nodeName: "n1",
  podName: "p1",
  hostPath: (path: string) =>
    path === "/var/lib/docker/containers"
      ? { source: "/tmp/s", nodePath: "/tmp/d/data/containers" }
      : path === "/var/lib/fgm"
      ? { source: "/tmp/data" }
      : { source: path },
  submounts: (source: string) => source === "/sys" ? ["/sys/fs/cgroup", "/sys/fs/cgroup/cpu"] : [],
};

Deno.test("REQ-DEP-020: a pod's security context, mounts, env and args as docker run flags", () => {
  const run = podToDocker(pod, options);
  assert.deepEqual(run.flags, [
    "--pid",
    "host",
    "--network",
    "none",
    "--user",
    "0:0",
    "--security-opt",
    "no-new-privileges",
    "--read-only",
    "--cap-drop",
    "ALL",
    "--cap-add",
    "SYS_PTRACE",
    "--cap-add",
    "DAC_READ_SEARCH",
    "--cpus",
    "0.5",
    "--memory",
    String(512 * 1024 * 1024),
    "-e",
    "NODE_NAME=n1",
    "-e",
    "POD_NAME=p1",
    "-e",
    "A=b",
    "--mount",
    "type=bind,source=/sys,target=/host/sys,readonly",
    "--mount",
    "type=bind,source=/sys/fs/cgroup,target=/host/sys/fs/cgroup,readonly",
    "--mount",
    "type=bind,source=/sys/fs/cgroup/cpu,target=/host/sys/fs/cgroup/cpu,readonly",
    "--mount",
    "type=bind,source=/tmp/s,target=/host/root/tmp/d/data/containers,readonly,bind-propagation=rslave",
    "--mount",
    "type=bind,source=/tmp/data,target=/data",
  ]);
  assert.deepEqual(run.args, ["collect", "--identifier=n1", "--keep=$(UNKNOWN)"]);
  assert.equal(run.stopTimeoutSeconds, 20);
  assert.equal(run.image, "fgm:test");
  const fewer = podToDocker(pod, { ...options, withoutCapabilities: ["SYS_PTRACE"] });
  assert.ok(!fewer.flags.includes("SYS_PTRACE"));
  assert.ok(fewer.flags.includes("DAC_READ_SEARCH"));
});

Deno.test("REQ-DEP-020: what the translation does not know is refused, never skipped", () => {
  const c = pod.containers[0];
  const withSc = (sc: Record<string, unknown>) => ({
    ...pod,
    containers: [{ ...c, securityContext: { ...c.securityContext, ...sc } }],
  });
  assert.throws(() => podToDocker(withSc({ procMount: "Unmasked" }), options), /procMount/);
  assert.throws(
    () => podToDocker(withSc({ seccompProfile: { type: "Localhost" } }), options),
    /seccompProfile Localhost/,
  );
  assert.throws(() => podToDocker({ ...pod, hostUsers: false }, options), /hostUsers/);
  assert.throws(
    () =>
      podToDocker(
        { ...pod, volumes: [...pod.volumes.slice(0, 2), { name: "data", emptyDir: {} }] },
        options,
      ),
    /only hostPath/,
  );
  assert.ok(podToDocker(withSc({ privileged: true }), options).flags.includes("--privileged"));
});

Deno.test("REQ-DEP-020: quantities and mount points", () => {
  assert.equal(kubeCpu("50m"), 0.05);
  assert.equal(kubeCpu(2), 2);
  assert.equal(kubeBytes("128Mi"), 128 * 1024 * 1024);
  assert.equal(kubeBytes("1G"), 1e9);
  assert.equal(kubeBytes(1000), 1000);
  assert.throws(() => kubeBytes("1 GiB"), /quantity/);
  const info = [
    "22 26 0:21 / /sys rw,relatime - sysfs sysfs rw",
    "30 22 0:25 / /sys/fs/cgroup rw - tmpfs tmpfs rw",
    "31 30 0:26 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu",
    "40 26 0:30 / /sysx rw - tmpfs tmpfs rw",
    "41 26 0:31 / /tmp/a\\040b rw - tmpfs tmpfs rw",
  ].join("\n");
  assert.deepEqual(mountPointsUnder(info, "/sys"), ["/sys/fs/cgroup", "/sys/fs/cgroup/cpu"]);
  assert.deepEqual(mountPointsUnder(info, "/tmp"), ["/tmp/a b"]);
});
