import type { Role as RoleName } from "@bourse/common/auth";
import { formatDecimal } from "@bourse/common/money";
import { type BalanceSnapshot, entryAmount, type LedgerEntry, type LedgerEntryKind } from "@bourse/ledger";
import { type AuthTokens, AuthTokensSchema } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import {
  type Balance,
  BalanceSchema,
  LedgerEntryKind as LedgerEntryKindMessage,
  type LedgerEntry as LedgerEntryMessage,
  LedgerEntrySchema,
} from "@bourse/proto/bourse/users/v1/balance_pb";
import { Role, type User as UserMessage, UserSchema } from "@bourse/proto/bourse/users/v1/user_pb";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { IssuedTokens } from "../auth/auth-flows.js";
import type { User } from "../domain/user.js";

/** Domain values to protobuf messages: decimals as plain strings without trailing zeros. */

const roles: Record<RoleName, Role> = { customer: Role.CUSTOMER, admin: Role.ADMIN };

export function userMessage(user: User): UserMessage {
  return create(UserSchema, {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: roles[user.role],
    createdAt: timestampFromDate(user.createdAt),
    updatedAt: timestampFromDate(user.updatedAt),
  });
}

export function tokensMessage(tokens: IssuedTokens): AuthTokens {
  return create(AuthTokensSchema, {
    accessToken: tokens.accessToken,
    accessTokenExpiresAt: timestampFromDate(tokens.accessTokenExpiresAt),
    refreshToken: tokens.refreshToken,
    refreshTokenExpiresAt: timestampFromDate(tokens.refreshTokenExpiresAt),
  });
}

export const decimal = (units: bigint, scale: number): string =>
  formatDecimal(units, scale, { trimZeros: true });

export function balanceMessage(balance: BalanceSnapshot): Balance {
  return create(BalanceSchema, {
    asset: balance.asset,
    available: decimal(balance.available, balance.scale),
    held: decimal(balance.held, balance.scale),
    updatedAt: timestampFromDate(balance.updatedAt),
  });
}

const kinds: Record<LedgerEntryKind, LedgerEntryKindMessage> = {
  deposit: LedgerEntryKindMessage.DEPOSIT,
  withdrawal: LedgerEntryKindMessage.WITHDRAWAL,
  hold: LedgerEntryKindMessage.HOLD,
  release: LedgerEntryKindMessage.RELEASE,
  trade: LedgerEntryKindMessage.TRADE,
  fee: LedgerEntryKindMessage.FEE,
};

export function ledgerEntryMessage(entry: LedgerEntry): LedgerEntryMessage {
  const amount = (units: bigint) => decimal(units, entry.scale);
  return create(LedgerEntrySchema, {
    id: entry.id,
    accountId: entry.accountId,
    asset: entry.asset,
    kind: kinds[entry.kind],
    amount: amount(entryAmount(entry)),
    availableDelta: amount(entry.availableDelta),
    heldDelta: amount(entry.heldDelta),
    availableAfter: amount(entry.availableAfter),
    heldAfter: amount(entry.heldAfter),
    reference: entry.reference,
    createdAt: timestampFromDate(entry.createdAt),
  });
}
