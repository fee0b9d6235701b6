/**
 * A stand-in for the Kubernetes API server over real HTTPS: a throwaway CA and server certificate
 * made with openssl, and a `Deno.serve` TLS server that checks the bearer token and the
 * `spec.nodeName` field selector and answers a PodList. There is no kube-apiserver on our machines.
 *
 * @module
 */

export async function openssl(cwd: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, cwd, stdout: "null", stderr: "piped" })
    .output();
  if (!out.success) {
    throw new Error(`openssl ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}

export const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/** A throwaway CA, a server certificate for 127.0.0.1 signed by it, and an unrelated CA. */
export async function makePki(dir: string) {
  await openssl(
    dir,
    "req",
    "-x509",
    ...EC,
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
    "-days",
    "2",
    "-subj",
    "/CN=fgm-test-ca",
  );
  await Deno.writeTextFile(
    `${dir}/server.ext`,
    "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n" +
      "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
  );
  await openssl(
    dir,
    "req",
    "-new",
    ...EC,
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
    "-subj",
    "/CN=kube-apiserver",
  );
  await openssl(
    dir,
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.crt",
    "-days",
    "2",
    "-extfile",
    "server.ext",
  );
  await openssl(
    dir,
    "req",
    "-x509",
    ...EC,
    "-keyout",
    "other.key",
    "-out",
    "other.crt",
    "-subj",
    "/CN=other-ca",
  );
  return {
    caCert: await Deno.readTextFile(`${dir}/ca.crt`),
    otherCaCert: await Deno.readTextFile(`${dir}/other.crt`),
    cert: await Deno.readTextFile(`${dir}/server.crt`),
    key: await Deno.readTextFile(`${dir}/server.key`),
  };
}

/** What the fake API server saw and how it answers; tests change the fields between requests. */
export interface FakeApi {
  port: number;
  items: unknown[];
  /** The bearer token it accepts. */
  token: string;
  /** Status of every answer (200: the pod list). */
  status: number;
  /** Never answer (until the server closes). */
  hang: boolean;
  /** Answer 200 with this body instead of the pod list. */
  body: string | null;
  requests: { authorization: string | null; fieldSelector: string | null }[];
}

export function status(code: number, reason: string, message: string): Response {
  return Response.json(
    { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code },
    { status: code },
  );
}

export function startFakeApi(cert: string, key: string, items: unknown[]) {
  const release: (() => void)[] = [];
  const api: FakeApi = {
    port: 0,
    items,
    token: "token-1",
    status: 200,
    hang: false,
    body: null,
    requests: [],
  };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, cert, key, onListen: () => {} },
    async (req) => {
      const url = new URL(req.url);
      const fieldSelector = url.searchParams.get("fieldSelector");
      api.requests.push({ authorization: req.headers.get("authorization"), fieldSelector });
      if (url.pathname !== "/api/v1/pods") {
        return status(404, "NotFound", "the server could not find the requested resource");
      }
      if (req.headers.get("authorization") !== `Bearer ${api.token}`) {
        return status(401, "Unauthorized", "Unauthorized");
      }
      if (api.hang) {
        await new Promise<void>((resolve) => {
          release.push(resolve);
        });
        return status(504, "Timeout", "gave up");
      }
      if (api.status !== 200) {
        return status(api.status, "InternalError", "etcdserver: request timed out");
      }
      if (api.body !== null) {
        return new Response(api.body, { headers: { "content-type": "application/json" } });
      }
      const node = fieldSelector?.match(/^spec\.nodeName=(.+)$/)?.[1];
      if (!node) return status(400, "BadRequest", "want a spec.nodeName field selector");
      // deno-lint-ignore no-explicit-any
      const onNode = api.items.filter((p: any) => p.spec?.nodeName === node);
      return Response.json({
        kind: "PodList",
        apiVersion: "v1",
        metadata: { resourceVersion: "4817362" },
        items: onNode,
      });
    },
  );
  api.port = server.addr.port;
  return {
    api,
    async close() {
      for (const r of release) r();
      await server.shutdown();
    },
  };
}
