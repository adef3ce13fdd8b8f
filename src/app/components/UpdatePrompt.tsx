import { useEffect, useState } from 'react';
import { applyUpdate, UPDATE_READY_EVENT } from '../serviceWorker.ts';

/** "A new version of Cairn is ready" with a reload button, when the service worker has one waiting. */
export function UpdatePrompt() {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const on = () => setReady(true);
    window.addEventListener(UPDATE_READY_EVENT, on);
    return () => window.removeEventListener(UPDATE_READY_EVENT, on);
  }, []);
  if (!ready) return null;
  return (
    <div className="update" role="status">
      A new version of Cairn is ready.
      <button type="button" className="small primary" onClick={applyUpdate}>
        Reload
      </button>
    </div>
  );
}
