import { EmbeddedStoreService } from "@bourse/proto/bourse/state/v1/embedded_state_pb";
import type { ConnectRouter } from "@connectrpc/connect";
import type { Key } from "../storage/model.js";
import type { ConditionOptions, GetOptions, Store } from "../storage/store.js";
import { portHandlers } from "./guard.js";
import { decodeValue, encodeValue } from "./wire.js";

/** Serves `store` as EmbeddedStoreService: each RPC decodes the method's arguments and calls it. */
export function registerStoreRoutes(router: ConnectRouter, store: Store, credential: string): void {
  const handler = portHandlers(credential);
  router.service(EmbeddedStoreService, {
    get: handler(async (request) => {
      const item = await store.get(decodeValue<Key>(request.key), decodeValue<GetOptions>(request.options));
      return { item: item === undefined ? undefined : encodeValue(item) };
    }),
    getMany: handler(async (request) => ({
      items: encodeValue(await store.getMany(decodeValue(request.keys), decodeValue(request.options))),
    })),
    put: handler(async (request) => {
      await store.put(decodeValue(request.item), decodeValue<ConditionOptions>(request.options));
      return {};
    }),
    update: handler(async (request) => ({
      item: encodeValue(
        await store.update(
          decodeValue(request.key),
          decodeValue(request.update),
          decodeValue(request.options),
        ),
      ),
    })),
    delete: handler(async (request) => {
      await store.delete(decodeValue(request.key), decodeValue<ConditionOptions>(request.options));
      return {};
    }),
    query: handler(async (request) => ({ page: encodeValue(await store.query(decodeValue(request.query))) })),
    transactWrite: handler(async (request) => {
      await store.transactWrite(decodeValue(request.items));
      return {};
    }),
  });
}
