import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { register } from "../../api/session.ts";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { Field } from "../../components/Field.tsx";
import { nextPage } from "./next-page.ts";
import { displayNameProblem, emailProblem, newPasswordProblem, passwordMinLength } from "./validation.ts";

interface Problems {
  email?: string | undefined;
  password?: string | undefined;
  displayName?: string | undefined;
}

export default function RegisterPage() {
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [problems, setProblems] = useState<Problems>({});
  const [failure, setFailure] = useState<unknown>();
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Problems = {
      email: emailProblem(email),
      password: newPasswordProblem(password),
      displayName: displayNameProblem(displayName),
    };
    setProblems(found);
    setFailure(undefined);
    if (found.email || found.password || found.displayName) return;
    setPending(true);
    try {
      await register(email.trim(), password, displayName.trim());
      navigate(nextPage(search), { replace: true });
    } catch (error) {
      setFailure(error);
      setPending(false);
    }
  };

  return (
    <section className="page auth-page">
      <h1>Register</h1>
      <form className="form" onSubmit={onSubmit} noValidate>
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={problems.email}
          required
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={problems.password}
          hint={`At least ${passwordMinLength} characters, not a common password.`}
          required
        />
        <Field
          label="Display name"
          type="text"
          autoComplete="nickname"
          value={displayName}
          onChange={(event) => setDisplayName(event.target.value)}
          error={problems.displayName}
          required
        />
        <ErrorMessage error={failure} />
        <button type="submit" disabled={pending}>
          Register
        </button>
      </form>
      <p>
        Already registered?{" "}
        <Link to={`/login${search.size > 0 ? `?${search}` : ""}`}>Sign in to your account</Link>.
      </p>
    </section>
  );
}
