import assert from "node:assert/strict";
import { kubeContainerCgroupPath, kubePodCgroupPath } from "./kubepods.ts";

const podUid = "1b2c3d4e-0000-4000-8000-00000000abcd";
const containerId = "c14265b247929d4320c52d7542ab06e1ba628bf15ea2e48b55f5ba1cef66d661";

Deno.test("REQ-TST-004: kubeContainerCgroupPath() follows kubelet's cgroupfs layout", () => {
  assert.equal(
    kubeContainerCgroupPath({ driver: "cgroupfs", qos: "Burstable", podUid, containerId }),
    `/kubepods/burstable/pod${podUid}/${containerId}`,
  );
  assert.equal(
    kubeContainerCgroupPath({ driver: "cgroupfs", qos: "BestEffort", podUid, containerId }),
    `/kubepods/besteffort/pod${podUid}/${containerId}`,
  );
  assert.equal(
    kubeContainerCgroupPath({ driver: "cgroupfs", qos: "Guaranteed", podUid, containerId }),
    `/kubepods/pod${podUid}/${containerId}`,
  );
});

Deno.test("REQ-TST-004: kubeContainerCgroupPath() follows kubelet's systemd layout", () => {
  const uid = "1b2c3d4e_0000_4000_8000_00000000abcd";
  assert.equal(
    kubeContainerCgroupPath({ driver: "systemd", qos: "Burstable", podUid, containerId }),
    `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uid}.slice/cri-containerd-${containerId}.scope`,
  );
  assert.equal(
    kubePodCgroupPath({ driver: "systemd", qos: "BestEffort", podUid }),
    `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${uid}.slice`,
  );
  assert.equal(
    kubeContainerCgroupPath({
      driver: "systemd",
      qos: "Guaranteed",
      podUid,
      containerId,
      scopePrefix: "crio",
    }),
    `/kubepods.slice/kubepods-pod${uid}.slice/crio-${containerId}.scope`,
  );
});
