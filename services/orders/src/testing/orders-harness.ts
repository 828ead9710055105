import { ColocatedServices, createServiceClient, type RunningService, startService } from "@bourse/common";
import type { Store } from "@bourse/common/storage";
import { createTestTokenSigner, serveJwks } from "@bourse/common/testing";
import { createLedger } from "@bourse/ledger";
import { ExecutionReportSchema } from "@bourse/proto/bourse/matching/v1/execution_report_pb";
import {
  AmendOrderResponseSchema,
  CancelOrderResponseSchema,
  GetBookStatusResponseSchema,
  MatchingService,
  SubmitOrderResponseSchema,
} from "@bourse/proto/bourse/matching/v1/matching_service_pb";
import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { type ColocatedMatchingApi, orderFromItem, orderKey, orderToItem } from "@bourse/trading";
import { create } from "@bufbuild/protobuf";
import { type Client, Code, ConnectError } from "@connectrpc/connect";
import { createOrdersService } from "../server.js";

/**
 * A stand-in for the matching engine: it records what it is asked, reports a configurable best ask,
 * and cancels by writing the order CANCELED, so handler tests need no engine.
 */
export class FakeMatching {
  readonly submitted: string[] = [];
  readonly amends: Array<{ orderId: string; price?: string; remainingQuantity?: string }> = [];
  bestAsk = "";
  /** When set, every command fails with this code. */
  failWith: Code | undefined;

  constructor(private readonly store: () => Store) {}

  api(): ColocatedMatchingApi {
    const guard = () => {
      if (this.failWith !== undefined) throw new ConnectError("fake matching refuses", this.failWith);
    };
    const submit = async (orderId: string) => {
      guard();
      this.submitted.push(orderId);
      return create(SubmitOrderResponseSchema, { report: create(ExecutionReportSchema, { orderId }) });
    };
    return {
      owns: () => true,
      submitAcceptedOrder: (order) => submit(order.orderId),
      submitOrder: (request) => submit(request.order?.orderId ?? ""),
      cancelOrder: async (request) => {
        guard();
        const item = await this.store().get(orderKey(request.orderId ?? ""));
        if (!item) throw new ConnectError("no such order", Code.NotFound);
        const order = orderFromItem(item);
        await this.store().put(orderToItem({ ...order, status: "CANCELED", updatedAt: new Date() }));
        return create(CancelOrderResponseSchema, {
          report: create(ExecutionReportSchema, { orderId: request.orderId }),
        });
      },
      amendOrder: async (request) => {
        guard();
        this.amends.push({
          orderId: request.orderId ?? "",
          price: request.price,
          remainingQuantity: request.remainingQuantity,
        });
        return create(AmendOrderResponseSchema, {
          report: create(ExecutionReportSchema, { orderId: request.orderId }),
        });
      },
      getBookStatus: async (request) => {
        guard();
        return create(GetBookStatusResponseSchema, { market: request.market, bestAsk: this.bestAsk });
      },
    } as ColocatedMatchingApi;
  }
}

export interface OrdersHarness {
  readonly service: RunningService;
  readonly client: Client<typeof OrderService>;
  readonly matching: FakeMatching;
  /** Call options carrying the access token of `userId`. */
  as(userId: string): Promise<{ headers: Record<string, string> }>;
  stop(): Promise<void>;
}

/** The orders service on `store`, verifying tokens of a test signer, with a fake colocated matching. */
export async function startOrders(
  store: () => Store,
  env: Record<string, string> = {},
): Promise<OrdersHarness> {
  const signer = await createTestTokenSigner();
  const jwks = await serveJwks(signer.jwks);
  const matching = new FakeMatching(store);
  const colocated = new ColocatedServices();
  colocated.provide(MatchingService.typeName, matching.api());
  const service = await startService(createOrdersService(), {
    env: {
      BIND_HOST: "127.0.0.1",
      RPC_PORT: "0",
      ADMIN_PORT: "0",
      // ORDERS_TEST_LOG=error shows the service's own log of a failing call.
      LOG_LEVEL: process.env.ORDERS_TEST_LOG ?? "silent",
      AUTH_JWKS_URL: jwks.url,
      SERVICE_CREDENTIAL: "test-credential-test-credential-0000",
      MATCHING_CALL_BUDGET_MS: "100",
      ...env,
    },
    store: store(),
    colocated,
  });
  return {
    service,
    client: createServiceClient(OrderService, { baseUrl: service.rpcUrl, caller: "test" }),
    matching,
    as: async (userId) => ({ headers: { authorization: `Bearer ${await signer.sign({ userId })}` } }),
    async stop() {
      await service.stop();
      jwks.close();
    },
  };
}

let unique = 0;

/** Credits `amount` of `asset` to the account through the ledger. */
export async function fund(store: Store, accountId: string, asset: string, scale: number, amount: string) {
  await createLedger(store).deposit({
    accountId,
    asset,
    scale,
    amount,
    idempotencyKey: `fund-${accountId}-${asset}-${++unique}`,
  });
}
