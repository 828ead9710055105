import { execFile } from "node:child_process";
import { promisify } from "node:util";

/**
 * Runs `buf curl` (the @bufbuild/buf package's binary) over gRPC on h2c with `args` (flags, then the
 * URL) and returns what it printed. Without a schema, buf curl learns the services through the
 * server's reflection.
 */
export async function bufCurl(args: readonly string[]): Promise<string> {
  const { stdout } = await promisify(execFile)("npx", [
    "buf",
    "curl",
    "--protocol",
    "grpc",
    "--http2-prior-knowledge",
    ...args,
  ]);
  return stdout;
}
