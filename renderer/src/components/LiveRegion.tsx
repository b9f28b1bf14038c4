/** The app's polite status region (visually hidden). */
import { useAnnouncer } from '../store/announcer';

export function LiveRegion() {
  const message = useAnnouncer((s) => s.message);
  const serial = useAnnouncer((s) => s.serial);
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="live-status">
      {/* Re-keyed so the same sentence twice is announced twice. */}
      <span key={serial}>{message}</span>
    </div>
  );
}
