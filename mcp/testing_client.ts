/**
 * An MCP client of the SDK connected in memory to {@linkcode createMcpServer} over a recording,
 * for the tests of mcp/. Not used by the product.
 *
 * @module
 */

// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { openRecording } from "../recording/recording.ts";
import { createMcpServer } from "./server.ts";

/** A connected client and what to close. */
export interface TestClient {
  client: Client;
  /** Calls a tool; returns its structured result, or throws its text when `isError`. */
  call(name: string, args?: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Opens `path` and connects a client to a server over it. */
export async function connectTestClient(path: string): Promise<TestClient> {
  const rec = await openRecording(path);
  const server = createMcpServer(rec, { version: "test", refreshMs: 0 });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: "fgm-test", version: "1" });
  await client.connect(b);
  return {
    client,
    async call(name, args = {}) {
      const r = await client.callTool({ name, arguments: args });
      if (r.isError) {
        throw new Error((r.content as { text: string }[])[0]?.text ?? "tool error");
      }
      return r.structuredContent as Record<string, unknown>;
    },
    async close() {
      await client.close();
      await server.close();
      rec.close();
    },
  };
}
