import assert from "node:assert/strict";
import { DEFAULT_ROOTS, type Fs } from "./fs.ts";
import { createHandleFs } from "./handle_fs.ts";
import { denoFileIo, libcFileIo } from "./file_io.ts";
import { createRealFs } from "./real_fs.ts";
import {
  hostCpuUse,
  type HostSample,
  newHostCache,
  parseOsRelease,
  readFilesystems,
  readHost,
  readHostIdentity,
} from "./host.ts";
import { parseProcStat } from "./parse/proc_stat.ts";

Deno.test("REQ-RDR-020: readHostIdentity() and readHost() read this machine", () => {
  const fs = createHandleFs();
  try {
    const id = readHostIdentity(fs, DEFAULT_ROOTS);
    assert.equal(id.hostname, Deno.hostname());
    assert.equal(id.kernel, Deno.osRelease());
    assert.equal(id.cpuCount, navigator.hardwareConcurrency);
    const host = readHost(fs, DEFAULT_ROOTS);
    assert.ok(host.meminfo && host.meminfo.memTotalBytes! > 0);
    assert.ok(host.stat && host.uptimeSeconds! > 0);
    const lo = host.interfaces.find((i) => i.name === "lo");
    assert.equal(lo?.kind, "loopback");
    assert.deepEqual(host.notes, []);
  } finally {
    fs.close();
  }
});

Deno.test("REQ-RDR-021: readFilesystems() lists real filesystems with statfs figures", () => {
  const fs = createHandleFs();
  const root = readFilesystems(fs, DEFAULT_ROOTS).find((f) => f.mountPoint === "/");
  fs.close();
  assert.ok(root, "/ is a real filesystem here");
  assert.ok(root.sizeBytes > root.usedBytes && root.usedBytes > 0);
});

Deno.test("REQ-RDR-022: hostCpuUse() turns /proc/stat deltas into millicores", () => {
  const line = (user: number, system: number, idle: number, iowait: number) =>
    `cpu  ${user} 0 ${system} ${idle} ${iowait} 0 0 0 0 0\n` +
    `cpu0 0 0 0 0 0 0 0 0 0 0\ncpu1 0 0 0 0 0 0 0 0 0 0\nctxt 1\nbtime 1\nprocesses 1\n` +
    `procs_running 1\nprocs_blocked 0\n`;
  const sample = (text: string) => ({ stat: parseProcStat(text) }) as HostSample;
  // 200 ticks over 2 CPUs = one second: 100 user + 20 system + 10 iowait + 70 idle.
  const use = hostCpuUse(sample(line(1000, 500, 5000, 10)), sample(line(1100, 520, 5070, 20)))!;
  assert.equal(Math.round(use.userMillicores), 1000);
  assert.equal(Math.round(use.systemMillicores), 200);
  assert.equal(Math.round(use.iowaitMillicores), 100);
  assert.equal(Math.round(use.totalMillicores), 1200);
  assert.equal(use.busyPercent, 60);
});

Deno.test("REQ-RDR-020: parseOsRelease() prefers PRETTY_NAME", () => {
  assert.equal(
    parseOsRelease('NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'),
    "Debian GNU/Linux 12 (bookworm)",
  );
  assert.equal(parseOsRelease('NAME="Alpine"\nVERSION="3.20"\n'), "Alpine 3.20");
});

Deno.test("REQ-RDR-023: readHost() describes each interface from sysfs once and forgets gone ones", () => {
  const fs = createHandleFs();
  const reads: string[] = [];
  const counting = {
    ...fs,
    get lastFailure() {
      return fs.lastFailure;
    },
    readText(path: string) {
      reads.push(path);
      return fs.readText(path);
    },
    readLink: (path: string) => fs.readLink(path),
    listDir: (path: string) => {
      reads.push(path);
      return fs.listDir(path);
    },
  };
  try {
    const cache = newHostCache();
    const first = readHost(counting, DEFAULT_ROOTS, 1, cache);
    const sysfs = () => reads.filter((p) => p.startsWith("/sys/")).length;
    assert.ok(sysfs() > 0);
    reads.length = 0;
    const second = readHost(counting, DEFAULT_ROOTS, 1, cache);
    assert.equal(sysfs(), 0, "no sysfs reads once known");
    assert.deepEqual(
      second.interfaces.map((i) => [i.name, i.kind, i.ifindex]),
      first.interfaces.map((i) => [i.name, i.kind, i.ifindex]),
    );
    assert.deepEqual(second.disks.map((d) => d.name), first.disks.map((d) => d.name));
    cache.interfaces.set("gone0", { kind: "veth", ifindex: 99, iflink: 98 });
    readHost(counting, DEFAULT_ROOTS, 1, cache);
    assert.equal(cache.interfaces.has("gone0"), false);
  } finally {
    fs.close();
  }
});

