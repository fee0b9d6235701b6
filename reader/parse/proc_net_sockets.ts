/**
 * Parsers for /proc/net/{tcp,tcp6,udp,udp6} (also under /proc/<pid>/net/) and for the socket
 * inodes behind a process's file descriptors, see proc_net(5).
 *
 * @module
 */

import {
  digitsAtMost,
  excerpt,
  fields,
  nonBlankLines,
  parseError,
  parseInteger,
  U64_MAX,
} from "./parse_util.ts";

/** Which table a socket came from. */
export type SocketProtocol = "tcp" | "tcp6" | "udp" | "udp6";

/**
 * Socket state: the kernel's TCP state name (`TCP_` prefix dropped) for TCP; for UDP, as `ss`
 * prints it, `UNCONN` (kernel code 7, TCP_CLOSE) or `ESTABLISHED` (connected, code 1).
 * `UNKNOWN` for a code this parser does not know (see {@linkcode Socket.stateCode}).
 */
export type SocketState =
  | "ESTABLISHED"
  | "SYN_SENT"
  | "SYN_RECV"
  | "FIN_WAIT1"
  | "FIN_WAIT2"
  | "TIME_WAIT"
  | "CLOSE"
  | "CLOSE_WAIT"
  | "LAST_ACK"
  | "LISTEN"
  | "CLOSING"
  | "NEW_SYN_RECV"
  | "BOUND_INACTIVE"
  | "UNCONN"
  | "UNKNOWN";

/** One row of a /proc/net socket table. */
export interface Socket {
  /** Table the row came from. */
  protocol: SocketProtocol;
  /** Local address, printable: `127.0.0.1`, `::`, `::1`, `::ffff:127.0.0.1`, `fe80::1`. */
  localAddress: string;
  /** Local port. */
  localPort: number;
  /** Remote address (`0.0.0.0` / `::` when unconnected). */
  remoteAddress: string;
  /** Remote port (0 when unconnected). */
  remotePort: number;
  /** Decoded state. */
  state: SocketState;
  /** The kernel's numeric state (the `st` column). */
  stateCode: number;
  /** Owner's user ID (in the reader's user namespace). */
  uid: number;
  /** Socket inode, matches `socket:[<inode>]` in /proc/<pid>/fd (0 for TIME_WAIT/request socks). */
  inode: number;
}

/** Parse options for the socket tables. */
export interface SocketParseOptions {
  /**
   * Byte order of the kernel that wrote the file. The kernel prints each address as 32-bit words
   * in host order, so `127.0.0.1` is `0100007F` on little-endian machines. Defaults to this
   * machine's byte order.
   */
  littleEndian?: boolean;
}

/** This machine's byte order. */
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const TCP_STATES: Record<number, SocketState> = {
  1: "ESTABLISHED",
  2: "SYN_SENT",
  3: "SYN_RECV",
  4: "FIN_WAIT1",
  5: "FIN_WAIT2",
  6: "TIME_WAIT",
  7: "CLOSE",
  8: "CLOSE_WAIT",
  9: "LAST_ACK",
  10: "LISTEN",
  11: "CLOSING",
  12: "NEW_SYN_RECV",
  13: "BOUND_INACTIVE",
};

const UDP_STATES: Record<number, SocketState> = { 1: "ESTABLISHED", 7: "UNCONN" };

/**
 * Parse /proc/net/tcp or /proc/net/tcp6.
 *
 * @param text The file's text.
 * @param family Which file it is (`tcp` for IPv4, `tcp6` for IPv6).
 * @param options See {@linkcode SocketParseOptions}.
 * @returns One record per socket, in file order; `[]` when only the header is present.
 * @throws {SyntaxError} on a malformed row or an address of the wrong length for `family`.
 */
export function parseNetTcp(
  text: string,
  family: "tcp" | "tcp6",
  { littleEndian = HOST_LITTLE_ENDIAN }: SocketParseOptions = {},
): Socket[] {
  return parseTable(text, family, TCP_STATES, littleEndian);
}

/**
 * Parse /proc/net/udp or /proc/net/udp6.
 *
 * @param text The file's text.
 * @param family Which file it is (`udp` for IPv4, `udp6` for IPv6).
 * @param options See {@linkcode SocketParseOptions}.
 * @returns One record per socket, in file order; `[]` when only the header is present.
 * @throws {SyntaxError} on a malformed row or an address of the wrong length for `family`.
 */
