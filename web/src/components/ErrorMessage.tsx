import { describeError } from "../api/errors.ts";

/** A failed call, as a readable sentence announced to screen readers; nothing when there is no error. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  return (
    <p role="alert" className="error-message">
      {describeError(error)}
    </p>
  );
}
