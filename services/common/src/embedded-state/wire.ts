import { deserialize, serialize } from "node:v8";

/**
 * The embedded state service's encoding of the ports' own values (items, keys, conditions, queries...):
 * node:v8 serialize, which keeps bigints, byte arrays and nested maps exact where JSON or protobuf would
 * need a mapping of their own. Decoding v8 data is only safe from a trusted peer running the same node
 * binary: the service is internal, loopback-bound by `npm start`, and every call presents the service
 * credential before anything is decoded.
 */
export function encodeValue(value: unknown): Uint8Array {
  return value === undefined ? new Uint8Array() : serialize(value);
}

/** The value `encodeValue` encoded; empty bytes are `undefined` (an option left out). */
export function decodeValue<T>(bytes: Uint8Array): T {
  return (bytes.length === 0 ? undefined : deserialize(bytes)) as T;
}