export function parseNetUdp(
  text: string,
  family: "udp" | "udp6",
  { littleEndian = HOST_LITTLE_ENDIAN }: SocketParseOptions = {},
): Socket[] {
  return parseTable(text, family, UDP_STATES, littleEndian);
}

/**
 * Collect the socket inodes from a process's fd symlink targets (`readlink /proc/<pid>/fd/*`).
 * Targets that are not `socket:[<inode>]` (files, pipes, anon inodes) are ignored.
 *
 * @param links Symlink targets such as `socket:[12345]`, `/dev/null`, `pipe:[6289]`.
 * @returns The socket inodes.
 */
export function socketInodesFromFdLinks(links: string[]): Set<number> {
  const inodes = new Set<number>();
  for (const link of links) {
    const match = /^socket:\[(\d+)\]$/.exec(link);
    // An inode above 2^64 − 1 is no kernel's target: ignored like any other.
    if (match !== null && digitsAtMost(match[1], 0, match[1].length, U64_MAX.digits)) {
      inodes.add(Number(match[1]));
    }
  }
  return inodes;
}

function parseTable(
  text: string,
  protocol: SocketProtocol,
  states: Record<number, SocketState>,
  littleEndian: boolean,
): Socket[] {
  const file = `/proc/net/${protocol}`;
  const addressLength = protocol.endsWith("6") ? 32 : 8;
  const out: Socket[] = [];
  for (const line of nonBlankLines(text)) {
    const tokens = fields(line);
    if (tokens[0] === "sl") continue;
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
    if (tokens.length < 10 || !/^\d+:$/.test(tokens[0])) {
      throw parseError(file, `malformed row ${excerpt(line)}`);
    }
    const local = parseEndpoint(tokens[1], addressLength, littleEndian, file);
    const remote = parseEndpoint(tokens[2], addressLength, littleEndian, file);
    if (!/^[0-9A-Fa-f]{2}$/.test(tokens[3])) {
      throw parseError(file, `bad state in ${excerpt(line)}`);
    }
    const stateCode = parseInt(tokens[3], 16);
    out.push({
      protocol,
      localAddress: local.address,
      localPort: local.port,
      remoteAddress: remote.address,
      remotePort: remote.port,
      state: states[stateCode] ?? "UNKNOWN",
      stateCode,
      uid: parseInteger(tokens[7], file, "uid"),
      inode: parseInteger(tokens[9], file, "inode"),
    });
  }
  return out;
}

/** Decode `0100007F:1F90` into a printable address and a port. */
function parseEndpoint(
  token: string,
  addressLength: number,
  littleEndian: boolean,
  file: string,
): { address: string; port: number } {
  const match = /^([0-9A-Fa-f]+):([0-9A-Fa-f]{4})$/.exec(token);
  if (match === null || match[1].length !== addressLength) {
    throw parseError(file, `bad address ${excerpt(token)}`);
  }
  const bytes = new Uint8Array(addressLength / 2);
  for (let word = 0; word < addressLength / 8; word++) {
    const value = parseInt(match[1].slice(word * 8, word * 8 + 8), 16);
    for (let i = 0; i < 4; i++) {
      // Big-endian memory holds the most significant byte first.
      const shift = littleEndian ? 8 * i : 8 * (3 - i);
      bytes[word * 4 + i] = (value >>> shift) & 0xff;
    }
  }
  const address = bytes.length === 4 ? bytes.join(".") : formatIpv6(bytes);
  return { address, port: parseInt(match[2], 16) };
}

/**
 * Format 16 bytes as an IPv6 address in RFC 5952 form: lower-case hex, leading zeros dropped,
 * the longest run (first on a tie) of two or more zero groups shortened to `::`, and IPv4-mapped
 * addresses as `::ffff:a.b.c.d`.
 */
export function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes.slice(12).join(".")}`;
  }
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLength < 2) return hex.join(":");
  const head = hex.slice(0, bestStart).join(":");
  const tail = hex.slice(bestStart + bestLength).join(":");
  return `${head}::${tail}`;
}
