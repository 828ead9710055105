import { OrderType, Side, TimeInForce } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { type FormEvent, useEffect, useId, useState } from "react";
import { api } from "../../api/clients.ts";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { groupThousands } from "../../lib/display-decimal.ts";
import { newIdempotencyKey } from "../account/idempotency-key.ts";
import {
  type Available,
  checkDraft,
  type DraftSide,
  type DraftTimeInForce,
  type DraftType,
  type MarketRules,
  timeInForceOf,
} from "./order-draft.ts";
import { sideLabel, statusLabel } from "./order-labels.ts";

const timeInForceChoices: readonly { value: DraftTimeInForce; label: string; limitOnly: boolean }[] = [
  { value: "GTC", label: "GTC (good till canceled)", limitOnly: true },
  { value: "IOC", label: "IOC (immediate or cancel)", limitOnly: false },
  { value: "FOK", label: "FOK (fill or kill)", limitOnly: false },
  { value: "POST_ONLY", label: "Post only (maker, GTC)", limitOnly: true },
];

const protoTimeInForce = { GTC: TimeInForce.GTC, IOC: TimeInForce.IOC, FOK: TimeInForce.FOK } as const;

interface OrderFormProps {
  readonly market: string;
  readonly rules: MarketRules;
  /** The caller's available balances; undefined until the user stream has them. */
  readonly available: Available | undefined;
  readonly bestBid: string | undefined;
  readonly bestAsk: string | undefined;
  /** A price picked in the book; each pick (a new `count`) fills the price field of a limit order. */
  readonly pickedPrice?: { readonly price: string; readonly count: number } | undefined;
}

/**
 * Order entry: side, type, time in force, price and quantity, checked as the server will check them, with
 * the cost and fee preview. Messages appear once a field was left or the order submitted; a submitted order's
 * result is announced, and the open orders and history update from the user stream.
 */
