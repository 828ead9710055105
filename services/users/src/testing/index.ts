export { startUsers, type TestUser, type UsersHarness } from "./users-harness.js";
