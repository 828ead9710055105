import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { type Market, MarketStatus } from "@bourse/proto/bourse/inventory/v1/market_pb";
import { createConnectQueryKey, useMutation } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { haltReasonProblem } from "./halt-reason.ts";

/** One market with the control that halts it (with a reason for traders) or resumes it. */
export function MarketStatusRow({ market }: { market: Market }) {
  const queryClient = useQueryClient();
  const reasonId = useId();
  const problemId = `${reasonId}-problem`;
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string>();
  const setStatus = useMutation(InventoryService.method.setMarketStatus, {
    onSuccess: () => {
      setReason("");
      void queryClient.invalidateQueries({
        queryKey: createConnectQueryKey({
          schema: InventoryService.method.listMarkets,
          cardinality: undefined,
        }),
      });
    },
  });
  const halted = market.status === MarketStatus.HALTED;

  const onHalt = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = haltReasonProblem(reason);
    setProblem(found);
    if (!found)
      setStatus.mutate({ symbol: market.symbol, status: MarketStatus.HALTED, reason: reason.trim() });
  };

  return (
    <tr>
      <th scope="row">{market.symbol}</th>
      <td className={halted ? "down" : "up"}>{halted ? "Halted" : "Trading"}</td>
      <td>{market.statusReason === "" ? "—" : market.statusReason}</td>
      <td>
        {halted ? (
          <button
            type="button"
            disabled={setStatus.isPending}
            onClick={() =>
              setStatus.mutate({ symbol: market.symbol, status: MarketStatus.ACTIVE, reason: "" })
            }
          >
            Resume
          </button>
        ) : (
          <form className="inline-form" onSubmit={onHalt} noValidate aria-label={`Halt ${market.symbol}`}>
            <label htmlFor={reasonId} className="visually-hidden">
              Reason for halting {market.symbol}
            </label>
            <input
              id={reasonId}
              value={reason}
              maxLength={200}
              placeholder="Reason"
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? problemId : undefined}
              onChange={(event) => {
                setReason(event.target.value);
                setProblem(undefined);
              }}
            />
            <button type="submit" className="button-sell" disabled={setStatus.isPending}>
              Halt
            </button>
            {problem && (
              <p id={problemId} className="field-error">
                {problem}
              </p>
            )}
          </form>
        )}
        <ErrorMessage error={setStatus.error} />
      </td>
    </tr>
  );
}
