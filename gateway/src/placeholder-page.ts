import type { DescService } from "@bufbuild/protobuf";

export interface PlaceholderPageOptions {
  /** The request's `Host` header: where the page was loaded from, so the examples are the caller's. */
  host: string | undefined;
  /** The port of the gateway's h2c (gRPC) listener. */
  grpcPort: number;
  /** The services the gateway serves, listed with their methods. */
  services: readonly DescService[];
}

/**
 * The page `/` serves until the web app is built: it says so, and how to call the API meanwhile. Plain
 * HTML without inline styles or scripts, so that it passes the static files' Content-Security-Policy.
 */
export function placeholderPage(options: PlaceholderPageOptions): string {
  const host = options.host ?? "localhost:8080";
  const hostname = host.replace(/:\d+$/, "");
  const httpUrl = `http://${host}`;
  const grpcAddress = `${hostname}:${options.grpcPort}`;
  const services = options.services
    .map(
      (service) =>
        `<li><code>${escapeHtml(service.typeName)}</code>: ${service.methods
          .map((method) => escapeHtml(method.name))
          .join(", ")}</li>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Bourse</title>
</head>
<body>
<h1>Bourse</h1>
<p>The exchange is running. Its web app has not landed yet: until it is built (into <code>web/dist</code>), this
page is all the gateway serves here. The API is ready.</p>
<h2>Connect (JSON over HTTP/1.1) with curl</h2>
<pre>curl -H 'Content-Type: application/json' -d '{}' \\
  ${escapeHtml(httpUrl)}/bourse.inventory.v1.InventoryService/ListMarkets</pre>
<p>Methods that need a signed-in user take <code>-H 'Authorization: Bearer &lt;access token&gt;'</code>, the
token that <code>bourse.users.v1.AuthService/Login</code> returns.</p>
<h2>gRPC on ${escapeHtml(grpcAddress)} (h2c, with server reflection)</h2>
<pre>buf curl --protocol grpc --http2-prior-knowledge \\
  http://${escapeHtml(grpcAddress)}/bourse.inventory.v1.InventoryService/ListMarkets
grpcurl -plaintext ${escapeHtml(grpcAddress)} list</pre>
<p>gRPC libraries take the <code>.proto</code> files of the repository's <code>proto/</code> directory.
gRPC-Web is served here, on ${escapeHtml(httpUrl)}.</p>
<h2>Services</h2>
<ul>
${services}
</ul>
</body>
</html>
`;
}

const htmlEscapes: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => htmlEscapes[character] ?? character);
}
