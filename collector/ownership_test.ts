/**
 * fgm deletes, renames or rewrites only files it can prove it wrote: decoys planted in the output
 * directory, in its table folders, beside it and behind symbolic links survive start-up recovery,
 * compaction and retention of a real collector run (REQ-COL-038).
 */

import assert from "node:assert/strict";
import { collect, type CollectOptions } from "./collect.ts";
import { dayOf, foreignEntries, listDataFiles, partitionDir } from "./files.ts";
import { journalName } from "./parquet/compact.ts";

/** Every file and link under `dir`, relative, with its content (a link: its target). */
function snapshotTree(dir: string, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of Deno.readDirSync(dir)) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    const path = `${dir}/${e.name}`;
    if (e.isSymlink) out.set(rel, `-> ${Deno.readLinkSync(path)}`);
    else if (e.isDirectory) { for (const [k, v] of snapshotTree(path, rel)) out.set(k, v); }
    else out.set(rel, Deno.readTextFileSync(path));
  }
  return out;
}

Deno.test({
  name:
    "REQ-COL-038: decoys in, beside and behind links of --out survive recovery, compaction and retention",
  sanitizeResources: false,
  fn: async () => {
    const parent = Deno.makeTempDirSync({ prefix: "fgm-decoys-" });
    const outside = Deno.makeTempDirSync({ prefix: "fgm-decoys-outside-" });
    const messages: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => messages.push(args.join(" "));
    try {
      const out = `${parent}/data`;
      const node = "decoy-node";
      const today = dayOf(Date.now());
      const host = partitionDir(out, "host", today, node);
      Deno.mkdirSync(host, { recursive: true });
      const id = crypto.randomUUID();
      const decoys: Record<string, string> = {
        // In the output directory.
        [`${out}/x.tmp`]: "another program's temporary file",
        [`${out}/compaction-1.journal.json`]:
          '{"version":1,"id":"1","target":"a.parquet","sources":["x.tmp"]}',
        [`${out}/other.parquet`]: "PAR1 another program's data PAR1",
        // In fgm's own partition folder, with names fgm does not own.
        [`${host}/x.tmp`]: "tmp",
        [`${host}/other.parquet`]: "PAR1 not ours PAR1",
        [`${host}/.notes.txt.fgm-tmp`]: "a temporary name for a file we do not own",
        [`${host}/${journalName(id)}`]: JSON.stringify({
          version: 2,
          id,
          target: "other.parquet",
          sources: ["x.tmp"],
        }),
        // Beside it.
        [`${parent}/x.tmp`]: "beside",
        [`${parent}/host-20200101T000000Z.parquet`]: "an old name of ours, outside --out",
        // Behind links: a file with fgm's own name, long past any retention.
        [`${outside}/part/host-20200101T000000Z.parquet`]: "PAR1 old PAR1",
        [`${outside}/part/.host-20200101T000010Z.parquet.fgm-tmp`]: "half written",
        [`${outside}/table/dt=2020-01-01/identifier=n/host-20200101T000000Z.parquet`]: "PAR1",
      };
      for (const [path, text] of Object.entries(decoys)) {
        Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
        Deno.writeTextFileSync(path, text);
      }
      Deno.symlinkSync(`${outside}/part`, `${out}/host/dt=${today}/identifier=linked`);
      Deno.symlinkSync(`${outside}/table`, `${out}/processes`);
      Deno.symlinkSync(outside, `${out}/link`);
      Deno.symlinkSync(
        `${outside}/part/host-20200101T000000Z.parquet`,
        `${host}/host-20200101T000001Z.parquet`,
      );
      const outsideBefore = snapshotTree(outside);
      const parentBefore = [...snapshotTree(parent)].filter(([k]) => !k.startsWith("data/"));

      const options: CollectOptions = {
        out,
        node,
        intervalMs: 250,
        pssIntervalMs: 0,
        flushMs: 250,
        // First-tier windows of 1 s merged at once; retention and a 1-byte budget after each flush.
        compactMinAgeMs: 0,
        compactSpanMs: 15_000,
        retentionMs: 1,
        maxDiskBytes: 1,
        hostProcesses: true,
        roots: {},
        durationMs: 3000,
      };
      // Twice: the second run recovers what the first left and meets the decoys again.
      for (let run = 0; run < 2; run++) {
        const summary = await collect(options, new AbortController().signal);
        assert.ok(summary.ticks >= 8, `${summary.ticks} ticks`);
        assert.ok(summary.filesWritten > 0);
      }

      for (const [path, text] of Object.entries(decoys)) {
        assert.equal(Deno.readTextFileSync(path), text, `${path} untouched`);
      }
      assert.deepEqual(snapshotTree(outside), outsideBefore, "nothing behind a link changed");
      assert.deepEqual(
        [...snapshotTree(parent)].filter(([k]) => !k.startsWith("data/")),
        parentBefore,
        "nothing beside --out changed",
      );
      assert.equal(Deno.readLinkSync(`${out}/link`), outside);
      // Retention worked on fgm's own files meanwhile: the budget of 1 byte left few or none.
      assert.ok(listDataFiles(out).length <= 3, `${listDataFiles(out).length} files kept`);
      // Said once per run, naming what is not fgm's.
      // The journal-shaped decoy is reported at each start, and left.
      assert.equal(
        messages.filter((m) =>
          /cannot recover ".*\.fgm-compaction-.*": Cannot use journal: it names "other\.parquet", not a file of ours/
            .test(m)
        ).length,
        2,
      );
      const said = messages.filter((m) => m.includes("that are not fgm's"));
      assert.equal(said.length, 2, messages.join("\n"));
      assert.match(
        said[0],
        /holds 10 file\(s\) that are not fgm's .*never deletes, renames or rewrites them/,
      );
      const part = `host/dt=${today}`;
      assert.deepEqual(foreignEntries(out), [
        "compaction-1.journal.json",
        `${part}/identifier=decoy-node/.notes.txt.fgm-tmp`,
        `${part}/identifier=decoy-node/host-20200101T000001Z.parquet`,
        `${part}/identifier=decoy-node/other.parquet`,
        `${part}/identifier=decoy-node/x.tmp`,
        `${part}/identifier=linked`,
        "link",
        "other.parquet",
        "processes",
        "x.tmp",
      ]);
      // The processes table cannot be written through the link: said, not done.
      assert.ok(
        messages.some((m) =>
          /cannot write ".*\/processes\/.*": Cannot write into ".*\/processes": it is a symbolic link/
            .test(m)
        ),
        messages.join("\n"),
      );
    } finally {
      console.error = original;
      Deno.removeSync(parent, { recursive: true });
      Deno.removeSync(outside, { recursive: true });
    }
  },
});
