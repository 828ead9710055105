/**
 * `npm run admin:grant -- <email>` and `npm run admin:revoke -- <email>`: the operator's way to make an
 * account an admin or a customer again, on the store the services are configured with (STORE=dynamodb,
 * DYNAMODB_TABLE, DYNAMODB_ENDPOINT, AWS_REGION). Registration never grants a role.
 *
 * Exit codes: 0 done (or nothing to change), 1 no account has that email, 2 bad usage or configuration.
 */
import { loadInfrastructureConfig, storeConfigOf } from "@bourse/common";
import { createStore } from "@bourse/common/storage";
import { setRoleByEmail } from "@bourse/users/admin";

const roleOf = { grant: "admin", revoke: "customer" } as const;

class UsageError extends Error {}

function parseArguments(argv: readonly string[]): { command: keyof typeof roleOf; email: string } {
  const [command, email, ...rest] = argv;
  if ((command !== "grant" && command !== "revoke") || !email || rest.length > 0) {
    throw new UsageError("usage: npm run admin:grant -- <email>   (or admin:revoke)");
  }
  return { command, email };
}

async function main(): Promise<number> {
  const { command, email } = parseArguments(process.argv.slice(2));
  const name = `admin:${command}`;
  const config = loadInfrastructureConfig(name, process.env);
  if (config.STORE === "memory") {
    throw new UsageError(
      `${name}: STORE=memory lives inside the running service, so there is no account here to change. ` +
        "Set STORE=dynamodb (and DYNAMODB_TABLE, DYNAMODB_ENDPOINT), or for `npm start` create the admin " +
        "at start-up with ADMIN_EMAIL and ADMIN_PASSWORD.",
    );
  }
  const store = createStore(storeConfigOf(config));
  try {
    const outcome = await setRoleByEmail(store, email, roleOf[command], new Date());
    if (outcome === "no_account") {
      console.error(`${name}: no account has the email ${email}; nothing changed`);
      return 1;
    }
    const role = roleOf[command];
    console.log(outcome === "changed" ? `${email} is now ${role}` : `${email} was already ${role}`);
    return 0;
  } finally {
    store.close();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 2;
}
