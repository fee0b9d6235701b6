import assert from "node:assert/strict";
import { type CgroupIdentity, cgroupPathElements, classifyCgroupPath } from "./classify.ts";

const ID = "3f1c5e2d9a7b4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6";
const UID = "6a2d4c1e-7b3f-4e9a-8c5d-0f1e2d3c4b5a";
const UID_ = UID.replaceAll("-", "_");

function expect(path: string, want: Partial<CgroupIdentity>) {
  const got = classifyCgroupPath(path);
  assert.ok(got, `${path} was not recognised`);
  const picked = Object.fromEntries(
    Object.keys(want).map((k) => [k, got[k as keyof CgroupIdentity]]),
  );
  assert.deepEqual(picked, want, path);
}

Deno.test("REQ-DSC-001: classifyCgroupPath() recognises Docker under both cgroup drivers", () => {
  expect(`/docker/${ID}`, {
    kind: "container",
    runtime: "docker",
    id: ID,
    podUid: null,
    qosClass: null,
    path: `/docker/${ID}`,
  });
  expect(`/system.slice/docker-${ID}.scope`, {
    kind: "container",
    runtime: "docker",
    id: ID,
    path: `/system.slice/docker-${ID}.scope`,
  });
  expect("/docker", { kind: "slice", runtime: "docker", id: null });
  expect("/system.slice/docker.service", {
    kind: "service",
    runtime: "systemd",
    id: "docker.service",
  });
});

Deno.test("REQ-DSC-002: classifyCgroupPath() reads pod UID and QoS from cgroupfs kubepods", () => {
  expect(`/kubepods/burstable/pod${UID}/${ID}`, {
    kind: "container",
    runtime: null,
    id: ID,
    podUid: UID,
    qosClass: "Burstable",
  });
  expect(`/kubepods/pod${UID}/${ID}`, {
    kind: "container",
    id: ID,
    podUid: UID,
    qosClass: "Guaranteed",
  });
  expect(`/kubepods/besteffort/pod${UID}/${ID}`, {
    kind: "container",
    id: ID,
    podUid: UID,
    qosClass: "BestEffort",
  });
  expect(`/kubepods/besteffort/pod${UID}`, {
    kind: "pod",
    id: UID,
    podUid: UID,
    qosClass: "BestEffort",
  });
  expect(`/kubepods/pod${UID}`, { kind: "pod", podUid: UID, qosClass: "Guaranteed" });
  expect("/kubepods/burstable", { kind: "slice", podUid: null, qosClass: "Burstable" });
  expect("/kubepods", { kind: "slice", podUid: null, qosClass: null });
  // Static pods have a 32-hex config hash as UID.
  expect(`/kubepods/burstable/pod0123456789abcdef0123456789abcdef/${ID}`, {
    kind: "container",
    podUid: "0123456789abcdef0123456789abcdef",
  });
  // kubelet --cgroup-root=/kubelet (kind on cgroup v1).
  expect(`/kubelet/kubepods/burstable/pod${UID}/${ID}`, {
    kind: "container",
    podUid: UID,
    qosClass: "Burstable",
  });
});

Deno.test("REQ-DSC-002: classifyCgroupPath() reads pod UID and QoS from systemd kubepods slices", () => {
  const burstable = `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice`;
  expect(`${burstable}/cri-containerd-${ID}.scope`, {
    kind: "container",
    runtime: "containerd",
    id: ID,
    podUid: UID,
    qosClass: "Burstable",
  });
  expect(`/kubepods.slice/kubepods-pod${UID_}.slice/cri-containerd-${ID}.scope`, {
    kind: "container",
    podUid: UID,
    qosClass: "Guaranteed",
  });
  expect(
    `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID_}.slice/docker-${ID}.scope`,
    { kind: "container", runtime: "docker", podUid: UID, qosClass: "BestEffort" },
  );
  expect(burstable, { kind: "pod", runtime: null, id: UID, podUid: UID, qosClass: "Burstable" });
  expect("/kubepods.slice/kubepods-burstable.slice", {
    kind: "slice",
    id: "kubepods-burstable.slice",
    qosClass: "Burstable",
    podUid: null,
  });
  expect("/kubepods.slice", { kind: "slice", qosClass: null });
  // kind with the systemd driver: --cgroup-root=/kubelet.slice.
  expect(
    `/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod${UID_}.slice/cri-containerd-${ID}.scope`,
    { kind: "container", runtime: "containerd", podUid: UID, qosClass: "BestEffort" },
  );
});

Deno.test("REQ-DSC-003: classifyCgroupPath() tells CRI-O containers from their conmon", () => {
  const pod = `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice`;
  expect(`${pod}/crio-${ID}.scope`, {
    kind: "container",
    runtime: "cri-o",
    id: ID,
    podUid: UID,
    qosClass: "Burstable",
  });
  expect(`${pod}/crio-conmon-${ID}.scope`, {
    kind: "conmon",
    runtime: "cri-o",
    id: ID,
    podUid: UID,
  });
  // cgroupfs manager
  expect(`/kubepods/burstable/pod${UID}/crio-${ID}`, {
    kind: "container",
    runtime: "cri-o",
    id: ID,
    podUid: UID,
    qosClass: "Burstable",
  });
  expect(`/kubepods/burstable/pod${UID}/crio-conmon-${ID}`, {
    kind: "conmon",
    runtime: "cri-o",
    id: ID,
  });
});

