import { notFound } from "@bourse/common";
import type { Authenticator } from "@bourse/common/auth";
import type { UserService } from "@bourse/proto/bourse/users/v1/user_service_pb";
import type { ServiceImpl } from "@connectrpc/connect";
import { z } from "zod";
import { displayNameField } from "../domain/fields.js";
import type { UserStore } from "../store/user-store.js";
import { userMessage } from "./messages.js";

const updateProfileRequest = z.object({ displayName: displayNameField.optional() });

export function userHandlers(deps: {
  readonly auth: Authenticator;
  readonly users: UserStore;
  readonly now: () => Date;
}): ServiceImpl<typeof UserService> {
  return {
    async getMe(_request, context) {
      const { userId } = await deps.auth.require(context);
      const user = await deps.users.get(userId);
      if (!user) throw notFound("the signed-in account no longer exists");
      return { user: userMessage(user) };
    },
    async updateProfile(request, context) {
      const { userId } = await deps.auth.require(context);
      const changes = updateProfileRequest.parse(request);
      const user = await deps.users.update(userId, changes, deps.now());
      if (!user) throw notFound("the signed-in account no longer exists");
      return { user: userMessage(user) };
    },
  };
}
