/** The first screen a person sees: what Cairn is, and the two ways in. */
export function Welcome({ onCreate, onJoin }: { onCreate?: () => void; onJoin?: () => void }) {
  return (
    <main className="welcome">
      <header className="brand">
        <img src="/icon.svg" alt="" width={56} height={56} />
        <h1>Cairn</h1>
      </header>
      <p className="lead">A wallet your guardians hold together.</p>
      <ul className="points">
        <li>Your key is split between devices you trust — your phone, your laptop, a friend's phone.</li>
        <li>Any agreed number of them (say 2 of 3) can approve a payment. No single device ever holds the whole key.</li>
        <li>Lose a phone and you lose nothing: the other guardians give the new phone its part again, and your address stays the same.</li>
      </ul>
      <div className="actions">
        <button type="button" className="primary" onClick={onCreate}>
          Create a wallet
        </button>
        <button type="button" className="secondary" onClick={onJoin}>
          Join with an invite
        </button>
      </div>
      <p className="fineprint">Everything runs in this browser. No server ever sees your key.</p>
    </main>
  );
}
