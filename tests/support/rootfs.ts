/**
 * Builds the busybox root file system that every test container runs, from the statically linked
 * `/bin/busybox` of Debian's `busybox-static` (no registry is reachable, so images are made here).
 *
 * The result is built once and cached under `<cache root>/busybox-<version>-<sha>-v<layout>/`:
 * - `rootfs/`: `/bin/busybox`, one symlink per applet at the path `busybox --list-full` gives
 *   (`bin/sh`, `sbin/ifconfig`, `usr/bin/[`, …), `/etc/passwd`, `/etc/group` and empty `proc`,
 *   `sys`, `dev`, `tmp`, `root`, `run`, `var` mount points;
 * - `rootfs.tar`: that tree as a tarball, for `docker import` and `podman import`;
 * - `oci-image.tar`: an OCI image layout archive (one uncompressed layer) named
 *   {@linkcode BUSYBOX_IMAGE_REF}, for `ctr images import`, which does not take a bare rootfs.
 *
 * @module
 */

import { runCommand } from "./command.ts";

/** The name every helper gives the busybox image. */
export const BUSYBOX_IMAGE_REF = "docker.io/library/fgm-busybox:latest";

/** Bumped whenever the built layout changes, so that stale caches are not reused. */
const LAYOUT_VERSION = 2;

/** A built (or cached) busybox root file system and its image archives. */
export interface BusyboxRootfs {
  /** Directory of the unpacked rootfs. Shared by every test: mount it read-only, never write. */
  rootfsDir: string;
  /** Tarball of {@linkcode BusyboxRootfs.rootfsDir} (for `docker import`, `podman import`). */
  rootfsTar: string;
  /** OCI image layout archive named {@linkcode BUSYBOX_IMAGE_REF} (for `ctr images import`). */
  ociArchive: string;
  /** The image name inside {@linkcode BusyboxRootfs.ociArchive}. */
  imageRef: string;
  /** Busybox version string, e.g. `1.35.0 (Debian 1:1.35.0-4+deb12u1+b1)`. */
  version: string;
  /** The cache directory holding all of the above. */
  cacheDir: string;
}

/** Options for {@linkcode busyboxRootfs}. */
export interface BusyboxRootfsOptions {
  /** The static busybox binary to copy. */
  busybox?: string;
  /** Directory under which versioned caches are kept. */
  cacheRoot?: string;
}

/** The default cache root: `$FGM_TEST_CACHE`, else `$TMPDIR/fgm-test-cache`, else `/tmp/...`. */
export function defaultCacheRoot(): string {
  return Deno.env.get("FGM_TEST_CACHE") ??
    `${Deno.env.get("TMPDIR") ?? "/tmp"}/fgm-test-cache`;
}

/**
 * Returns the busybox rootfs, building it on first use. Safe to call concurrently from several
 * test processes: each builds into its own temporary directory and renames it into place.
 *
 * @throws {Error} when the busybox binary is missing or is not statically linked.
 */
export async function busyboxRootfs(
  { busybox = "/bin/busybox", cacheRoot = defaultCacheRoot() }: BusyboxRootfsOptions = {},
): Promise<BusyboxRootfs> {
  const binary = await Deno.readFile(busybox).catch((e) => {
    throw new Error(`Cannot build busybox rootfs: cannot read "${busybox}": ${e.message}`);
  });
  const banner = (await runCommand(busybox, [], { check: false })).stdout.split("\n")[0];
  const match = banner.match(/^BusyBox v(\S+(?: \([^)]*\))?)/);
  if (match === null) {
    throw new Error(`Cannot build busybox rootfs: unexpected banner from "${busybox}": ${banner}`);
  }
  const version = match[1];
  const sha = (await sha256Hex(binary)).slice(0, 12);
  const key = `busybox-${version.replace(/[^A-Za-z0-9.]+/g, "_")}-${sha}-v${LAYOUT_VERSION}`;
  const cacheDir = `${cacheRoot}/${key}`;
  const result: BusyboxRootfs = {
    rootfsDir: `${cacheDir}/rootfs`,
    rootfsTar: `${cacheDir}/rootfs.tar`,
    ociArchive: `${cacheDir}/oci-image.tar`,
    imageRef: BUSYBOX_IMAGE_REF,
    version,
    cacheDir,
  };
  if (await exists(`${cacheDir}/complete`)) return result;

  await Deno.mkdir(cacheRoot, { recursive: true });
  const work = await Deno.makeTempDir({ dir: cacheRoot, prefix: `.${key}.` });
  try {
    await buildInto(work, binary, busybox);
    await Deno.writeTextFile(`${work}/complete`, `${version}\n`);
    try {
      await Deno.rename(work, cacheDir);
    } catch (e) {
      // Another process won the race; its copy is identical.
      if (!(await exists(`${cacheDir}/complete`))) throw e;
    }
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
  return result;
}

