/**
 * The two ways a tool call of `fgm mcp` fails. An {@linkcode ArgumentError} is the caller's: a
 * value the schema allows but the recording does not hold (an unknown metric or container, a range
 * outside the recording); the server answers it, like a schema violation, with a JSON-RPC error
 * `-32602` (invalid params) carrying this message. Anything else (an empty or unreadable
 * recording) becomes a tool result with `isError: true` and the message as its text.
 *
 * @module
 */

/** JSON-RPC's "invalid params" code, which MCP uses for bad tool arguments. */
export const INVALID_PARAMS = -32602;

/** A tool argument the recording cannot answer; the message says what would do instead. */
export class ArgumentError extends Error {
  override name = "ArgumentError";
  /** The JSON-RPC error code the SDK's protocol layer sends. */
  readonly code = INVALID_PARAMS;
}
