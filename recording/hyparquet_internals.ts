/**
 * The one place the recording reader touches hyparquet's private modules (its page-header parser),
 * written against hyparquet 1.31.5: `hyparquet_internals_test.ts` fails when the installed version
 * is another, so that an upgrade is this file's work.
 *
 * @module
 */

import { parquetHeader } from "hyparquet/src/column.js";
import type { PageHeader } from "hyparquet";

/** The hyparquet version this adapter was written against. */
export const HYPARQUET_VERSION = "1.31.5";

/**
 * Reads one Thrift page header at `offset` of `bytes`; returns it and the offset of the page's
 * data after it.
 */
export function readPageHeader(
  bytes: Uint8Array,
  offset: number,
): { header: PageHeader; dataOffset: number } {
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset };
  const header = parquetHeader(reader);
  return { header, dataOffset: reader.offset };
}