async function buildInto(
  work: string,
  binary: Uint8Array<ArrayBuffer>,
  busybox: string,
): Promise<void> {
  if (!isStaticElf(binary)) {
    throw new Error(
      `Cannot build busybox rootfs: "${busybox}" is not statically linked (install busybox-static)`,
    );
  }
  const root = `${work}/rootfs`;
  for (
    const dir of [
      "bin",
      "sbin",
      "usr/bin",
      "usr/sbin",
      "etc",
      "proc",
      "sys",
      "dev",
      "root",
      "run",
      "var",
    ]
  ) {
    await Deno.mkdir(`${root}/${dir}`, { recursive: true });
  }
  await Deno.mkdir(`${root}/tmp`);
  await Deno.chmod(`${root}/tmp`, 0o1777);
  await Deno.writeFile(`${root}/bin/busybox`, binary, { mode: 0o755 });
  await Deno.chmod(`${root}/bin/busybox`, 0o755);
  const list = (await runCommand(busybox, ["--list-full"])).stdout.split("\n").filter((l) => l);
  for (const applet of list) {
    if (applet === "bin/busybox") continue;
    const dir = applet.slice(0, applet.lastIndexOf("/"));
    const target = dir === "bin" ? "busybox" : `${"../".repeat(dir.split("/").length)}bin/busybox`;
    await Deno.symlink(target, `${root}/${applet}`);
  }
  await Deno.writeTextFile(`${root}/etc/passwd`, "root:x:0:0:root:/root:/bin/sh\n");
  await Deno.writeTextFile(`${root}/etc/group`, "root:x:0:\n");
  const tarFlags = ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0"];
  await runCommand("tar", [...tarFlags, "-C", root, "-cf", `${work}/rootfs.tar`, "."]);
  await writeOciLayout(`${work}/oci`, await Deno.readFile(`${work}/rootfs.tar`));
  await runCommand("tar", [...tarFlags, "-C", `${work}/oci`, "-cf", `${work}/oci-image.tar`, "."]);
  await Deno.remove(`${work}/oci`, { recursive: true });
}

/** Writes an OCI image layout (spec v1.0) with one uncompressed layer into `dir`. */
async function writeOciLayout(dir: string, layer: Uint8Array<ArrayBuffer>): Promise<void> {
  await Deno.mkdir(`${dir}/blobs/sha256`, { recursive: true });
  const put = async (bytes: Uint8Array<ArrayBuffer>): Promise<{ digest: string; size: number }> => {
    const hex = await sha256Hex(bytes);
    await Deno.writeFile(`${dir}/blobs/sha256/${hex}`, bytes);
    return { digest: `sha256:${hex}`, size: bytes.length };
  };
  const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  const layerBlob = await put(layer);
  const config = await put(json({
    architecture: "amd64",
    os: "linux",
    config: { Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] },
    rootfs: { type: "layers", diff_ids: [layerBlob.digest] },
    history: [{ created_by: "fgm tests/support/rootfs.ts" }],
  }));
  const manifest = await put(json({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", ...layerBlob }],
  }));
  await Deno.writeTextFile(`${dir}/oci-layout`, JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  await Deno.writeTextFile(
    `${dir}/index.json`,
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        ...manifest,
        platform: { architecture: "amd64", os: "linux" },
        annotations: {
          "io.containerd.image.name": BUSYBOX_IMAGE_REF,
          "org.opencontainers.image.ref.name": "latest",
        },
      }],
    }),
  );
}

/** True for an ELF file without a PT_INTERP program header (i.e. not dynamically linked). */
function isStaticElf(bytes: Uint8Array): boolean {
  if (bytes.length < 64 || bytes[0] !== 0x7f || bytes[1] !== 0x45) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[4] !== 2) return false; // only ELF64 is expected here
  const phoff = Number(view.getBigUint64(0x20, true));
  const phentsize = view.getUint16(0x36, true);
  const phnum = view.getUint16(0x38, true);
  for (let i = 0; i < phnum; i++) {
    if (view.getUint32(phoff + i * phentsize, true) === 3) return false; // PT_INTERP
  }
  return true;
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
