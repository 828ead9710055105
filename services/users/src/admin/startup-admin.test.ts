import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { adminCredentialsOf } from "./startup-admin.js";

describe("adminCredentialsOf", () => {
  it("is undefined without ADMIN_EMAIL, and reads the password inline or from a file", async () => {
    expect(adminCredentialsOf({})).toBeUndefined();
    expect(
      adminCredentialsOf({ ADMIN_EMAIL: "a@example.com", ADMIN_PASSWORD: "long enough secret" }),
    ).toEqual({
      email: "a@example.com",
      password: "long enough secret",
    });
    const file = join(await mkdtemp(join(tmpdir(), "admin-")), "password");
    await writeFile(file, "from a mounted secret\n");
    expect(adminCredentialsOf({ ADMIN_EMAIL: "a@example.com", ADMIN_PASSWORD_FILE: file })?.password).toBe(
      "from a mounted secret",
    );
  });

  it.each([
    ["a common password", { ADMIN_EMAIL: "a@example.com", ADMIN_PASSWORD: "Password123" }, /ADMIN_PASSWORD:/],
    ["no password", { ADMIN_EMAIL: "a@example.com" }, /ADMIN_PASSWORD:/],
    ["a password without email", { ADMIN_PASSWORD: "long enough secret" }, /ADMIN_EMAIL:/],
    [
      "both password sources",
      { ADMIN_EMAIL: "a@example.com", ADMIN_PASSWORD: "long enough secret", ADMIN_PASSWORD_FILE: "/x" },
      /ADMIN_PASSWORD_FILE:/,
    ],
    [
      "an unreadable file",
      { ADMIN_EMAIL: "a@example.com", ADMIN_PASSWORD_FILE: "/nonexistent/pw" },
      /ENOENT/,
    ],
  ])("refuses %s, naming the variable", (_label, config, problem) => {
    expect(() => adminCredentialsOf(config)).toThrow(problem);
  });
});
