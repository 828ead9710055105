import { Link } from "react-router";

export default function NotFoundPage() {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. See the <Link to="/">markets</Link>.
      </p>
    </section>
  );
}
