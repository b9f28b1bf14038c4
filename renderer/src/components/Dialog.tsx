/**
 * A modal dialog: role=dialog + aria-modal, named by its title, initial focus on the element marked
 * `data-autofocus` (else the first focusable one), Tab kept inside, Escape dismisses, focus restored
 * on close. The app behind it is made `inert` by the App while a dialog is open.
 */
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => !el.closest('[inert]') && el.getClientRects().length > 0,
  );
}

export interface DialogProps {
  title: string;
  /** Called on Escape; omit to make Escape do nothing. */
  onDismiss?: () => void;
  tone?: 'default' | 'danger' | 'warning' | 'info';
  /** Identity of the content: focus moves to the initial element again when it changes. */
  contentKey?: string;
  describedBy?: string;
  /** Wider dialog for tables. */
  wide?: boolean;
  /** Drawn in the page (a planning panel): not modal, no backdrop, Tab is not kept inside. */
  inline?: boolean;
  children: ReactNode;
}

export function Dialog({
  title,
  onDismiss,
  tone = 'default',
  contentKey,
  describedBy,
  wide,
  inline,
  children,
}: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const dismissRef = useRef(onDismiss);
  dismissRef.current = onDismiss;

  // Remember what had focus before the dialog, and give it back afterwards (once per dialog: a given
  // dialog is either inline or modal for its whole life).
  useEffect(() => {
    if (inline) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return () => {
      // Give focus back; if that element is gone (the screen changed meanwhile), to the screen's heading.
      const target =
        previous && previous.isConnected && previous !== document.body
          ? previous
          : document.querySelector<HTMLElement>('main h1');
      if (target) {
        if (target.tagName === 'H1') target.tabIndex = -1;
        // After the app behind the dialog stops being inert.
        requestAnimationFrame(() => target.focus());
      }
    };
  }, [inline]);

  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const target = root.querySelector<HTMLElement>('[data-autofocus]') ?? focusables(root)[0] ?? root;
    target.focus();
    if (target instanceof HTMLInputElement && (target.type === 'text' || target.type === 'password')) target.select();
  }, [contentKey]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      if (dismissRef.current) {
        event.preventDefault();
        event.stopPropagation();
        dismissRef.current();
      }
      return;
    }
    if (inline || event.key !== 'Tab' || !ref.current) return;
    const items = focusables(ref.current);
    if (items.length === 0) {
      event.preventDefault();
      return;
    }
    const first = items[0];
    const last = items[items.length - 1];
    const active = document.activeElement;
    if (event.shiftKey && (active === first || !ref.current.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !ref.current.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  }

  const box = (
    <div
      ref={ref}
      className={`dialog dialog-${tone}${wide ? ' dialog-wide' : ''}${inline ? ' plan-panel' : ''}`}
      role="dialog"
      aria-modal={inline ? 'false' : 'true'}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {children}
    </div>
  );
  return inline ? box : <div className="dialog-backdrop">{box}</div>;
}
