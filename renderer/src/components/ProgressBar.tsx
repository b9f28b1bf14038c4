/** An accessible progress bar: role=progressbar with aria-valuenow/min/max, or indeterminate. */
export interface ProgressBarProps {
  label: string;
  /** 0..100; undefined = indeterminate. */
  percent?: number;
  /** Spoken value, e.g. "9,000 of 20,000 documents". */
  valueText?: string;
  tone?: 'default' | 'success' | 'danger' | 'muted';
  size?: 'large' | 'small';
}

export function ProgressBar({ label, percent, valueText, tone = 'default', size = 'large' }: ProgressBarProps) {
  const known = percent !== undefined && Number.isFinite(percent);
  const rounded = known ? Math.round(percent * 10) / 10 : undefined;
  return (
    <div
      className={`progress progress-${size} progress-${tone}${known ? '' : ' progress-indeterminate'}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={known ? Math.round(percent) : undefined}
      aria-valuetext={known ? `${Math.round(percent)}%${valueText ? `, ${valueText}` : ''}` : valueText}
    >
      <div className="progress-fill" style={known ? { width: `${rounded}%` } : undefined} />
    </div>
  );
}
