import assert from "node:assert/strict";
import {
  formatIpv6,
  parseNetTcp,
  parseNetUdp,
  type Socket,
  socketInodesFromFdLinks,
} from "./proc_net_sockets.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../tests/fixtures/proc/${name}`, import.meta.url));

// Fixtures were written by a little-endian (x86-64) kernel.
const LE = { littleEndian: true };

const brief = (s: Socket) =>
  `${s.localAddress} ${s.localPort} ${s.remoteAddress} ${s.remotePort} ${s.state}`;

Deno.test("REQ-RDR-109: parseNetTcp() reads real IPv4 listening and established sockets", () => {
  const sockets = parseNetTcp(fixture("net_tcp_real.txt"), "tcp", LE);
  assert.deepEqual(sockets.map(brief), [
    "0.0.0.0 2024 0.0.0.0 0 LISTEN",
    "127.0.0.1 8080 0.0.0.0 0 LISTEN",
    "127.0.0.1 47738 127.0.0.1 8080 ESTABLISHED",
    "127.0.0.1 8080 127.0.0.1 47750 ESTABLISHED",
    "127.0.0.1 8080 127.0.0.1 47738 ESTABLISHED",
  ]);
  assert.deepEqual(sockets[1], {
    protocol: "tcp",
    localAddress: "127.0.0.1",
    localPort: 8080,
    remoteAddress: "0.0.0.0",
    remotePort: 0,
    state: "LISTEN",
    stateCode: 10,
    uid: 0,
    inode: 6313,
  });
});

Deno.test("REQ-RDR-109: parseNetTcp() reads real IPv6 sockets including IPv4-mapped ones", () => {
  const sockets = parseNetTcp(fixture("net_tcp6_real.txt"), "tcp6", LE);
  assert.deepEqual(sockets.map(brief), [
    ":: 9090 :: 0 LISTEN",
    "::ffff:127.0.0.1 47750 ::ffff:127.0.0.1 8080 ESTABLISHED",
    "::1 42282 ::1 9090 ESTABLISHED",
    "::1 9090 ::1 42282 ESTABLISHED",
  ]);
  assert.equal(sockets[0].protocol, "tcp6");
  assert.equal(sockets[0].inode, 6314);
});

Deno.test("REQ-RDR-109: parseNetTcp() decodes link-local and global IPv6 addresses", () => {
  const sockets = parseNetTcp(fixture("net_tcp6_handmade.txt"), "tcp6", LE);
  assert.deepEqual(sockets.map(brief), [
    "fe80::a00:27ff:fe4e:66a1 22 fe80::1 50022 ESTABLISHED",
    "2001:db8::1:0:0:1 443 2001:db8:0:1::42 60000 ESTABLISHED",
    ":: 8443 :: 0 LISTEN",
  ]);
  assert.equal(sockets[1].uid, 1000);
  assert.equal(sockets[2].uid, 101);
});

Deno.test("REQ-RDR-109: parseNetTcp() maps the kernel's TCP state codes", () => {
  const sockets = parseNetTcp(fixture("net_tcp_states.txt"), "tcp", LE);
  assert.deepEqual(sockets.map((s) => s.state), [
    "LISTEN",
    "ESTABLISHED",
    "SYN_SENT",
    "TIME_WAIT",
    "CLOSE_WAIT",
  ]);
  assert.equal(sockets[1].localAddress, "10.244.1.17");
  assert.equal(sockets[2].remoteAddress, "93.184.216.34");
  assert.equal(sockets[2].remotePort, 443);
  assert.equal(sockets[3].inode, 0);
  assert.equal(sockets[4].uid, 65534);
  const unknown = fixture("net_tcp_states.txt").replace(" 0A 00000000", " 2A 00000000");
  assert.deepEqual(
    [parseNetTcp(unknown, "tcp", LE)[0].state, parseNetTcp(unknown, "tcp", LE)[0].stateCode],
    ["UNKNOWN", 42],
  );
});

Deno.test("REQ-RDR-109: parseNetUdp() reads real unconnected and connected IPv4 sockets", () => {
  assert.deepEqual(parseNetUdp(fixture("net_udp_real.txt"), "udp", LE), [
    {
      protocol: "udp",
      localAddress: "192.0.2.2",
      localPort: 58155,
      remoteAddress: "10.1.2.3",
      remotePort: 53,
      state: "ESTABLISHED",
      stateCode: 1,
      uid: 0,
      inode: 6322,
    },
    {
      protocol: "udp",
      localAddress: "0.0.0.0",
      localPort: 5353,
      remoteAddress: "0.0.0.0",
      remotePort: 0,
      state: "UNCONN",
      stateCode: 7,
      uid: 0,
      inode: 6321,
    },
  ]);
});

Deno.test("REQ-RDR-109: parseNetUdp() reads IPv6 sockets", () => {
  assert.deepEqual(parseNetUdp(fixture("net_udp6_real.txt"), "udp6", LE).map(brief), [
    "::1 5454 :: 0 UNCONN",
  ]);
  assert.deepEqual(parseNetUdp(fixture("net_udp6_handmade.txt"), "udp6", LE).map(brief), [
    "fe80::1ff:fe23:4567:890a 546 :: 0 UNCONN",
    "2001:db8::5 40001 2001:4860:4860::8888 53 ESTABLISHED",
  ]);
});

