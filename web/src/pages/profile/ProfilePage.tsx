import { Role } from "@bourse/proto/bourse/users/v1/user_pb";
import { UserService } from "@bourse/proto/bourse/users/v1/user_service_pb";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { type FormEvent, useState } from "react";
import { updateSessionUser } from "../../api/session.ts";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { Field } from "../../components/Field.tsx";
import { displayNameProblem } from "../auth/validation.ts";
import "../pages.css";

function roleLabel(role: Role): string {
  return role === Role.ADMIN ? "Administrator" : "Trader";
}

/** The signed-in user's profile: who they are, and the display name they may change. */
export default function ProfilePage() {
  const me = useQuery(UserService.method.getMe, {});
  const user = me.data?.user;
  const [displayName, setDisplayName] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [saved, setSaved] = useState(false);
  const update = useMutation(UserService.method.updateProfile, {
    onSuccess: (response) => {
      if (response.user) updateSessionUser(response.user);
      setDisplayName(undefined);
      setSaved(true);
      void me.refetch();
    },
  });
  const shownName = displayName ?? user?.displayName ?? "";

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = displayNameProblem(shownName);
    setProblem(found);
    if (found) return;
    update.mutate({ displayName: shownName.trim() });
  };

  return (
    <div className="page">
      <h1>Profile</h1>
      <ErrorMessage error={me.error} />
      {me.isPending && <p aria-live="polite">Loading your profile…</p>}
      {user && (
        <>
          <section className="panel" aria-labelledby="profile-account">
            <h2 id="profile-account">Account</h2>
            <dl className="figures">
              <div>
                <dt>Email</dt>
                <dd>{user.email}</dd>
              </div>
              <div>
                <dt>Role</dt>
                <dd>{roleLabel(user.role)}</dd>
              </div>
              <div>
                <dt>Member since</dt>
                <dd>{user.createdAt ? timestampDate(user.createdAt).toLocaleDateString() : "—"}</dd>
              </div>
            </dl>
          </section>
          <section className="panel" aria-labelledby="profile-name">
            <h2 id="profile-name">Your name in the app</h2>
            <form className="form funding-form" onSubmit={onSubmit} noValidate aria-label="Edit profile">
              <Field
                label="Display name"
                autoComplete="nickname"
                value={shownName}
                onChange={(event) => {
                  setDisplayName(event.target.value);
                  setProblem(undefined);
                  setSaved(false);
                }}
                error={problem}
                hint="Shown in the app, 1 to 64 characters."
              />
              <div className="form-actions">
                <button type="submit" disabled={update.isPending}>
                  Save
                </button>
              </div>
              <ErrorMessage error={update.error} />
              <p role="status" className="status-message">
                {saved ? "Profile saved." : ""}
              </p>
            </form>
          </section>
        </>
      )}
    </div>
  );
}
