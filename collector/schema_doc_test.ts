import assert from "node:assert/strict";
import { BEGIN, END, normalizedSchema, replaceSchema, schemaMarkdown } from "./schema_doc.ts";
import { TABLES } from "./tables.ts";

Deno.test("REQ-DATA-002: specs/data_contract.md's schema tables are the columns' declarations (run `deno task schema-doc`)", () => {
  const spec = Deno.readTextFileSync(new URL("../specs/data_contract.md", import.meta.url));
  assert.equal(normalizedSchema(spec), normalizedSchema(schemaMarkdown(TABLES)));
  for (const table of TABLES) {
    for (const column of table.columns) {
      assert.ok(spec.includes(`| \`${column.name}\``), `${table.name}.${column.name}`);
    }
  }
});

Deno.test("REQ-DATA-002: schemaMarkdown() lists each column once with its type, unit and kind", () => {
  const md = schemaMarkdown(TABLES);
  const rows = md.split("\n").filter((l) => l.startsWith("| `cpu_usage_millicores`"));
  assert.equal(rows.length, 3, "one per table");
  assert.match(rows[0], /\| INT32 +\| millicores +\| rate +\| yes +\|/);
  assert.match(md, /\| `cpu_throttled_usec` +\| INT64 +\| microseconds +\| interval/);
  assert.match(md, /\| `time` +\| INT64 TIMESTAMP\(MILLIS, UTC\) +\| timestamp +\| time +\| no/);
  // A pipe in a description would split the cell: escaped.
  const piped = schemaMarkdown([{
    name: "host",
    key: [],
    columns: [{
      ...TABLES[2].columns[0],
      description: "a | b",
    }],
  }]);
  assert.ok(piped.includes("a \\| b"));
});

Deno.test("replaceSchema() swaps the generated section and refuses a document without one", () => {
  const doc = `intro\n${BEGIN}\nold\n${END}\nend`;
  assert.equal(replaceSchema(doc, `${BEGIN}\nnew\n${END}`), `intro\n${BEGIN}\nnew\n${END}\nend`);
  assert.throws(() => replaceSchema("no markers", "x"), /Cannot find the schema section/);
  assert.equal(normalizedSchema("no markers"), "");
});
