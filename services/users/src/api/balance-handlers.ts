import { failedPrecondition, invalidArgument } from "@bourse/common";
import type { Authenticator } from "@bourse/common/auth";
import type { Store } from "@bourse/common/storage";
import { type Ledger, listBalances, listLedgerEntries, readBalance } from "@bourse/ledger";
import type { BalanceService } from "@bourse/proto/bourse/users/v1/balance_service_pb";
import type { ServiceImpl } from "@connectrpc/connect";
import { z } from "zod";
import type { AssetCatalog } from "../catalog/asset-catalog.js";
import type { ReferencePrices } from "../catalog/reference-prices.js";
import { amountField, assetField, idempotencyKeyField, pageSizeField } from "../domain/fields.js";
import { balanceMessage, ledgerEntryMessage } from "./messages.js";
import { decodePageToken, encodePageToken } from "./page-token.js";

const getBalancesRequest = z.object({ assets: z.array(assetField).max(100, "at most 100 assets") });

const fundingRequest = z.object({
  asset: assetField,
  amount: amountField,
  idempotencyKey: idempotencyKeyField,
});

const DEFAULT_PAGE_SIZE = 50;

const listRequest = z.object({
  asset: z.union([z.literal(""), assetField]),
  pageSize: pageSizeField.default(DEFAULT_PAGE_SIZE),
  pageToken: z.string().max(512, "is too long"),
});

export interface BalanceHandlerDeps {
  readonly auth: Authenticator;
  readonly store: Store;
  readonly ledger: Ledger;
  readonly catalog: AssetCatalog;
  /** The USD price recorded on each deposit entry, the cost of those units in the portfolio. */
  readonly prices: ReferencePrices;
  readonly simulatedFunding: boolean;
}

/** The caller's own balances and ledger; every amount is validated against the asset's precision. */
export function balanceHandlers(deps: BalanceHandlerDeps): ServiceImpl<typeof BalanceService> {
  const { auth, store, ledger, catalog } = deps;

  function requireFunding(): void {
    if (!deps.simulatedFunding) throw failedPrecondition("simulated funding is switched off");
  }

  return {
    async getBalances(request, context) {
      const { userId } = await auth.require(context);
      const { assets } = getBalancesRequest.parse(request);
      const wanted = new Set(assets);
      const balances = await listBalances(store, userId);
      return {
        balances: balances.filter((b) => wanted.size === 0 || wanted.has(b.asset)).map(balanceMessage),
      };
    },

    async deposit(request, context) {
      const { userId } = await auth.require(context);
      const input = fundingRequest.parse(request);
      requireFunding();
      const asset = await catalog.find(input.asset);
      if (!asset?.active) throw invalidArgument(`asset ${input.asset} is unknown or not active`);
      const usdPrice = await deps.prices.usdPrice(asset.symbol);
      const outcome = await ledger.deposit({ ...input, accountId: userId, scale: asset.precision, usdPrice });
      return { entry: ledgerEntryMessage(outcome.entry), balance: balanceMessage(outcome.balance) };
    },

    /** A delisted asset is no longer in the catalogue, but what is held of it can still be withdrawn. */
    async withdraw(request, context) {
      const { userId } = await auth.require(context);
      const input = fundingRequest.parse(request);
      requireFunding();
      const scale =
        (await catalog.find(input.asset))?.precision ??
        (await readBalance(store, userId, input.asset))?.scale;
      if (scale === undefined) throw invalidArgument(`asset ${input.asset} is unknown`);
      const outcome = await ledger.withdraw({ ...input, accountId: userId, scale });
      return { entry: ledgerEntryMessage(outcome.entry), balance: balanceMessage(outcome.balance) };
    },

    async listLedgerEntries(request, context) {
      const { userId } = await auth.require(context);
      const { asset, pageSize, pageToken } = listRequest.parse(request);
      const before = pageToken ? decodePageToken(pageToken, asset) : undefined;
      const entries = await listLedgerEntries(store, userId, {
        asset: asset || undefined,
        before,
        limit: pageSize + 1,
      });
      const page = entries.slice(0, pageSize);
      const last = page.at(-1);
      return {
        entries: page.map(ledgerEntryMessage),
        nextPageToken: entries.length > pageSize && last ? encodePageToken(asset, last.id) : "",
      };
    },
  };
}
