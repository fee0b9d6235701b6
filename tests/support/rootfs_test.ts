import assert from "node:assert/strict";
import { BUSYBOX_IMAGE_REF, busyboxRootfs } from "./rootfs.ts";

Deno.test({
  name:
    "REQ-TST-002: busyboxRootfs() builds once, with applet symlinks, a tarball and an OCI image",
  ignore: (() => {
    try {
      return !Deno.statSync("/bin/busybox").isFile;
    } catch {
      return true;
    }
  })(),
  fn: async () => {
    const cacheRoot = await Deno.makeTempDir({ prefix: "fgm-rootfs-test-" });
    try {
      const built = await busyboxRootfs({ cacheRoot });
      assert.match(built.version, /^\d+\.\d+\.\d+/);
      assert.ok(built.cacheDir.startsWith(`${cacheRoot}/busybox-`));
      assert.equal(Deno.readLinkSync(`${built.rootfsDir}/bin/sh`), "busybox");
      assert.equal(Deno.readLinkSync(`${built.rootfsDir}/usr/bin/env`), "../../bin/busybox");
      assert.ok(Deno.statSync(`${built.rootfsDir}/bin/busybox`).isFile);
      assert.ok(Deno.statSync(`${built.rootfsDir}/proc`).isDirectory);
      assert.ok(Deno.statSync(built.rootfsTar).size > 1_000_000);
      const list = new TextDecoder().decode(
        (await new Deno.Command("tar", { args: ["-tf", built.ociArchive] }).output()).stdout,
      );
      assert.match(list, /\.\/index\.json/);
      assert.match(list, /\.\/oci-layout/);
      assert.equal(BUSYBOX_IMAGE_REF, built.imageRef);

      const mtime = Deno.statSync(built.rootfsTar).mtime;
      const again = await busyboxRootfs({ cacheRoot });
      assert.deepEqual(again, built);
      assert.deepEqual(Deno.statSync(built.rootfsTar).mtime, mtime, "the cache is reused");
    } finally {
      await Deno.remove(cacheRoot, { recursive: true });
    }
  },
});
