/**
 * Rewrites the generated schema tables of specs/data_contract.md from the columns' declarations
 * (collector/tables.ts). Run after adding or changing a column:
 *
 * ```sh
 * npx deno task schema-doc
 * ```
 *
 * @module
 */

import { replaceSchema, schemaMarkdown } from "../collector/schema_doc.ts";
import { TABLES } from "../collector/tables.ts";

const path = new URL("../specs/data_contract.md", import.meta.url);
const doc = Deno.readTextFileSync(path);
const next = replaceSchema(doc, schemaMarkdown(TABLES));
if (next !== doc) {
  Deno.writeTextFileSync(path, next);
  console.log("schema-doc: specs/data_contract.md updated");
} else {
  console.log("schema-doc: specs/data_contract.md is up to date");
}
