import type { ColocatedServices } from "@bourse/common";
import { createServiceClient, type Logger, type RpcMetrics } from "@bourse/common";
import { serviceCredentialInterceptor } from "@bourse/common/auth";
import type { Store } from "@bourse/common/storage";
import { marketSequenceKey } from "@bourse/ledger";
import {
  MatchingService,
  type SubmitOrderResponse,
} from "@bourse/proto/bourse/matching/v1/matching_service_pb";
import type { ColocatedMatchingApi, MatchingApi, OrderRecord } from "@bourse/trading";
import { Code, ConnectError } from "@connectrpc/connect";
import { bookOrderOf } from "./book-order.js";

/** The response header in which a matcher that does not own a market names the one that does. */
export const MARKET_OWNER_HEADER = "bourse-market-owner";

export interface MatchingRouteOptions {
  readonly store: Store;
  readonly colocated: ColocatedServices;
  /** Where to go when the market's owner has recorded no URL. */
  readonly fallbackUrl: string;
  readonly credential: string;
  /** How long one call may keep retrying an unreachable or moving owner. */
  readonly budgetMs: number;
  readonly metrics?: RpcMetrics;
  readonly logger?: Logger;
}

/**
 * The owner is moving or unreachable. A matching process killed under a call also ends it as `aborted`
 * (connection reset) or `canceled` (its HTTP/2 streams closed with CANCEL); submit and cancel are
 * idempotent (by order id; canceling a canceled order returns it), so retrying them is safe.
 */
const RETRYABLE = new Set([Code.Unavailable, Code.DeadlineExceeded, Code.Aborted, Code.Canceled]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The api with each call cut at `ms`: an owner that is alive but does not answer (frozen, or cut off
 * behind an open connection) must not hold a call past the budget.
 */
function withTimeout(api: MatchingApi, ms: number): MatchingApi {
  return {
    submitOrder: (request, options) => api.submitOrder(request, { ...options, timeoutMs: ms }),
    cancelOrder: (request, options) => api.cancelOrder(request, { ...options, timeoutMs: ms }),
    amendOrder: (request, options) => api.amendOrder(request, { ...options, timeoutMs: ms }),
    getBookStatus: (request, options) => api.getBookStatus(request, { ...options, timeoutMs: ms }),
  };
}

/** Where a call goes: the engine in this process, or a Connect client to the owner. */
type Target = { readonly colocated: ColocatedMatchingApi } | { readonly remote: MatchingApi };

/**
 * Calls the matching engine that owns a market: the one in this process whenever it owns the market
 * (`npm start`), else a Connect client to the owner's URL as recorded on `MARKET#<m>`/`SEQUENCE`
 * (`ownerUrl`), else MATCHING_URL. An `unavailable` answer (the market is moving, or its owner is down) is
 * retried within the budget, following the `bourse-market-owner` hint when the answer carries one.
 */
export class MatchingRoute {
  private readonly clients = new Map<string, MatchingApi>();
  /** The remote owner of each market, as last recorded or hinted. */
  private readonly owners = new Map<string, string>();

  constructor(private readonly options: MatchingRouteOptions) {}

  /** Runs `call` against the market's owner; the last error when the budget runs out. */
  call<T>(market: string, call: (api: MatchingApi) => Promise<T>): Promise<T> {
    return this.retrying(market, (target, timeoutMs) =>
      call("colocated" in target ? target.colocated : withTimeout(target.remote, timeoutMs)),
    );
  }

  /**
   * SubmitOrder for an order this process has just stored. In-process the record itself is handed over,
   * so that matching need not read it back; over the network matching reads the stored order.
   */
  submitAccepted(order: OrderRecord): Promise<SubmitOrderResponse> {
    return this.retrying(order.market, (target, timeoutMs) =>
      "colocated" in target
        ? target.colocated.submitAcceptedOrder(order)
        : target.remote.submitOrder({ order: bookOrderOf(order) }, { timeoutMs }),
    );
  }

  private async retrying<T>(
    market: string,
    call: (target: Target, timeoutMs: number) => Promise<T>,
  ): Promise<T> {
    const deadline = Date.now() + this.options.budgetMs;
    let pause = 25;
    for (;;) {
      try {
        return await call(await this.targetFor(market), Math.max(1, deadline - Date.now()));
      } catch (error) {
        const failure = ConnectError.from(error);
        if (!RETRYABLE.has(failure.code)) throw failure;
        this.redirect(market, failure);
        if (Date.now() + pause > deadline) throw failure;
        await sleep(pause);
        pause = Math.min(pause * 2, 400);
      }
    }
  }

  /**
   * The engine in this process whenever it owns the market, whatever was learnt of other owners before
   * (the market may have come back here); else the remote owner.
   */
  private async targetFor(market: string): Promise<Target> {
    const inProcess = this.options.colocated.lookup<ColocatedMatchingApi>(MatchingService.typeName);
    if (inProcess?.owns(market)) return { colocated: inProcess };
    const url = this.owners.get(market) ?? (await this.recordedOwner(market)) ?? this.options.fallbackUrl;
    this.owners.set(market, url);
    return { remote: this.client(url) };
  }

  /** Forgets the market's owner, or learns the new one from the answer's hint. */
  private redirect(market: string, failure: ConnectError): void {
    const hint = failure.metadata.get(MARKET_OWNER_HEADER);
    if (hint && URL.canParse(hint)) this.owners.set(market, hint);
    else this.owners.delete(market);
  }

  private async recordedOwner(market: string): Promise<string | undefined> {
    const item = await this.options.store.get(marketSequenceKey(market));
    const url = item?.ownerUrl;
    return typeof url === "string" && URL.canParse(url) ? url : undefined;
  }

  private client(url: string): MatchingApi {
    let client = this.clients.get(url);
    if (!client) {
      client = createServiceClient(MatchingService, {
        baseUrl: url,
        caller: "orders",
        metrics: this.options.metrics,
        logger: this.options.logger,
        interceptors: [serviceCredentialInterceptor(this.options.credential)],
      });
      this.clients.set(url, client);
    }
    return client;
  }
}
