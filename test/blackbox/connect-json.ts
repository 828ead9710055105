import { connect } from "node:http2";

/**
 * A hand-made Connect unary call in JSON over h2c, for request bodies that a generated client cannot
 * send (fields the schema does not have). Resolves with the HTTP status and the response text.
 */
export async function connectJsonCall(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const session = connect(baseUrl);
  try {
    return await new Promise((resolve, reject) => {
      session.once("error", reject);
      const stream = session.request({
        ":method": "POST",
        ":path": path,
        "content-type": "application/json",
        "connect-protocol-version": "1",
        ...headers,
      });
      let status = 0;
      let text = "";
      stream.setEncoding("utf8");
      stream.on("response", (response) => {
        status = Number(response[":status"]);
      });
      stream.on("data", (chunk: string) => {
        text += chunk;
      });
      stream.on("end", () => resolve({ status, text }));
      stream.on("error", reject);
      stream.end(JSON.stringify(body));
    });
  } finally {
    session.close();
  }
}
