import { invalidArgument, notFound } from "@bourse/common";
import { marketSymbolSchema } from "@bourse/common/identifiers";
import type { LockService } from "@bourse/common/locks";
import {
  EXCHANGE_ACCOUNT_PREFIX,
  type Ledger,
  LedgerError,
  marketFenceItem,
  marketLockResource,
  type TradeToSettle,
} from "@bourse/ledger";
import type { LedgerService, SettlementTrade } from "@bourse/proto/bourse/users/v1/ledger_service_pb";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { z } from "zod";
import { amountField, assetField, referenceField } from "../domain/fields.js";
import type { UserStore } from "../store/user-store.js";
import { balanceMessage, decimal, ledgerEntryMessage } from "./messages.js";

const holdRequest = z.object({
  accountId: referenceField,
  asset: assetField,
  amount: amountField,
  referenceId: referenceField,
});

const releaseRequest = z.object({
  accountId: referenceField,
  asset: assetField,
  holdReferenceId: referenceField,
  referenceId: referenceField,
  size: z.union(
    [
      z.object({ case: z.literal("amount"), value: amountField }),
      z.object({
        case: z.literal("allRemaining"),
        value: z.literal(true, "all_remaining must be true when set"),
      }),
    ],
    "size: set amount or all_remaining",
  ),
});

const settleRequest = z.object({
  market: marketSymbolSchema,
  fencingToken: z.bigint().positive("must be positive"),
  trades: z.array(z.custom<SettlementTrade>()).min(1, "at least one trade").max(50, "at most 50 trades"),
});

function tradeToSettle(market: string, trade: SettlementTrade): TradeToSettle {
  const { buyer, seller, executedAt } = trade;
  if (!buyer || !seller || !executedAt) {
    throw invalidArgument(`trade ${trade.tradeId}: buyer, seller and executed_at are required`);
  }
  const party = (side: typeof buyer) => ({
    accountId: side.accountId,
    orderId: side.orderId,
    holdReferenceId: side.holdReferenceId,
    maker: side.maker,
    fee: side.fee,
  });
  return {
    tradeId: trade.tradeId,
    market,
    sequence: trade.sequence,
    price: trade.price,
    quantity: trade.quantity,
    quoteAmount: trade.quoteAmount,
    executedAt: timestampDate(executedAt),
    buyer: party(buyer),
    seller: party(seller),
  };
}

export interface LedgerHandlerDeps {
  readonly ledger: Ledger;
  readonly users: UserStore;
  /** The lock service that issues the markets' fencing tokens, shared with the matching service. */
  readonly locks: LockService;
  /** Throws unless the caller is an internal service allowed to move held funds. */
  readonly admit: (context: HandlerContext) => void;
}

/** The internal LedgerService: holds, releases and settlements for the orders and matching services. */
export function ledgerHandlers(deps: LedgerHandlerDeps): ServiceImpl<typeof LedgerService> {
  const { ledger, users, locks, admit } = deps;

  /** A hold on an account without the asset is insufficient funds, unless there is no such account. */
  async function explainNoBalance(error: unknown, accountId: string): Promise<never> {
    if (
      error instanceof LedgerError &&
      error.reason === "no_balance" &&
      !accountId.startsWith(EXCHANGE_ACCOUNT_PREFIX) &&
      !(await users.get(accountId))
    ) {
      throw notFound(`no account ${accountId}`);
    }
    throw error;
  }

  return {
    async hold(request, context) {
      admit(context);
      const input = holdRequest.parse(request);
      const outcome = await ledger.hold(input).catch((error) => explainNoBalance(error, input.accountId));
      return {
        entry: ledgerEntryMessage(outcome.entry),
        balance: balanceMessage(outcome.balance),
        replayed: outcome.replayed,
      };
    },

    async release(request, context) {
      admit(context);
      const { size, ...input } = releaseRequest.parse(request);
      const outcome = await ledger.release({ ...input, amount: size.case === "amount" ? size.value : "all" });
      return {
        entry: outcome.entry && ledgerEntryMessage(outcome.entry),
        balance: balanceMessage(outcome.balance),
        releasedAmount: decimal(outcome.released, outcome.balance.scale),
        replayed: outcome.replayed,
      };
    },

    /**
     * Trades settle one by one, in order; the first failure ends the batch, the earlier ones stay.
     * The token must be the one the lock service issued to the market's current owner, and each
     * settlement's fence clause checks that the owner's claim raised the market's fence to it.
     */
    async settle(request, context) {
      admit(context);
      const { market, fencingToken, trades } = settleRequest.parse(request);
      if (!(await locks.isCurrentToken(marketLockResource(market), fencingToken))) {
        throw new LedgerError("stale_fence", `fencing_token is not the current owner's token for ${market}`);
      }
      const fence = marketFenceItem(market, fencingToken);
      const results = [];
      for (const trade of trades) {
        const outcome = await ledger.settleTrade({ trade: tradeToSettle(market, trade), fence });
        results.push({ tradeId: trade.tradeId, newlySettled: outcome.newlySettled });
      }
      return { results };
    },
  };
}
