/**
 * The window's button: `variant` picks the look (primary, plain, quiet, danger, danger-quiet); everything
 * else is a plain <button type="button"> (a submit button says type="submit").
 */
import type { ButtonHTMLAttributes } from 'react';

export type ButtonVariant = 'primary' | 'plain' | 'quiet' | 'danger' | 'danger-quiet' | 'link';

const CLASS: Record<ButtonVariant, string> = {
  primary: 'button button-primary',
  plain: 'button',
  quiet: 'button button-quiet',
  danger: 'button button-danger',
  'danger-quiet': 'button button-danger-quiet',
  link: 'link-button',
};

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
}

export function Button({ variant = 'plain', type = 'button', className, ...props }: ButtonProps) {
  return <button type={type} className={className ? `${CLASS[variant]} ${className}` : CLASS[variant]} {...props} />;
}
