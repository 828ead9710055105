import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import type { Writable } from "node:stream";

/** What is used of a request of either listener (HTTP/1.1 or h2c). */
interface Request {
  readonly method?: string;
  readonly url?: string;
  readonly headers: { readonly host?: string };
}

/** What is used of a response of either listener. */
interface Response {
  readonly headersSent: boolean;
  writeHead(status: number, headers?: Record<string, string>): unknown;
  end(): unknown;
  end(chunk: Uint8Array): unknown;
  destroy(): unknown;
}

/**
 * Sent with every static response: the page may load only what its own origin serves, cannot be framed
 * (clickjacking), keeps its address from other sites and is never content-sniffed into another type.
 */
export const staticSecurityHeaders: Readonly<Record<string, string>> = {
  "Content-Security-Policy":
    "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
};

const htmlType = "text/html; charset=utf-8";

const contentTypes: Readonly<Record<string, string>> = {
  ".html": htmlType,
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
};

export interface StaticFilesOptions {
  /** Absolute directory of the web app's build; while it does not exist, `/` serves `placeholder()`. */
  webRoot: string;
  /** The HTML page `/` serves until the web app is built, given the request's `Host`. */
  placeholder(host: string | undefined): string;
}

/**
 * Serves GET and HEAD of the files under `webRoot`, with security headers. A path without an extension
 * that names no file serves `index.html`, so that the web app's own routes load it. The root is looked
 * up on each request: building the web app needs no restart. Other methods get 404, as Connect answers
 * a route it does not know (Connect and gRPC clients read it as the code for an unknown method).
 */
export function serveStaticFiles(
  options: StaticFilesOptions,
): (request: Request, response: Response) => void {
  const webRoot = resolve(options.webRoot);
  return (request, response) => {
    answer(request, response).catch(() => {
      if (!response.headersSent) send(response, 500, "text/plain; charset=utf-8", "internal error\n", false);
      else response.destroy();
    });
  };

  async function answer(request: Request, response: Response): Promise<void> {
    const head = request.method === "HEAD";
    if (request.method !== "GET" && !head) {
      response.writeHead(404);
      response.end();
      return;
    }
    const path = decodedPath(request.url ?? "/");
    if (path === undefined) return send(response, 400, "text/plain; charset=utf-8", "bad path\n", head);
    if (!(await isDirectory(webRoot))) {
      if (path === "/" || path === "/index.html") {
        return send(response, 200, htmlType, options.placeholder(request.headers.host), head);
      }
      return send(response, 404, "text/plain; charset=utf-8", "not found\n", head);
    }
    const file =
      (await fileUnder(webRoot, path === "/" ? "/index.html" : path)) ??
      (extname(path) === "" ? await fileUnder(webRoot, "/index.html") : undefined);
    if (file === undefined) return send(response, 404, "text/plain; charset=utf-8", "not found\n", head);
    response.writeHead(200, {
      ...staticSecurityHeaders,
      "Content-Type": contentTypes[extname(file.path).toLowerCase()] ?? "application/octet-stream",
      "Content-Length": String(file.size),
      "Cache-Control": "no-cache",
    });
    if (head) {
      response.end();
      return;
    }
    const stream = createReadStream(file.path);
    stream.on("error", () => response.destroy());
    /* Both listeners' responses are writable streams; the narrow interface above just does not say so. */
    stream.pipe(response as unknown as Writable);
  }
}

/** The URL's path, percent-decoded, or undefined when it cannot name a file (bad escapes, NUL, `..`, dotfiles). */
function decodedPath(url: string): string | undefined {
  const rawPath = url.split("?")[0] ?? "/";
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (!path.startsWith("/") || path.includes("\0") || path.includes("\\")) return undefined;
  /* `..` anywhere, and hidden files such as `.env`, are refused before touching the file system. */
  if (path.split("/").some((segment) => segment.startsWith("."))) return undefined;
  return path;
}

/** The regular file at `path` under `root`, also after symbolic links are followed, or undefined. */
async function fileUnder(root: string, path: string): Promise<{ path: string; size: number } | undefined> {
  try {
    const realRoot = await realpath(root);
    const real = await realpath(join(realRoot, path));
    if (!real.startsWith(realRoot + sep)) return undefined;
    const info = await stat(real);
    return info.isFile() ? { path: real, size: info.size } : undefined;
  } catch {
    return undefined;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

function send(response: Response, status: number, contentType: string, body: string, head: boolean): void {
  const bytes = Buffer.from(body);
  response.writeHead(status, {
    ...staticSecurityHeaders,
    "Content-Type": contentType,
    "Content-Length": String(bytes.length),
    "Cache-Control": "no-cache",
  });
  if (head) response.end();
  else response.end(bytes);
}
