/**
 * A pass-through in front of a provider server (ProviderServer, lib/terraform.ts) that answers the
 * provider's schema request with the resource and data source types the session's stacks use only.
 *
 * Every terraform command reads the whole provider schema first: for the AWS provider 5.100 about
 * 1,500 resource and 600 data source types, which the server builds (0.37 s of CPU per request) and
 * terraform decodes (most of the 0.7 s of CPU of a `show -json`), though a logging stack uses some 40.
 * Terraform needs the schema of the types in the configuration and the state it works on and of no
 * other (an unknown type is an error, "Invalid resource type", so a missing one cannot go unnoticed).
 * The proxy asks the server once, keeps the answer, and gives every command that answer without the
 * other types; every other call (configure, validate, plan, the plugin protocol's own streams) passes
 * through unchanged, so the plan is still the provider's and Terraform's.
 *
 * The wire format it edits: gRPC over HTTP/2 (one length-prefixed message per response), and in the
 * response message (tfplugin5 GetProviderSchema.Response; tfplugin6 the same fields) the maps
 * resource_schemas (field 2) and data_source_schemas (field 3), whose entries are messages with the
 * type name as field 1 (developer.hashicorp.com/terraform/plugin/terraform-plugin-protocol).
 */
import * as http2 from 'http2';
import * as net from 'net';
import * as path from 'path';

const SCHEMA_PATHS = new Set(['/tfplugin5.Provider/GetSchema', '/tfplugin6.Provider/GetProviderSchema']);
const RESOURCE_SCHEMAS = 2;
const DATA_SOURCE_SCHEMAS = 3;

function readVarint(buf: Buffer, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[at++];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, at];
    shift += 7;
  }
}

/** The type name of a map entry (its field 1, a string). */
function entryKey(entry: Buffer): string | undefined {
  let at = 0;
  while (at < entry.length) {
    const [tag, afterTag] = readVarint(entry, at);
    if ((tag & 7) !== 2) return undefined;
    const [len, start] = readVarint(entry, afterTag);
    if (tag >>> 3 === 1) return entry.subarray(start, start + len).toString('utf8');
    at = start + len;
  }
  return undefined;
}

/** A GetProviderSchema response without the resource and data source types `keep` does not hold. */
export function filterSchemaResponse(message: Buffer, keep: ReadonlySet<string>): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < message.length) {
    const start = at;
    const [tag, afterTag] = readVarint(message, at);
    const field = tag >>> 3;
    switch (tag & 7) {
      case 0:
        at = readVarint(message, afterTag)[1];
        break;
      case 1:
        at = afterTag + 8;
        break;
      case 5:
        at = afterTag + 4;
        break;
      case 2: {
        const [len, body] = readVarint(message, afterTag);
        at = body + len;
        if (field === RESOURCE_SCHEMAS || field === DATA_SOURCE_SCHEMAS) {
          const key = entryKey(message.subarray(body, at));
          if (key !== undefined && !keep.has(key)) continue;
        }
        break;
      }
      default:
        throw new Error(`unexpected protobuf wire type ${tag & 7} in the provider schema`);
    }
    parts.push(message.subarray(start, at));
  }
  return Buffer.concat(parts);
}

