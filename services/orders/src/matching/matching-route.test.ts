import { ColocatedServices } from "@bourse/common";
import type { Store } from "@bourse/common/storage";
import { describeWithStores, rpcError } from "@bourse/common/testing";
import {
  GetBookStatusResponseSchema,
  MatchingService,
} from "@bourse/proto/bourse/matching/v1/matching_service_pb";
import type { ColocatedMatchingApi } from "@bourse/trading";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { expect, it } from "vitest";
import { MARKET_OWNER_HEADER, MatchingRoute } from "./matching-route.js";

/** Nothing listens there: a call over the network to it fails as `unavailable`. */
const NOWHERE = "http://127.0.0.1:1";

/** The engine in this process: while it does not own the market, it answers as a non-owner does. */
function inProcessEngine(market: string) {
  const engine = { owning: false, calls: 0 };
  const api = {
    owns: (symbol: string) => engine.owning && symbol === market,
    getBookStatus: async () => {
      engine.calls++;
      if (!engine.owning) {
        const error = new ConnectError("this replica does not own it", Code.Unavailable);
        error.metadata.set(MARKET_OWNER_HEADER, NOWHERE);
        throw error;
      }
      return create(GetBookStatusResponseSchema, { market });
    },
  } as unknown as ColocatedMatchingApi;
  return { engine, api };
}

describeWithStores("MatchingRoute", (store: () => Store) => {
  it("goes to the engine in this process whenever it owns the market, even after an owner hint", async () => {
    const market = "RTE-USD";
    const { engine, api } = inProcessEngine(market);
    const colocated = new ColocatedServices();
    colocated.provide(MatchingService.typeName, api);
    const route = new MatchingRoute({
      store: store(),
      colocated,
      fallbackUrl: NOWHERE,
      credential: "test-credential-test-credential-0000",
      budgetMs: 100,
    });
    const status = () => route.call(market, (matching) => matching.getBookStatus({ market }));

    // Owned elsewhere (the in-process engine would name that owner): the call goes over the network, where
    // the owner is not reachable, and the route remembers where the market is.
    expect((await rpcError(status())).code).toBe(Code.Unavailable);
    expect(engine.calls).toBe(0);

    // Once the in-process engine owns the market, calls go to it, whatever the route learnt before.
    engine.owning = true;
    expect((await status()).market).toBe(market);
    expect(engine.calls).toBe(1);
  });
});
