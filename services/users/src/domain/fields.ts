import { assetSymbolSchema, idempotencyKeySchema, identifierSchema } from "@bourse/common/identifiers";
import { MAX_ASSET_SCALE, MAX_BALANCE_WHOLE_UNITS } from "@bourse/ledger";
import { z } from "zod";
import { commonPasswords } from "./common-passwords.js";

/** Request fields shared by several RPCs, validated the same way everywhere. */

/** Trimmed and lower-cased, so "Ann@X.org " and "ann@x.org" are one account. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const emailField = z
  .string()
  .max(320, "must be at most 254 characters")
  .transform(normalizeEmail)
  .pipe(z.email("must be an email address").max(254, "must be at most 254 characters"));

export const newPasswordField = z
  .string()
  .min(10, "must be at least 10 characters")
  .max(128, "must be at most 128 characters")
  .refine((password) => !commonPasswords.has(password.toLowerCase()), "is too common; choose another");

/** At login only the bounds are checked, so that old rules never lock anyone out. */
export const passwordField = z.string().min(1, "is required").max(128, "must be at most 128 characters");

const controlCharacter = /\p{Cc}/u;

export const displayNameField = z
  .string()
  .transform((name) => name.trim())
  .pipe(
    z
      .string()
      .min(1, "must not be empty")
      .max(64, "must be at most 64 characters")
      .refine((name) => !controlCharacter.test(name), "must not contain control characters"),
  );

export const assetField = assetSymbolSchema;

const MAX_AMOUNT_INTEGER_DIGITS = MAX_BALANCE_WHOLE_UNITS.toString().length;
const plainDecimal = new RegExp(
  `^(0|[1-9][0-9]{0,${MAX_AMOUNT_INTEGER_DIGITS - 1}})(\\.[0-9]{1,${MAX_ASSET_SCALE}})?$`,
);

/**
 * A positive, plain decimal: ASCII digits only, no sign, exponent or whitespace, and no longer than the
 * largest balance and the finest precision allow. The ledger checks the asset's precision and the
 * per-request and per-balance maxima.
 */
export const amountField = z
  .string()
  .max(64, "must be at most 64 characters")
  .regex(
    plainDecimal,
    `must be a plain decimal string with at most ${MAX_AMOUNT_INTEGER_DIGITS} digits before the point and ${MAX_ASSET_SCALE} after, e.g. 0.015`,
  )
  .refine((amount) => /[1-9]/.test(amount), "must be positive");

export const idempotencyKeyField = idempotencyKeySchema;

export const referenceField = identifierSchema;

export const pageSizeField = z.number().int().min(1, "must be 1 to 100").max(100, "must be 1 to 100");
