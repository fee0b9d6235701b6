/**
 * Builds fgm's container image offline (REQ-DEP-010), from files this machine has: the pinned
 * Deno of `node_modules/deno`, the C libraries it links against (found with `ldd`, copied from
 * this host), the project modules in mod.ts's module graph and the npm packages they import (with
 * their dependencies). No registry, no base image, no shell: one layer of about 100 MB, written
 * as a `docker save` archive that `docker load` and `podman load` read (and `kind load
 * image-archive`, `ctr images import`).
 *
 * ```sh
 * deno run -A tools/image.ts [--tag fgm:0.1.0] [--out dist/fgm-image.tar]
 * docker load -i dist/fgm-image.tar
 * ```
 *
 * The image runs `deno run -A /app/mod.ts`, which behaves as the compiled binary does
 * (`deploy/Dockerfile` builds that one where `denort` can be downloaded). Its default user is
 * 65532 (nobody needs root for `fgm view`); `fgm collect` runs as root with the capabilities of
 * `deploy/daemonset.yaml`.
 *
 * @module
 */

import { imageContents, type PackageManifest } from "./image_files.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** Options of {@linkcode buildImage}; every one has a default. */
export interface BuildImageOptions {
  /** Project root (default: this checkout). */
  root?: string;
  /** The Deno executable to put in the image (default `node_modules/deno/deno`). */
  deno?: string;
  /** Image name (default `fgm:<version of deno.json>`). */
  tag?: string;
  /** Where to write the archive (default `dist/fgm-image.tar`). */
  out?: string;
}

/** What {@linkcode buildImage} wrote. */
export interface BuiltImage {
  /** The `docker save` archive. */
  archive: string;
  /** The image's name. */
  tag: string;
  /** Bytes of the one layer (the uncompressed root file system). */
  layerBytes: number;
  /** Files and package directories taken from the project. */
  modules: string[];
  packages: string[];
  /** Libraries copied from this host (paths inside the image). */
  libraries: string[];
}

/** Where the program lives in the image. */
export const APP_DIR = "/app";
/** The Deno executable in the image. */
export const IMAGE_DENO = "/usr/local/bin/deno";
/** The image's default user: not root (`fgm collect` is run as root by its manifests). */
export const IMAGE_USER = "65532:65532";

/** The image's entry point: `deno run -A /app/mod.ts`, i.e. `fgm`. */
export const ENTRYPOINT: readonly string[] = [IMAGE_DENO, "run", "-A", `${APP_DIR}/mod.ts`];

/**
 * Builds the image archive.
 *
 * @throws {Error} `Cannot build the image: …` when a part is missing.
 */
