/**
 * `npm run bench:users`: what a login costs (dominated by argon2id) and how many GetBalances calls
 * per second one users process serves, over real gRPC on loopback with the embedded store.
 * BENCH_LOGINS, BENCH_BALANCE_SECONDS and BENCH_CONCURRENCY change the workload.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { createServiceClient, startService } from "@bourse/common";
import { MemoryStore } from "@bourse/common/storage";
import { createLedger } from "@bourse/ledger";
import { AuthService } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import { BalanceService } from "@bourse/proto/bourse/users/v1/balance_service_pb";
import { Health } from "@bourse/proto/grpc/health/v1/health_pb";
import { createArgon2Hasher } from "../../services/users/src/auth/password-hasher.js";
import { argon2Parameters, createUsersService } from "../../services/users/src/index.js";

const LOGINS = Number(process.env.BENCH_LOGINS ?? 100);
const BALANCE_SECONDS = Number(process.env.BENCH_BALANCE_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const ASSETS = ["BTC", "ETH", "SOL", "USD", "USDT"];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const ms = (value: number) => `${value.toFixed(1)} ms`;

function summary(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${label.padEnd(28)} p50 ${ms(percentile(sorted, 0.5))}   p99 ${ms(percentile(sorted, 0.99))}   (n=${sorted.length})`;
}

/** Keeps CONCURRENCY calls in flight for BALANCE_SECONDS and prints the rate and latencies. */
async function saturate(label: string, call: () => Promise<unknown>): Promise<void> {
  const deadline = performance.now() + BALANCE_SECONDS * 1000;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) latencies.push(await timed(call));
    }),
  );
  const rate = Math.round(latencies.length / BALANCE_SECONDS).toLocaleString("en-US");
  console.log(`${summary(label, latencies)}   ${rate} ops/s`);
}

async function timed(call: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await call();
  return performance.now() - start;
}

const store = new MemoryStore();
const service = await startService(createUsersService(), {
  env: {
    BIND_HOST: "127.0.0.1",
    RPC_PORT: "0",
    ADMIN_PORT: "0",
    LOG_LEVEL: "silent",
    SERVICE_CREDENTIAL: randomBytes(32).toString("base64url"),
  },
  store,
});
try {
  const auth = createServiceClient(AuthService, { baseUrl: service.rpcUrl, caller: "bench" });
  const balances = createServiceClient(BalanceService, { baseUrl: service.rpcUrl, caller: "bench" });
  const credentials = { email: "bench@example.com", password: "bench passphrase 1" };
  const { user, tokens } = await auth.register({ ...credentials, displayName: "Bench" });
  const ledger = createLedger(store);
  for (const asset of ASSETS) {
    await ledger.deposit({
      accountId: user?.id ?? "",
      asset,
      scale: 8,
      amount: "1000",
      idempotencyKey: asset,
    });
  }

  const { memoryCost, timeCost, parallelism } = argon2Parameters;
  console.log(`argon2id m=${memoryCost} KiB, t=${timeCost}, p=${parallelism}; node ${process.version}\n`);
  const hasher = createArgon2Hasher();
  const hash = await hasher.hash(credentials.password);
  const verifies: number[] = [];
  for (let i = 0; i < LOGINS; i++)
    verifies.push(await timed(() => hasher.verify(hash, credentials.password)));
  console.log(summary("argon2id verify", verifies));
  const logins: number[] = [];
  for (let i = 0; i < LOGINS; i++) logins.push(await timed(() => auth.login(credentials)));
  console.log(summary("Login RPC (right password)", logins));
  const failures: number[] = [];
  for (let i = 0; i < LOGINS; i++) {
    failures.push(
      await timed(() => auth.login({ ...credentials, email: `nobody${i}@example.com` }).catch(() => {})),
    );
  }
  console.log(summary("Login RPC (unknown email)", failures));

  const headers = { authorization: `Bearer ${tokens?.accessToken}` };
  const health = createServiceClient(Health, { baseUrl: service.rpcUrl, caller: "bench" });
  console.log(`\n${CONCURRENCY} calls in flight for ${BALANCE_SECONDS} s each:`);
  await saturate("Health.Check (baseline)", () => health.check({}));
  await saturate(`GetBalances (${ASSETS.length} assets)`, () => balances.getBalances({}, { headers }));
} finally {
  await service.stop();
}
