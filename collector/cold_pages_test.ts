import assert from "node:assert/strict";
import {
  createColdPageReleaser,
  mappingsOf,
  pageOut,
  releaseColdExecutablePages,
} from "./cold_pages.ts";

const MAPS = [
  "55cb9c046000-55cb9dbd4000 r--p 00000000 fe:00 1837790                    /opt/deno/deno",
  "55cb9de4a000-55cba1b3e000 r-xp 01b8d000 fe:00 1837790                    /opt/deno/deno",
  "55cba1db0000-55cba1dc0000 rw-p 05b6a000 fe:00 1837790                    /opt/deno/deno",
  "55cba1dc1000-55cba1dea000 rw-p 00000000 00:00 0 ",
  "7f1a5bdc0000-7f1a5bfe6000 r-xp 00028000 fe:00 1840001                    /usr/lib/libc.so.6",
  "7f1a5c000000-7f1a5c001000 r--p 00000000 fe:00 1840002                    /opt/deno/deno 2",
  "7ffd1c2d3000-7ffd1c2f4000 rw-p 00000000 00:00 0                          [stack]",
  "",
].join("\n");

Deno.test("REQ-COL-037: mappingsOf() finds every mapping of one path in /proc/<pid>/maps", () => {
  const found = mappingsOf(MAPS, "/opt/deno/deno");
  assert.deepEqual(found.map((m) => [m.start, m.end, m.permissions]), [
    [0x55cb9c046000n, 0x55cb9dbd4000n, "r--p"],
    [0x55cb9de4a000n, 0x55cba1b3e000n, "r-xp"],
    [0x55cba1db0000n, 0x55cba1dc0000n, "rw-p"],
  ]);
  // A path with a space is one path, not a prefix match.
  assert.equal(mappingsOf(MAPS, "/opt/deno/deno 2").length, 1);
  assert.deepEqual(mappingsOf(MAPS, "/nowhere"), []);
});

const libc = (() => {
  try {
    return Deno.dlopen("libc.so.6", {
      mmap: { parameters: ["pointer", "usize", "i32", "i32", "i32", "i64"], result: "pointer" },
      munmap: { parameters: ["pointer", "usize"], result: "i32" },
      mincore: { parameters: ["pointer", "usize", "buffer"], result: "i32" },
      open: { parameters: ["buffer", "i32"], result: "i32" },
      posix_fadvise: { parameters: ["i32", "i64", "i64", "i32"], result: "i32" },
      madvise: { parameters: ["pointer", "usize", "i32"], result: "i32" },
      close: { parameters: ["i32"], result: "i32" },
    });
  } catch {
    return null;
  }
})();

const skipPageOut = libc === null && Deno.env.get("CI") !== "true";
if (skipPageOut) {
  console.error("skipped: pageOut() of a file mapping (Deno.dlopen of libc.so.6 failed)");
}

Deno.test({
  name: "REQ-COL-037: pageOut() makes the kernel drop the clean pages of a file mapping",
  ignore: skipPageOut,
  fn() {
    if (libc === null) throw new Error("Deno.dlopen(libc.so.6) failed: pageOut() cannot be tested");
    const pages = 256;
    const pageBytes = 4096;
    const bytes = pages * pageBytes;
    // On the disk's file system (not tmpfs, whose pages have nowhere to go without swap).
    const dir = Deno.makeTempDirSync({ dir: Deno.cwd(), prefix: ".fgm-cold-pages-" });
    const path = `${dir}/data`;
    try {
      const file = Deno.openSync(path, { create: true, write: true });
      file.writeSync(new Uint8Array(bytes).fill(7));
      file.syncSync(); // clean pages: reclaim drops them without writing
      file.close();
      const fd = libc.symbols.open(new TextEncoder().encode(`${path}\0`), 0); // O_RDONLY
      assert.ok(fd >= 0, `cannot open ${path}`);
      // The pages the write left in the page cache can be large folios still held by another
      // CPU's LRU batch, which MADV_PAGEOUT skips (a flaky test, not a flaky feature: the
      // executable's pages are long settled). So drop them (POSIX_FADV_DONTNEED drains every
      // CPU's batch) and fault them back one page at a time (MADV_RANDOM: no read-ahead).
      const POSIX_FADV_DONTNEED = 4;
      assert.equal(libc.symbols.posix_fadvise(fd, 0n, 0n, POSIX_FADV_DONTNEED), 0);
      const PROT_READ = 1;
      const MAP_PRIVATE = 2;
      const address = libc.symbols.mmap(null, BigInt(bytes), PROT_READ, MAP_PRIVATE, fd, 0n);
      libc.symbols.close(fd);
      assert.ok(address !== null && Deno.UnsafePointer.value(address) !== -1n);
      try {
        const MADV_RANDOM = 1;
        assert.equal(libc.symbols.madvise(address, BigInt(bytes), MADV_RANDOM), 0);
        const view = new Deno.UnsafePointerView(address);
        let sum = 0;
        for (let i = 0; i < pages; i++) sum += view.getUint8(i * pageBytes); // map every page
        assert.equal(sum, 7 * pages);
        const resident = () => {
          const vec = new Uint8Array(pages);
          assert.equal(libc.symbols.mincore(address, BigInt(bytes), vec), 0);
          return vec.reduce((n, v) => n + (v & 1), 0);
        };
        assert.equal(resident(), pages);
        const start = Deno.UnsafePointer.value(address) as bigint;
        const accepted = pageOut([
          { start, end: start + BigInt(bytes), permissions: "r--p" },
        ]);
        assert.equal(accepted, 1, "the kernel accepts MADV_PAGEOUT (Linux 5.4+)");
        const after = resident();
        assert.ok(after < pages / 4, `${after} of ${pages} pages still resident`);
        // Paged out, not lost: the mapping reads the file again.
        assert.equal(view.getUint8(5 * pageBytes + 3), 7);
      } finally {
        libc.symbols.munmap(address, BigInt(bytes));
      }
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test("REQ-COL-037: releaseColdExecutablePages() pages out this process's executable", () => {
  const maps = Deno.readTextFileSync("/proc/self/maps");
  const mine = maps.split("\n").filter((l) => l.endsWith(` ${Deno.execPath()}`)).length;
  assert.ok(mine > 0, `no mapping of ${Deno.execPath()} in /proc/self/maps`);
  // Every mapping of the executable is accepted; whether pages leave depends on who else maps
  // them (a parallel test's deno), which pageOut()'s own test rules out.
  assert.equal(releaseColdExecutablePages(), libc === null ? 0 : mine);
});

Deno.test("REQ-COL-037: createColdPageReleaser() releases after the first tick, flush and window, then every interval", () => {
  let calls = 0;
  const r = createColdPageReleaser({ release: () => ++calls, everyMs: 1000 });
  assert.equal(r.afterTick(0), true);
  assert.equal(r.afterTick(1), false);
  assert.equal(r.afterFlush(10, 0), true); // first flush
  assert.equal(r.afterFlush(20, 0), false);
  assert.equal(r.afterFlush(60, 1), true); // first window
  assert.equal(r.afterFlush(70, 1), false);
  assert.equal(r.afterFlush(1059, 1), false);
  assert.equal(r.afterFlush(1060, 1), true); // 1000 ms after the last
  assert.equal(r.afterFlush(1070, 3), false);
  assert.equal(calls, 4);
  // A first flush that commits a window counts for both.
  const both = createColdPageReleaser({ release: () => 0, everyMs: 1000 });
  both.afterTick(0);
  assert.equal(both.afterFlush(10, 1), true);
  assert.equal(both.afterFlush(20, 1), false);
});
