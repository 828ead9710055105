import { useParams } from "react-router";

export default function TradePage() {
  const { market } = useParams();
  return (
    <section className="page">
      <h1>Trade {market}</h1>
    </section>
  );
}
