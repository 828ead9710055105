import type { Asset } from "@bourse/proto/bourse/inventory/v1/asset_pb";
import type { Balance } from "@bourse/proto/bourse/users/v1/balance_pb";
import { BalanceService } from "@bourse/proto/bourse/users/v1/balance_service_pb";
import { createConnectQueryKey, useMutation } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { Field } from "../../components/Field.tsx";
import { displayDecimal } from "../../lib/display-decimal.ts";
import { parseFundingAmount } from "./funding-amount.ts";
import { newIdempotencyKey } from "./idempotency-key.ts";

type Action = "deposit" | "withdraw";

interface FundingFormProps {
  readonly assets: readonly Asset[];
  readonly balances: readonly Balance[];
}

/**
 * Simulated deposits and withdrawals. One idempotency key covers one intended request: a double click or a
 * retry after a failure moves the money once; the key changes once the request succeeded, or the action, the
 * asset or the amount changed.
 */
export function FundingForm({ assets, balances }: FundingFormProps) {
  const queryClient = useQueryClient();
  const assetId = useId();
  const [assetSymbol, setAssetSymbol] = useState(() => (assets.some((a) => a.symbol === "USD") ? "USD" : ""));
  const [amountText, setAmountText] = useState("");
  const [amountError, setAmountError] = useState<string>();
  const [attempt, setAttempt] = useState<{ action: Action; idempotencyKey: string }>();
  const [done, setDone] = useState<string>();

  const onSuccess = (verb: string, asset: string, amount: string, available: string | undefined) => {
    setDone(
      `${verb} ${displayDecimal(amount)} ${asset}. Available now: ${displayDecimal(available ?? "")} ${asset}.`,
    );
    setAmountText("");
    setAttempt(undefined);
    void queryClient.invalidateQueries({
      queryKey: createConnectQueryKey({ schema: BalanceService, cardinality: undefined }),
    });
  };
  const deposit = useMutation(BalanceService.method.deposit, {
    onSuccess: (response, request) =>
      onSuccess("Deposited", request.asset ?? "", request.amount ?? "", response.balance?.available),
  });
  const withdraw = useMutation(BalanceService.method.withdraw, {
    onSuccess: (response, request) =>
      onSuccess("Withdrew", request.asset ?? "", request.amount ?? "", response.balance?.available),
  });
  const pending = deposit.isPending || withdraw.isPending;
  const asset = assets.find((candidate) => candidate.symbol === assetSymbol);
  const available = balances.find((balance) => balance.asset === assetSymbol)?.available ?? "0";

  const changed = () => {
    setAttempt(undefined);
    setAmountError(undefined);
    setDone(undefined);
    deposit.reset();
    withdraw.reset();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const action: Action = submitter?.getAttribute("value") === "withdraw" ? "withdraw" : "deposit";
    if (!asset) {
      setAmountError("Choose an asset.");
      return;
    }
    const parsed = parseFundingAmount(
      amountText,
      asset.precision,
      action === "withdraw" ? available : undefined,
    );
    if (!parsed.ok) {
      setAmountError(parsed.message);
      return;
    }
    setAmountError(undefined);
    setDone(undefined);
    const idempotencyKey = attempt?.action === action ? attempt.idempotencyKey : newIdempotencyKey();
    setAttempt({ action, idempotencyKey });
    const request = { asset: asset.symbol, amount: parsed.amount, idempotencyKey };
    if (action === "deposit") {
      withdraw.reset();
      deposit.mutate(request);
    } else {
      deposit.reset();
      withdraw.mutate(request);
    }
  };

  return (
    <form className="form funding-form" onSubmit={onSubmit} noValidate aria-label="Deposit or withdraw">
      <div className="field">
        <label htmlFor={assetId}>Asset</label>
        <select
          id={assetId}
          value={assetSymbol}
          onChange={(event) => {
            setAssetSymbol(event.target.value);
            changed();
          }}
        >
          {assetSymbol === "" && <option value="">Choose an asset</option>}
          {assets.map((candidate) => (
            <option key={candidate.symbol} value={candidate.symbol}>
              {candidate.symbol} — {candidate.name}
            </option>
          ))}
        </select>
      </div>
      <Field
        label="Amount"
        inputMode="decimal"
        autoComplete="off"
        value={amountText}
        onChange={(event) => {
          setAmountText(event.target.value);
          changed();
        }}
        error={amountError}
        hint={asset ? `Available: ${displayDecimal(available)} ${asset.symbol}` : undefined}
      />
      <div className="form-actions">
        <button type="submit" name="action" value="deposit" disabled={pending}>
          Deposit
        </button>
        <button type="submit" name="action" value="withdraw" className="button-secondary" disabled={pending}>
          Withdraw
        </button>
      </div>
      <ErrorMessage error={deposit.error ?? withdraw.error} />
      <p role="status" className="status-message">
        {done}
      </p>
    </form>
  );
}