Deno.test("REQ-RDR-109: parseNetTcp() decodes addresses written by a big-endian kernel", () => {
  const header = fixture("net_tcp_real.txt").split("\n")[0];
  const row = "   0: 7F000001:1F90 0A000001:0050 01 00000000:00000000 00:00000000 " +
    "00000000     0        0 777 1 0000000000000000 20 4 30 10 -1";
  const [socket] = parseNetTcp(`${header}\n${row}\n`, "tcp", { littleEndian: false });
  assert.equal(socket.localAddress, "127.0.0.1");
  assert.equal(socket.remoteAddress, "10.0.0.1");
  const row6 =
    "   0: 20010DB8000000000000000000000001:01BB 00000000000000000000000000000000:0000 " +
    "0A 00000000:00000000 00:00000000 00000000     0        0 778 1 0000000000000000 100 0 0 10 0";
  assert.equal(
    parseNetTcp(`${header}\n${row6}\n`, "tcp6", { littleEndian: false })[0].localAddress,
    "2001:db8::1",
  );
});

Deno.test("REQ-RDR-109: formatIpv6() follows RFC 5952", () => {
  const bytes = (...groups: number[]) => new Uint8Array(groups.flatMap((g) => [g >> 8, g & 0xff]));
  assert.equal(formatIpv6(bytes(0, 0, 0, 0, 0, 0, 0, 0)), "::");
  assert.equal(formatIpv6(bytes(0, 0, 0, 0, 0, 0, 0, 1)), "::1");
  assert.equal(formatIpv6(bytes(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1)), "2001:db8:0:1:1:1:1:1");
  assert.equal(formatIpv6(bytes(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1)), "2001:db8::1:0:0:1");
  assert.equal(formatIpv6(bytes(0x2001, 0, 0, 1, 0, 0, 0, 1)), "2001:0:0:1::1");
  assert.equal(formatIpv6(bytes(0xfe80, 0, 0, 0, 0, 0, 0, 0)), "fe80::");
  assert.equal(formatIpv6(bytes(0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001)), "::ffff:10.0.0.1");
});

Deno.test("REQ-RDR-110: socketInodesFromFdLinks() collects socket inodes from real fd links", () => {
  const links = fixture("pid_fd_links_real.txt").trimEnd().split("\n");
  assert.deepEqual(
    [...socketInodesFromFdLinks(links)].sort((a, b) => a - b),
    [6313, 6314, 6315, 6316, 6317, 6318, 6319, 6320, 6321, 6322, 6323, 6324],
  );
  assert.deepEqual(
    socketInodesFromFdLinks(["anon_inode:[eventpoll]", "pipe:[1]", "socket:[x]", "/socket:[2]"]),
    new Set(),
  );
  assert.deepEqual(socketInodesFromFdLinks(["socket:[5]", "socket:[5]"]), new Set([5]));
});

Deno.test("REQ-RDR-110: fd socket inodes match rows of the socket tables", () => {
  const inodes = socketInodesFromFdLinks(fixture("pid_fd_links_real.txt").trimEnd().split("\n"));
  const sockets = [
    ...parseNetTcp(fixture("net_tcp_real.txt"), "tcp", LE),
    ...parseNetTcp(fixture("net_tcp6_real.txt"), "tcp6", LE),
    ...parseNetUdp(fixture("net_udp_real.txt"), "udp", LE),
    ...parseNetUdp(fixture("net_udp6_real.txt"), "udp6", LE),
  ];
  const mine = sockets.filter((s) => inodes.has(s.inode));
  // 12 socket fds: 11 appear in the tables, one (an unbound IPv6 UDP socket) does not.
  assert.equal(mine.length, 11);
  assert.ok(!mine.some((s) => s.localPort === 2024));
});

Deno.test("REQ-RDR-118: socket parsers tolerate trailing newlines and empty tables", () => {
  assert.equal(parseNetTcp(fixture("net_tcp_real.txt") + "\n\n", "tcp", LE).length, 5);
  const header = fixture("net_udp6_real.txt").split("\n")[0];
  assert.deepEqual(parseNetUdp(header, "udp6", LE), []);
  assert.deepEqual(parseNetUdp(header + "\n", "udp6", LE), []);
  assert.deepEqual(parseNetTcp("", "tcp", LE), []);
});

Deno.test("REQ-RDR-118: socket parsers throw SyntaxError on garbage", () => {
  // An IPv4 table parsed as IPv6 has addresses of the wrong length.
  assert.throws(
    () => parseNetTcp(fixture("net_tcp_real.txt"), "tcp6", LE),
    /Cannot parse "\/proc\/net\/tcp6": bad address "00000000:07E8"/,
  );
  assert.throws(() => parseNetUdp(fixture("net_udp6_real.txt"), "udp", LE), SyntaxError);
  const truncated = fixture("net_tcp_real.txt").split("\n").slice(0, 2).join("\n").slice(0, 200);
  assert.throws(() => parseNetTcp(truncated, "tcp", LE), /Cannot parse "\/proc\/net\/tcp"/);
  assert.throws(() => parseNetTcp("garbage here", "tcp", LE), SyntaxError);
});

Deno.test("REQ-RDR-301: socket tables refuse negative and too large uids and inodes", () => {
  const row = (uid: string, inode: string) =>
    `   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 ${uid} 0 ${inode} 1 0\n`;
  assert.throws(
    () => parseNetTcp(row("-1", "639"), "tcp"),
    /Cannot parse "\/proc\/net\/tcp": uid is negative/,
  );
  assert.throws(() => parseNetUdp(row("0", "9".repeat(400)), "udp"), /inode is above 2\^64-1/);
  // An fd target with an inode no kernel prints is ignored like any other target.
  assert.deepEqual(
    socketInodesFromFdLinks([`socket:[${"9".repeat(400)}]`, "socket:[18446744073709551616]"]),
    new Set(),
  );
  assert.deepEqual(
    socketInodesFromFdLinks(["socket:[18446744073709551615]"]),
    new Set([2 ** 64]),
  );
});
