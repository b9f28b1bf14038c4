/**
 * An error the person can act on: a title, the sentence the core gave, and Retry when there is
 * something to try again (role=alert, so it is announced).
 */
import type { ReactNode } from 'react';
import { Button } from './Button';

export interface AlertProps {
  title: ReactNode;
  message?: ReactNode;
  /** Shows a Retry button that calls this. */
  onRetry?: () => void;
  retryLabel?: string;
}

export function Alert({ title, message, onRetry, retryLabel = 'Retry' }: AlertProps) {
  return (
    <div className={`alert alert-error${onRetry ? ' alert-with-action' : ''}`} role="alert">
      <div>
        <p className="alert-title">{title}</p>
        {message !== undefined && <p>{message}</p>}
      </div>
      {onRetry && <Button onClick={onRetry}>{retryLabel}</Button>}
    </div>
  );
}
