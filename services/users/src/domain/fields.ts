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

export const assetField = z
  .string()
  .regex(/^[A-Z0-9]{1,15}$/, "must be an upper-case asset symbol, e.g. BTC");

/** A plain, unsigned decimal; the asset's precision and positivity are checked against the catalogue. */
export const amountField = z
  .string()
  .max(64, "must be at most 64 characters")
  .regex(/^(0|[1-9][0-9]*)(\.[0-9]+)?$/, "must be a plain decimal string, e.g. 0.015");

export const idempotencyKeyField = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "must be 1 to 64 characters of [A-Za-z0-9_.:-]");

export const referenceField = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, "must be 1 to 128 characters of [A-Za-z0-9_.:-]");

export const pageSizeField = z.number().int().min(1, "must be 1 to 100").max(100, "must be 1 to 100");