export function OrderForm({ market, rules, available, bestBid, bestAsk, pickedPrice }: OrderFormProps) {
  const id = useId();
  const [side, setSide] = useState<DraftSide>("buy");
  const [type, setType] = useState<DraftType>("limit");
  const [timeInForce, setTimeInForce] = useState<DraftTimeInForce>("GTC");
  const [price, setPrice] = useState("");
  const [quantity, setQuantity] = useState("");
  const [touched, setTouched] = useState({ price: false, quantity: false, submitted: false });
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<string>();
  const [failure, setFailure] = useState<unknown>();

  useEffect(() => {
    if (!pickedPrice) return;
    setPrice(pickedPrice.price);
    setType("limit");
  }, [pickedPrice]);

  const draft = { side, type, timeInForce, price: type === "market" ? "" : price, quantity };
  const { errors, preview } = checkDraft(draft, rules, available, side === "buy" ? bestAsk : bestBid);
  const show = {
    price: (touched.price || touched.submitted) && errors.price,
    quantity: (touched.quantity || touched.submitted) && errors.quantity,
    form: touched.submitted && errors.form,
  };

  const chooseType = (next: DraftType) => {
    setType(next);
    if (next === "market" && (timeInForce === "GTC" || timeInForce === "POST_ONLY")) setTimeInForce("IOC");
    if (next === "limit" && timeInForce === "IOC") setTimeInForce("GTC");
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched((current) => ({ ...current, submitted: true }));
    setResult(undefined);
    setFailure(undefined);
    if (errors.price || errors.quantity || errors.form) return;
    const { timeInForce: tif, postOnly } = timeInForceOf(timeInForce);
    setPending(true);
    try {
      const response = await api(OrderService).placeOrder({
        market,
        side: side === "buy" ? Side.BUY : Side.SELL,
        type: type === "limit" ? OrderType.LIMIT : OrderType.MARKET,
        timeInForce: protoTimeInForce[tif],
        postOnly,
        price: draft.price,
        size: { case: "quantity", value: quantity },
        // Binds the order, so a resent request (the token interceptor retries once) cannot place it twice; 32 hex
        // characters fit client_order_id.
        clientOrderId: newIdempotencyKey(),
      });
      const order = response.order;
      setResult(order ? `${sideLabel(order.side)} order placed: ${statusLabel(order)}.` : "Order placed.");
      setTouched({ price: false, quantity: false, submitted: false });
    } catch (error) {
      setFailure(error);
    } finally {
      setPending(false);
    }
  };

  const spendAsset = side === "buy" ? rules.quote : rules.base;
  const note = (field: "price" | "quantity" | "form") => `${id}-${field}-error`;

  return (
    <form aria-label="Place order" className="panel order-form" onSubmit={submit} noValidate>
      <h2>Place order</h2>
      <fieldset className="side-switch">
        <legend className="visually-hidden">Side</legend>
        {(["buy", "sell"] as const).map((choice) => (
          <button
            key={choice}
            type="button"
            className={side === choice ? `side-button button-${choice}` : "side-button button-secondary"}
            aria-pressed={side === choice}
            onClick={() => setSide(choice)}
          >
            {choice === "buy" ? "Buy" : "Sell"}
          </button>
        ))}
      </fieldset>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-type`}>Order type</label>
          <select
            id={`${id}-type`}
            value={type}
            onChange={(event) => chooseType(event.target.value as DraftType)}
          >
            <option value="limit">Limit</option>
            <option value="market">Market</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-tif`}>Time in force</label>
          <select
            id={`${id}-tif`}
            value={timeInForce}
            onChange={(event) => setTimeInForce(event.target.value as DraftTimeInForce)}
          >
            {timeInForceChoices
              .filter((choice) => type === "limit" || !choice.limitOnly)
              .map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-price`}>Price</label>
        <input
          id={`${id}-price`}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          placeholder={
            type === "market" ? "Best available price" : `Multiple of ${rules.tickSize} ${rules.quote}`
          }
          disabled={type === "market"}
          value={type === "market" ? "" : price}
          onChange={(event) => setPrice(event.target.value.trim())}
          onBlur={() => setTouched((current) => ({ ...current, price: true }))}
          aria-invalid={show.price ? true : undefined}
          aria-describedby={show.price ? note("price") : undefined}
        />
        {show.price && (
          <p id={note("price")} role="alert" className="field-error">
            {errors.price}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-quantity`}>Quantity</label>
        <input
          id={`${id}-quantity`}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          placeholder={`Multiple of ${rules.lotSize} ${rules.base}, at least ${rules.minQuantity}`}
          value={quantity}
          onChange={(event) => setQuantity(event.target.value.trim())}
          onBlur={() => setTouched((current) => ({ ...current, quantity: true }))}
          aria-invalid={show.quantity ? true : undefined}
          aria-describedby={show.quantity ? note("quantity") : undefined}
        />
        {show.quantity && (
          <p id={note("quantity")} role="alert" className="field-error">
            {errors.quantity}
          </p>
        )}
      </div>
      <dl className="order-preview">
        <div>
          <dt>Available</dt>
          <dd className="num">
            {available ? `${groupThousands(available.get(spendAsset) ?? "0")} ${spendAsset}` : "…"}
          </dd>
        </div>
        <div>
          <dt>{preview?.estimated ? "Value (estimated)" : "Value"}</dt>
          <dd className="num">{preview ? `${groupThousands(preview.notional)} ${rules.quote}` : "–"}</dd>
        </div>
        <div>
          <dt>Fee (at most)</dt>
          <dd className="num">{preview ? `${groupThousands(preview.maxFee)} ${rules.quote}` : "–"}</dd>
        </div>
        <div>
          <dt>{side === "buy" ? "Total cost" : "You receive at least"}</dt>
          <dd className="num">{preview ? `${groupThousands(preview.total)} ${rules.quote}` : "–"}</dd>
        </div>
      </dl>
      {show.form && (
        <p id={note("form")} role="alert" className="error-message">
          {errors.form}
        </p>
      )}
      <ErrorMessage error={failure} />
      <button type="submit" className={`submit-button button-${side}`} disabled={pending}>
        {side === "buy" ? "Buy" : "Sell"} {rules.base}
      </button>
      <p role="status" className="muted form-result">
        {result}
      </p>
    </form>
  );
}