Deno.test("REQ-DSC-004: classifyCgroupPath() recognises podman under both cgroup drivers", () => {
  expect(`/machine.slice/libpod-${ID}.scope`, {
    kind: "container",
    runtime: "podman",
    id: ID,
  });
  expect(`/machine.slice/libpod-${ID}.scope/container`, {
    kind: "container",
    runtime: "podman",
    id: ID,
    path: `/machine.slice/libpod-${ID}.scope`,
  });
  expect(`/machine.slice/libpod-conmon-${ID}.scope`, { kind: "conmon", runtime: "podman", id: ID });
  expect(`/libpod_parent/libpod-${ID}`, { kind: "container", runtime: "podman", id: ID });
  expect("/libpod_parent/conmon", { kind: "conmon", runtime: "podman", id: null });
  expect("/libpod_parent", { kind: "slice", runtime: "podman" });
  expect(`/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID}.scope`, {
    kind: "container",
    runtime: "podman",
    id: ID,
  });
});

Deno.test("REQ-DSC-005: classifyCgroupPath() recognises plain containerd and runc paths", () => {
  expect("/default/redis-1", {
    kind: "container",
    runtime: "containerd",
    id: "redis-1",
    containerdNamespace: "default",
  });
  expect(`/k8s.io/${ID}`, { kind: "container", runtime: "containerd", id: ID });
  assert.equal(classifyCgroupPath("/fgm-test/redis-1"), null);
  assert.deepEqual(
    classifyCgroupPath("/fgm-test/redis-1", { containerdNamespaces: ["fgm-test"] })?.id,
    "redis-1",
  );
  // runc: systemd default unit, and any parent with a 64-hex id.
  expect("/system.slice/runc-mybox.scope", { kind: "container", runtime: "runc", id: "mybox" });
  expect(`/my/own/parent/${ID}`, { kind: "container", runtime: null, id: ID });
});

Deno.test("REQ-DSC-006: classifyCgroupPath() maps sub-cgroups to their container, nesting to the inner one", () => {
  expect(`/docker/${ID}/sub/deeper`, {
    kind: "container",
    runtime: "docker",
    id: ID,
    path: `/docker/${ID}`,
  });
  const inner = ID.split("").reverse().join("");
  expect(`/docker/${ID}/docker/${inner}`, { kind: "container", runtime: "docker", id: inner });
  expect(`/docker/${ID}/kubepods/besteffort/pod${UID}/${inner}`, {
    kind: "container",
    id: inner,
    podUid: UID,
    qosClass: "BestEffort",
  });
  // systemd inside a container (a kind node): its units belong to the container.
  expect(`/system.slice/docker-${ID}.scope/init.scope`, {
    kind: "container",
    id: ID,
    path: `/system.slice/docker-${ID}.scope`,
  });
  expect(`/system.slice/docker-${ID}.scope/kubelet.slice/kubelet.service`, {
    kind: "container",
    id: ID,
  });
  expect(`/system.slice/docker-${ID}.scope/kubelet.slice/kubelet-kubepods.slice`, {
    kind: "slice",
    id: "kubelet-kubepods.slice",
  });
});

Deno.test("REQ-DSC-007: classifyCgroupPath() handles the root, namespaces and deleted cgroups", () => {
  // Inside a container with its own cgroup namespace every hierarchy prints "/".
  assert.equal(classifyCgroupPath("/"), null);
  assert.equal(classifyCgroupPath(""), null);
  // This machine's own sandbox cgroup is not a container layout.
  assert.equal(classifyCgroupPath("/process_api/fb442b6a00efb92a9d29fdcb5c199e46"), null);
  // Outside the reader's cgroup namespace.
  expect(`/../../kubepods/besteffort/pod${UID}/${ID}`, {
    kind: "container",
    id: ID,
    podUid: UID,
    qosClass: "BestEffort",
    path: `/kubepods/besteffort/pod${UID}/${ID}`,
  });
  expect(`/system.slice/docker-${ID}.scope (deleted)`, { kind: "container", id: ID });
  expect("/system.slice/sshd.service", { kind: "service", runtime: "systemd", id: "sshd.service" });
  expect("/user.slice/user-1000.slice/session-2.scope", { kind: "service", id: "session-2.scope" });
  expect("/system.slice", { kind: "slice", runtime: "systemd", id: "system.slice" });
});

Deno.test("cgroupPathElements() normalises dots, slashes and (deleted)", () => {
  assert.deepEqual(cgroupPathElements("/a//b/./c/../d/"), ["a", "b", "d"]);
  assert.deepEqual(cgroupPathElements("/../../x"), ["x"]);
  assert.deepEqual(cgroupPathElements("/a (deleted)"), ["a"]);
});
