import { describe, expect, it } from "vitest";
import { KeyedSerializer } from "./keyed-serializer.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("KeyedSerializer", () => {
  it("runs tasks on one key one at a time, in arrival order, and others alongside", async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name}+`);
      await tick();
      log.push(`${name}-`);
    };
    await Promise.all([
      serializer.run(["a"], task("a1")),
      serializer.run(["a"], task("a2")),
      serializer.run(["b"], task("b1")),
    ]);
    expect(log.indexOf("a2+")).toBeGreaterThan(log.indexOf("a1-"));
    expect(log.indexOf("b1+")).toBeLessThan(log.indexOf("a1-"));
    expect(serializer.busyKeys).toBe(0);
  });

  it("never deadlocks tasks that take overlapping keys in different orders", async () => {
    const serializer = new KeyedSerializer();
    let running = 0;
    let most = 0;
    const task = async () => {
      running += 1;
      most = Math.max(most, running);
      await tick();
      running -= 1;
    };
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => serializer.run(i % 2 ? ["x", "y"] : ["y", "x"], task)),
    );
    expect(most).toBe(1);
    expect(serializer.busyKeys).toBe(0);
  });

  it("releases the key when a task fails", async () => {
    const serializer = new KeyedSerializer();
    await expect(serializer.run(["k"], () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(serializer.run(["k"], async () => "next")).resolves.toBe("next");
  });
});