/** One gRPC message framed for the wire: not compressed, its length, the message. */
function frame(message: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

/** The reattach address of a provider server (TF_REATTACH_PROVIDERS of go-plugin), and the same with another address. */
export function reattachAddress(reattach: string): string {
  const parsed: Record<string, { Addr: { Network: string; String: string } }> = JSON.parse(reattach);
  const addr = Object.values(parsed)[0]?.Addr;
  if (!addr || addr.Network !== 'unix') throw new Error(`the provider server listens on ${JSON.stringify(addr)}, not a unix socket`);
  return addr.String;
}

function withAddress(reattach: string, socket: string): string {
  const parsed: Record<string, { Addr: { Network: string; String: string } }> = JSON.parse(reattach);
  for (const p of Object.values(parsed)) p.Addr = { Network: 'unix', String: socket };
  return JSON.stringify(parsed);
}

let proxies = 0;

const HOP_HEADERS = new Set([':method', ':path', ':scheme', ':authority', ':status']);

export class SchemaProxy {
  private full?: Promise<{ message: Buffer; headers: http2.IncomingHttpHeaders; trailers: http2.IncomingHttpHeaders }>;
  private filtered?: { size: number; framed: Buffer };
  private upstream?: http2.ClientHttp2Session;
  /** Terraform's connections now open: closed with the proxy, so it never holds the process open. */
  private readonly sessions = new Set<http2.ServerHttp2Session>();

  private constructor(
    private readonly server: http2.Http2Server,
    private readonly target: string,
    /** TF_REATTACH_PROVIDERS pointing at the proxy. */
    readonly reattach: string,
    /** The types the schema answer keeps (the caller's set: it may grow; none yet: the whole schema). */
    private readonly keep: Set<string>,
  ) {}

  /** Starts a proxy for the provider server of `reattach`, listening on a socket in `dir`. */
  static async start(reattach: string, dir: string, keep: Set<string>): Promise<SchemaProxy> {
    // Short: a socket path has at most 104 bytes on macOS (108 on Linux); a failed listen leaves the server unproxied.
    const socket = path.join(dir, `proxy-${++proxies}.sock`);
    const server = http2.createServer();
    const proxy = new SchemaProxy(server, reattachAddress(reattach), withAddress(reattach, socket), keep);
    server.on('stream', (stream, headers) => proxy.onStream(stream, headers));
    server.on('session', (session) => {
      proxy.sessions.add(session);
      session.on('close', () => proxy.sessions.delete(session));
    });
    server.on('sessionError', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socket, () => resolve());
    });
    return proxy;
  }

  close(): void {
    this.upstream?.destroy();
    for (const s of this.sessions) s.destroy();
    this.server.close();
  }

  private client(): http2.ClientHttp2Session {
    if (!this.upstream || this.upstream.closed || this.upstream.destroyed) {
      this.upstream = http2.connect('http://provider', { createConnection: () => net.connect(this.target) });
      this.upstream.on('error', () => undefined);
    }
    return this.upstream;
  }

  private forwardHeaders(headers: http2.IncomingHttpHeaders): http2.OutgoingHttpHeaders {
    const out: http2.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(headers)) if (!HOP_HEADERS.has(k) && v !== undefined) out[k] = v;
    return out;
  }

  private onStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    const p = String(headers[':path']);
    if (SCHEMA_PATHS.has(p) && this.keep.size) {
      stream.resume();
      this.schema(headers).then(
        (r) => {
          if (stream.destroyed) return;
          if (!this.filtered || this.filtered.size !== this.keep.size)
            this.filtered = { size: this.keep.size, framed: frame(filterSchemaResponse(r.message, this.keep)) };
          stream.respond({ ':status': 200, ...this.forwardHeaders(r.headers) }, { waitForTrailers: true });
          stream.on('wantTrailers', () => stream.sendTrailers(this.forwardHeaders(r.trailers)));
          stream.end(this.filtered.framed);
        },
        // Terraform then reports that the provider did not answer its schema request.
        () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR),
      );
      stream.on('error', () => undefined);
      return;
    }
    this.pass(stream, headers);
  }

  /** The server's whole schema answer, asked once. */
  private schema(headers: http2.IncomingHttpHeaders) {
    this.full ??= new Promise((resolve, reject) => {
      const up = this.client().request({ ':method': 'POST', ':path': String(headers[':path']), ...this.forwardHeaders(headers) });
      const chunks: Buffer[] = [];
      let responseHeaders: http2.IncomingHttpHeaders = {};
      let trailers: http2.IncomingHttpHeaders = {};
      up.on('response', (h) => (responseHeaders = h));
      up.on('trailers', (t) => (trailers = t));
      up.on('data', (d: Buffer) => chunks.push(d));
      up.on('error', reject);
      up.on('end', () => {
        const body = Buffer.concat(chunks);
        if (String(trailers['grpc-status'] ?? responseHeaders['grpc-status']) !== '0' || body.length < 5 || body[0] !== 0)
          return reject(new Error('the provider did not answer its schema'));
        resolve({ message: body.subarray(5, 5 + body.readUInt32BE(1)), headers: responseHeaders, trailers });
      });
      // GetProviderSchema.Request has no fields: one empty message.
      up.end(frame(Buffer.alloc(0)));
    });
    this.full.catch(() => (this.full = undefined));
    return this.full;
  }

  /** Any other call, both ways unchanged (unary calls and the plugin protocol's streams). */
  private pass(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    const up = this.client().request({ ':method': 'POST', ':path': String(headers[':path']), ...this.forwardHeaders(headers) });
    let trailers: http2.OutgoingHttpHeaders = {};
    up.on('response', (h) => {
      if (stream.destroyed) return;
      const trailersOnly = h['grpc-status'] !== undefined;
      stream.respond(
        { ':status': h[':status'] ?? 200, ...this.forwardHeaders(h) },
        trailersOnly ? { endStream: true } : { waitForTrailers: true },
      );
      if (!trailersOnly) stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    });
    up.on('trailers', (t) => (trailers = this.forwardHeaders(t)));
    up.on('data', (d: Buffer) => {
      if (!stream.destroyed && !stream.writableEnded) stream.write(d);
    });
    up.on('end', () => {
      if (!stream.destroyed && !stream.writableEnded && stream.headersSent) stream.end();
    });
    up.on('error', () => stream.destroyed || stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
    up.on('close', () => stream.destroyed || stream.writableEnded || stream.close(up.rstCode ?? http2.constants.NGHTTP2_CANCEL));
    stream.on('data', (d: Buffer) => up.write(d));
    stream.on('end', () => up.end());
    stream.on('close', () => up.destroyed || up.close(http2.constants.NGHTTP2_CANCEL));
    stream.on('error', () => undefined);
  }
}

/** The resource and data source types of parsed cdk.tf.json configurations and version-4 states. */
export function typesOf(...docs: unknown[]): string[] {
  const types = new Set<string>();
  const rec = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  for (const doc of docs) {
    if (!rec(doc)) continue;
    for (const key of ['resource', 'data'] as const) if (rec(doc[key])) for (const t of Object.keys(doc[key])) types.add(t);
    if (Array.isArray(doc.resources)) for (const r of doc.resources) if (rec(r) && typeof r.type === 'string') types.add(r.type);
  }
  return [...types];
}