Deno.test("REQ-RDR-023: readHost() turns a garbage pressure file into a note, not a crash", () => {
  const fs = createHandleFs();
  const garbled = {
    ...fs,
    get lastFailure() {
      return fs.lastFailure;
    },
    readText: (path: string) =>
      path.endsWith("/pressure/cpu") ? "some avg10=x\n" : fs.readText(path),
    readLink: (path: string) => fs.readLink(path),
    listDir: (path: string) => fs.listDir(path),
  };
  try {
    const host = readHost(garbled, DEFAULT_ROOTS);
    assert.equal(host.pressure.cpu, null);
    assert.ok(host.notes.some((n) => /pressure/.test(n)), host.notes.join("; "));
    assert.ok(host.meminfo !== null);
  } finally {
    fs.close();
  }
});

/** A /proc with the host files fgm reads every sweep, some of them broken. */
function brokenProc(): string {
  const proc = Deno.makeTempDirSync({ prefix: "fgm-host-proc-" });
  const fixture = (name: string) =>
    Deno.readTextFileSync(new URL(`../tests/fixtures/proc/${name}`, import.meta.url));
  Deno.writeTextFileSync(`${proc}/stat`, fixture("stat_real.txt"));
  Deno.writeTextFileSync(`${proc}/uptime`, fixture("uptime_real.txt"));
  Deno.mkdirSync(`${proc}/1/net`, { recursive: true });
  Deno.writeTextFileSync(`${proc}/1/net/dev`, fixture("net_dev_real.txt"));
  // /proc/meminfo replaced by a directory, /proc/loadavg by a symlink loop.
  Deno.mkdirSync(`${proc}/meminfo`);
  Deno.symlinkSync("loadavg.b", `${proc}/loadavg`);
  Deno.symlinkSync("loadavg", `${proc}/loadavg.b`);
  // A value no kernel writes.
  Deno.writeTextFileSync(`${proc}/diskstats`, "   8       0 sda -1 0 0 0 0 0 0 0 0 0 0\n");
  // pressure/cpu a directory, pressure/io impossible, pressure/memory missing (no note).
  Deno.mkdirSync(`${proc}/pressure/cpu`, { recursive: true });
  Deno.writeTextFileSync(
    `${proc}/pressure/io`,
    "some avg10=-1.00 avg60=0.00 avg300=0.00 total=0\n",
  );
  return proc;
}

Deno.test("REQ-RDR-306: readHost() notes each host file it cannot read or parse, with the file and why", () => {
  const proc = brokenProc();
  const libc = libcFileIo();
  const kinds: [string, () => Fs & { close?: () => void }][] = [
    ["real", () => createRealFs()],
    ["handles, deno", () => createHandleFs({ io: denoFileIo() })],
  ];
  if (libc !== null) kinds.push(["handles, libc", () => createHandleFs({ io: libc })]);
  try {
    for (const [kind, make] of kinds) {
      const fs = make();
      try {
        const host = readHost(fs, { ...DEFAULT_ROOTS, proc });
        assert.equal(host.meminfo, null);
        assert.equal(host.loadavg, null);
        assert.deepEqual(host.pressure, { cpu: null, memory: null, io: null });
        assert.deepEqual(host.disks, []);
        assert.ok(host.stat !== null && host.uptimeSeconds === 140.36, kind);
        assert.deepEqual(
          host.notes.toSorted(),
          [
            `${proc}/meminfo: is a directory`,
            `${proc}/loadavg: too many levels of symbolic links`,
            `${proc}/pressure/cpu: is a directory`,
            `Cannot parse "${proc}/pressure/io": avg10 is negative: "-1.00"`,
            `Cannot parse "/proc/diskstats": reads completed is negative: "-1" ` +
            `(the kernel writes it unsigned)`,
          ].toSorted(),
          kind,
        );
      } finally {
        fs.close?.();
      }
    }
  } finally {
    Deno.removeSync(proc, { recursive: true });
  }
});
