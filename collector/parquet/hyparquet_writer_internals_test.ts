import assert from "node:assert/strict";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import {
  ByteWriter,
  decodeThrift,
  encodeThrift,
  FooterWriter,
  HYPARQUET_VERSION,
  HYPARQUET_WRITER_VERSION,
  writeFlatColumnChunk,
} from "./hyparquet_writer_internals.ts";
import denoJson from "../../deno.json" with { type: "json" };

function installed(name: string): string {
  return JSON.parse(
    Deno.readTextFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url)),
  ).version;
}

Deno.test("REQ-STO-003: the hyparquet-writer adapter matches the installed hyparquet-writer and hyparquet versions", () => {
  const review = "collector/parquet/hyparquet_writer_internals.ts needs a review";
  assert.equal(installed("hyparquet-writer"), HYPARQUET_WRITER_VERSION, review);
  assert.equal(
    denoJson.imports["hyparquet-writer"],
    `npm:hyparquet-writer@${HYPARQUET_WRITER_VERSION}`,
  );
  assert.equal(installed("hyparquet"), HYPARQUET_VERSION, review);
  assert.equal(denoJson.imports.hyparquet, `npm:hyparquet@${HYPARQUET_VERSION}`);
});

Deno.test("REQ-STO-003: the only imports of hyparquet-writer's private modules are in the adapter", () => {
  const dir = new URL("../", import.meta.url).pathname;
  const offenders: string[] = [];
  const walk = (path: string) => {
    for (const e of Deno.readDirSync(path)) {
      const full = `${path}/${e.name}`;
      if (e.isDirectory) walk(full);
      else if (
        e.name.endsWith(".ts") && !e.name.startsWith("hyparquet_writer_internals") &&
        /from "hyparquet(-writer)?\/src\//.test(Deno.readTextFileSync(full))
      ) offenders.push(full);
    }
  };
  walk(dir.replace(/\/$/, ""));
  assert.deepEqual(offenders, []);
});

Deno.test("REQ-STO-003: FooterWriter frames row groups written through the adapter into a readable file", async () => {
  const writer = new ByteWriter();
  const root = { name: "root", num_children: 1 };
  const element = { name: "x", repetition_type: "OPTIONAL" as const, type: "INT32" as const };
  const footer = new FooterWriter(writer, {
    schema: [root, element],
    codec: "UNCOMPRESSED",
    compressors: {},
    statistics: true,
    kvMetadata: [{ key: "k", value: "v" }],
    createdBy: "adapter test",
  });
  for (const values of [[1, null, 3], [4]]) {
    const start = writer.offset;
    const chunk = writeFlatColumnChunk(writer, {
      root,
      element,
      codec: footer.codec,
      compressors: footer.compressors,
      statistics: true,
      pageBytes: 1 << 20,
    }, values);
    footer.addRowGroup([chunk], values.length, start);
  }
  footer.finish();
  const buffer = writer.getBuffer();
  const meta = parquetMetadata(buffer);
  assert.equal(meta.num_rows, 4n);
  assert.equal(meta.row_groups.length, 2);
  assert.equal(meta.created_by, "adapter test");
  assert.deepEqual(meta.key_value_metadata, [{ key: "k", value: "v" }]);
  assert.deepEqual(
    (await parquetReadObjects({ file: buffer })).map((r) => r.x),
    [1, null, 3, 4],
  );
  // The footer as raw Thrift survives a round trip byte for byte.
  const bytes = new Uint8Array(buffer);
  const length = new DataView(buffer).getUint32(bytes.length - 8, true);
  const raw = bytes.subarray(bytes.length - 8 - length, bytes.length - 8);
  assert.deepEqual(encodeThrift(decodeThrift(raw)), raw.slice());
});
