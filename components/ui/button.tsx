import type { ButtonHTMLAttributes } from 'react';

/**
 * A button that keeps keyboard focus while it cannot act (busy, or not possible yet): it says so
 * with `aria-disabled` and ignores clicks, where `disabled` would drop focus to the page's body
 * the moment the click made it busy (#18). Enter in a form's field clicks its submit button, so
 * the same guard stops a busy form from being sent again.
 */
export function Button({ disabled, onClick, ...rest }: ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      {...rest}
      aria-disabled={disabled ? true : undefined}
      onClick={(event) => {
        if (disabled) {
          event.preventDefault();
          return;
        }
        onClick?.(event);
      }}
    />
  );
}
