import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { logIn } from "../../api/session.ts";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { Field } from "../../components/Field.tsx";
import { nextPage } from "./next-page.ts";
import { emailProblem } from "./validation.ts";

interface Problems {
  email?: string | undefined;
  password?: string | undefined;
}

export default function LoginPage() {
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [problems, setProblems] = useState<Problems>({});
  const [failure, setFailure] = useState<unknown>();
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Problems = {
      email: emailProblem(email),
      password: password === "" ? "Enter your password." : undefined,
    };
    setProblems(found);
    setFailure(undefined);
    if (found.email || found.password) return;
    setPending(true);
    try {
      await logIn(email.trim(), password);
      navigate(nextPage(search), { replace: true });
    } catch (error) {
      setFailure(error);
      setPending(false);
    }
  };

  return (
    <section className="page auth-page">
      <h1>Log in</h1>
      <form className="form" onSubmit={onSubmit} noValidate>
        <Field
          label="Email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={problems.email}
          required
        />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={problems.password}
          required
        />
        <ErrorMessage error={failure} />
        <button type="submit" disabled={pending}>
          Log in
        </button>
      </form>
      <p>
        New here? <Link to={`/register${search.size > 0 ? `?${search}` : ""}`}>Create an account</Link>.
      </p>
    </section>
  );
}
