export default function AssetsPage() {
  return (
    <section className="page">
      <h1>Assets</h1>
    </section>
  );
}