export async function buildImage(options: BuildImageOptions = {}): Promise<BuiltImage> {
  const root = (options.root ?? ROOT).replace(/\/$/, "");
  const deno = options.deno ?? `${root}/node_modules/deno/deno`;
  const version = JSON.parse(await Deno.readTextFile(`${root}/deno.json`)).version as string;
  const tag = options.tag ?? `fgm:${version}`;
  const out = options.out ?? `${root}/dist/fgm-image.tar`;
  const info = JSON.parse(
    await run(deno, ["info", "--json", `${root}/mod.ts`], { cwd: root, env: { NO_COLOR: "1" } }),
  );
  const { modules, packages } = imageContents(info, root, (dir) => readManifest(root, dir));

  const work = await Deno.makeTempDir({ prefix: "fgm-image-" });
  try {
    const fs = `${work}/rootfs`;
    const app = `${fs}${APP_DIR}`;
    for (const dir of ["usr/local/bin", "etc", "tmp", "data", "proc", "sys", "dev"]) {
      await Deno.mkdir(`${fs}/${dir}`, { recursive: true });
    }
    await Deno.chmod(`${fs}/tmp`, 0o1777);
    for (const path of ["deno.json", "package.json", ...modules]) {
      await Deno.mkdir(`${app}/${path.slice(0, path.lastIndexOf("/") + 1)}`, { recursive: true });
      await Deno.copyFile(`${root}/${path}`, `${app}/${path}`);
    }
    for (const dir of packages) {
      await Deno.mkdir(`${app}/${dir}`, { recursive: true });
      await run("cp", ["-a", `${root}/${dir}/.`, `${app}/${dir}/`]);
    }
    await Deno.copyFile(deno, `${fs}${IMAGE_DENO}`);
    await Deno.chmod(`${fs}${IMAGE_DENO}`, 0o755);
    const libraries = sharedLibraries(await run("ldd", [deno]));
    for (const lib of libraries) {
      await Deno.mkdir(`${fs}${lib.slice(0, lib.lastIndexOf("/"))}`, { recursive: true });
      await run("cp", ["-L", lib, `${fs}${lib}`]); // a symlink's target, under the link's name
    }
    await Deno.writeTextFile(
      `${fs}/etc/passwd`,
      "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin\n",
    );
    await Deno.writeTextFile(`${fs}/etc/group`, "root:x:0:\nnonroot:x:65532:\n");

    const archive = `${work}/archive`;
    await Deno.mkdir(`${archive}/layer`, { recursive: true });
    const tarFlags = ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0"];
    await run("tar", [...tarFlags, "-C", fs, "-cf", `${archive}/layer/layer.tar`, "."]);
    const layerDigest = await sha256File(`${archive}/layer/layer.tar`);
    const layerBytes = (await Deno.stat(`${archive}/layer/layer.tar`)).size;
    const config = JSON.stringify(imageConfig(layerDigest, version));
    const configName = `${await sha256Text(config)}.json`;
    await Deno.writeTextFile(`${archive}/${configName}`, config);
    await Deno.writeTextFile(
      `${archive}/manifest.json`,
      JSON.stringify([{ Config: configName, RepoTags: [tag], Layers: ["layer/layer.tar"] }]),
    );
    await Deno.mkdir(out.slice(0, out.lastIndexOf("/") + 1) || ".", { recursive: true });
    await run("tar", [...tarFlags, "-C", archive, "-cf", out, "."]);
    return { archive: out, tag, layerBytes, modules, packages, libraries };
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

/** The image configuration (OCI/Docker image config) for a one-layer image. */
export function imageConfig(layerDigest: string, version: string): Record<string, unknown> {
  return {
    architecture: ({ x86_64: "amd64", aarch64: "arm64" } as Record<string, string>)[
      Deno.build.arch
    ],
    os: "linux",
    config: {
      Entrypoint: [...ENTRYPOINT],
      Cmd: ["--help"],
      User: IMAGE_USER,
      WorkingDir: "/",
      Env: [
        "PATH=/usr/local/bin:/usr/bin:/bin",
        // Transpiled modules would be cached here; on a read-only root file system Deno
        // transpiles in memory instead (about 0.25 s more at start).
        "DENO_DIR=/tmp/deno",
        "DENO_NO_UPDATE_CHECK=1",
        "DENO_NO_PROMPT=1",
      ],
      Labels: {
        "org.opencontainers.image.title": "fgm",
        "org.opencontainers.image.version": version,
        "org.opencontainers.image.description": "fine-grained container monitor",
      },
    },
    rootfs: { type: "layers", diff_ids: [`sha256:${layerDigest}`] },
    history: [{ created_by: "fgm tools/image.ts" }],
  };
}

/**
 * The library paths in `ldd` output, the dynamic loader included (`libc.so.6 =>
 * /lib/x86_64-linux-gnu/libc.so.6 (0x…)` and `/lib64/ld-linux-x86-64.so.2 (0x…)`).
 *
 * @throws {Error} when a library is not found.
 */
export function sharedLibraries(ldd: string): string[] {
  const out: string[] = [];
  for (const line of ldd.split("\n")) {
    if (/=>\s*not found/.test(line)) throw new Error(`Cannot build the image: ${line.trim()}`);
    const m = line.match(/=>\s*(\/\S+)\s*\(/) ?? line.match(/^\s*(\/\S+)\s*\(/);
    if (m !== null) out.push(m[1]);
  }
  return out;
}

function readManifest(root: string, dir: string): PackageManifest | null {
  try {
    return JSON.parse(Deno.readTextFileSync(`${root}/${dir}/package.json`));
  } catch {
    return null;
  }
}

async function run(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<string> {
  const r = await new Deno.Command(cmd, { args, ...options, stdout: "piped", stderr: "piped" })
    .output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  if (r.code !== 0) {
    throw new Error(`Cannot build the image: ${cmd} ${args.join(" ")}: ${text(r.stderr).trim()}`);
  }
  return text(r.stdout);
}

async function sha256File(path: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", await Deno.readFile(path)));
}

async function sha256Text(text: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

function hex(digest: ArrayBuffer): string {
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

if (import.meta.main) {
  const { parseArgs } = await import("node:util");
  const { values } = parseArgs({
    args: Deno.args,
    options: { tag: { type: "string" }, out: { type: "string" } },
  });
  try {
    const image = await buildImage({ tag: values.tag, out: values.out });
    const mb = (image.layerBytes / 1e6).toFixed(1);
    console.log(
      `image: wrote ${image.archive} (${image.tag}, ${mb} MB, ${image.modules.length} modules, ${image.packages.length} npm packages); load it with: docker load -i ${image.archive}`,
    );
  } catch (e) {
    console.error(`image: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
}
