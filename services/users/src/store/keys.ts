import type { Key } from "@bourse/common/storage";
import { accountPartition } from "@bourse/ledger";

/** Key layouts of the users service's own items (balances and the ledger are in @bourse/ledger). */

/** The profile sits in the account partition, beside the user's balances and ledger entries. */
export const userKey = (userId: string): Key => ({ PK: accountPartition(userId), SK: "PROFILE" });

/** Claims a normalised email for one user; its conditional creation is what keeps emails unique. */
export const emailKey = (email: string): Key => ({ PK: `EMAIL#${email}`, SK: "EMAIL" });

/** A refresh token, found by the SHA-256 of the token (the token itself is never stored). */
export const refreshTokenKey = (tokenHash: string): Key => ({ PK: `REFRESH#${tokenHash}`, SK: "REFRESH" });

/** A refresh-token family (one sign-in); revoking it ends every token of the family. */
export const sessionKey = (userId: string, familyId: string): Key => ({
  PK: accountPartition(userId),
  SK: `SESSION#${familyId}`,
});
