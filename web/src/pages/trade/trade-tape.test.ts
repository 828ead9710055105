import { TradeSchema } from "@bourse/proto/bourse/marketdata/v1/trade_pb";
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { mergeTrades, TAPE_LENGTH } from "./trade-tape.ts";

const trade = (sequence: number) =>
  create(TradeSchema, { id: `t${sequence}`, sequence: BigInt(sequence), price: "1" });

describe("mergeTrades", () => {
  it("keeps each trade once, newest first by sequence, whatever the arrival order", () => {
    const merged = mergeTrades([trade(3), trade(1)], [trade(2), trade(3), trade(10)]);
    expect(merged.map((t) => t.id)).toEqual(["t10", "t3", "t2", "t1"]);
  });

  it("keeps only the latest TAPE_LENGTH trades", () => {
    const many = Array.from({ length: TAPE_LENGTH + 5 }, (_, index) => trade(index + 1));
    const merged = mergeTrades([], many);
    expect(merged).toHaveLength(TAPE_LENGTH);
    expect(merged[0]?.id).toBe(`t${TAPE_LENGTH + 5}`);
    expect(merged.at(-1)?.id).toBe("t6");
  });
});
