export { rpcError, startUsers, type TestUser, type UsersHarness } from "./users-harness.js";
