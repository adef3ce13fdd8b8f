import { useEffect, useState } from 'react';
import { inviteQrDataUrl } from '../../net/invite.ts';

/** One invite: a QR code to scan with the other device, and the link to send. */
export function InviteCard({ link, index, used }: { link: string; index: number; used: boolean }) {
  const [qr, setQr] = useState<string>();
  useEffect(() => void inviteQrDataUrl(link).then(setQr), [link]);
  const [copied, setCopied] = useState(false);
  return (
    <div className={used ? 'card invite used' : 'card invite'}>
      <h3>
        Guardian {index + 2}
        {used ? ' — joined' : ''}
      </h3>
      {!used && qr && <img className="qr" src={qr} alt={`QR code of the invite for guardian ${index + 2}`} width={180} height={180} />}
      {!used && (
        <>
          <p className="muted">Scan it with the other device's camera, or send this link (it works once):</p>
          <code className="link" data-testid="invite-link">
            {link}
          </code>
          <button type="button" className="small" onClick={() => void navigator.clipboard?.writeText(link).then(() => setCopied(true))}>
            {copied ? 'Copied' : 'Copy link'}
          </button>
        </>
      )}
    </div>
  );
}
