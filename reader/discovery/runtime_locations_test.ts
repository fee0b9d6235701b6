import assert from "node:assert/strict";
import { createHandleFs } from "../handle_fs.ts";
import { parseCmdline } from "../parse/proc_pid_cmdline.ts";
import {
  DEFAULT_LOCATIONS,
  findRuntimeLocations,
  flagValue,
  parseConmonArgs,
  parseTomlStrings,
} from "./runtime_locations.ts";
import { FIXTURES, rootsOf } from "./testing_fixtures.ts";

Deno.test("REQ-DSC-040: flagValue() reads Go-style flags in every spelling", () => {
  const args = ["--data-root", "/a", "--exec-root=/b", "-g", "/c", "-c=/d", "--", "--root", "/e"];
  assert.equal(flagValue(args, ["exec-root"]), "/b");
  assert.equal(flagValue(args, ["data-root", "g", "graph"]), "/c", "the last occurrence wins");
  assert.equal(flagValue(args, ["c", "config"]), "/d");
  assert.equal(flagValue(args, ["root"]), null, "nothing after --");
  assert.equal(flagValue(["--state"], ["state"]), null, "a flag without value");
});

Deno.test("REQ-DSC-040: parseTomlStrings() reads top-level and table string keys", () => {
  const toml = [
    "# containerd",
    "version = 2",
    'root = "/var/lib/x"',
    "state = '/run/x' # literal",
    'disabled_plugins = ["cri"]',
    "",
    "[crio]",
    '  root = "/var/lib/crio\\u0021"',
    '  runroot = "/run/crio"',
    '[plugins."io.containerd.grpc.v1.cri".containerd]',
    '  snapshotter = "overlayfs"',
  ].join("\n");
  const map = parseTomlStrings(toml);
  assert.equal(map.get("root"), "/var/lib/x");
  assert.equal(map.get("state"), "/run/x");
  assert.equal(map.get("crio.root"), "/var/lib/crio!");
  assert.equal(map.get("crio.runroot"), "/run/crio");
  assert.equal(map.get("plugins.io.containerd.grpc.v1.cri.containerd.snapshotter"), "overlayfs");
  assert.equal(map.has("version"), false);
  assert.equal(map.has("disabled_plugins"), false);
});

Deno.test("REQ-DSC-041: parseConmonArgs() reads a real podman conmon command line", () => {
  const tree = "podman_cgroupfs_v1/proc/15293/cmdline";
  const args = parseCmdline(Deno.readTextFileSync(FIXTURES + tree)).slice(1);
  const id = "21c1cf40421aba1439e65c173371987c6a1486de8e0abc0bf4ccec810addb0fc";
  const dir = "/tmp/fgm-podman-26d34ab9fdfc7702";
  assert.deepEqual(parseConmonArgs(15293, args), {
    pid: 15293,
    containerId: id,
    bundle: `${dir}/root/overlay-containers/${id}/userdata`,
    name: "fgm-pod-web",
    pidFile: `${dir}/runroot/overlay-containers/${id}/userdata/pidfile`,
    runtime: "podman",
  });
  assert.equal(parseConmonArgs(1, ["--api-version", "1"]), null);
});

Deno.test("REQ-DSC-042: findRuntimeLocations() reads a private dockerd's flags and its containerd's config", () => {
  const fs = createHandleFs();
  try {
    const tmp = "/tmp/fgm-dockerd-aa59b8991bc39193";
    const found = findRuntimeLocations(fs, rootsOf("docker_hybrid"));
    assert.deepEqual(found.docker, [
      ...DEFAULT_LOCATIONS.docker,
      { dataRoot: `${tmp}/data`, execRoot: `${tmp}/exec` },
    ]);
    assert.deepEqual(found.containerd, [
      ...DEFAULT_LOCATIONS.containerd,
      { root: `${tmp}/data/containerd/daemon`, state: `${tmp}/exec/containerd/daemon` },
    ]);
    assert.deepEqual(found.conmon, []);
    assert.ok(
      !found.docker.some((d) => d.dataRoot === "/home/mallory/docker"),
      "a dockerd run by UID 1000 is not believed",
    );
    const trusting = findRuntimeLocations(fs, rootsOf("docker_hybrid"), { trustedUids: [0, 1000] });
    assert.deepEqual(trusting.docker.at(-1), {
      dataRoot: "/home/mallory/docker",
      execRoot: "/var/run/docker",
    });
  } finally {
    fs.close();
  }
});

Deno.test("REQ-DSC-042: findRuntimeLocations() reads containerd --config, crio flags and conmon", () => {
  const fs = createHandleFs();
  try {
    const found = findRuntimeLocations(fs, rootsOf("k8s_systemd_v2"));
    assert.deepEqual(found.containerd.at(-1), {
      root: "/var/lib/fgm-containerd",
      state: "/run/fgm-containerd",
    });
    assert.deepEqual(found.containersStorage.at(-1), {
      graphRoot: "/var/lib/fgm-crio",
      runRoot: "/run/fgm-crio",
    });
    assert.equal(found.conmon.length, 1);
    assert.equal(found.conmon[0].runtime, "cri-o");
    assert.equal(found.conmon[0].containerId, "e5".repeat(32));

    const podman = findRuntimeLocations(fs, rootsOf("podman_cgroupfs_v1"));
    assert.deepEqual(podman.containersStorage.at(-1), {
      graphRoot: "/tmp/fgm-podman-26d34ab9fdfc7702/root",
      runRoot: "/tmp/fgm-podman-26d34ab9fdfc7702/runroot",
    });
  } finally {
    fs.close();
  }
});
