export type { ChildServer } from "./child-server.js";
export { startChildServer, stopChild, waitForPort } from "./child-server.js";
export { startDynamoDbLocal } from "./dynamodb-local.js";
export { freePort } from "./free-port.js";
export { startRedisServer } from "./redis-server.js";
export { testRedisUrl } from "./redis-url.js";
export { createTestTokenSigner, type TestTokenSigner } from "./token-signer.js";
export { describeWithStores } from "./with-stores.js";
