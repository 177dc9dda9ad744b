import { useId } from 'react';
import type { ReactNode } from 'react';
import './term.css';

/**
 * A word of jargon with its explanation, shown on hover and on keyboard focus (the word is focusable), and
 * read by screen readers as the word's description (aria-describedby).
 */
export function Term({ children, explain }: { children: ReactNode; explain: string | undefined }) {
  const id = useId();
  if (!explain) return <>{children}</>;
  return (
    <span className="term">
      <span className="term-word" tabIndex={0} aria-describedby={id}>
        {children}
      </span>
      <span role="tooltip" id={id} className="term-tip">
        {explain}
      </span>
    </span>
  );
}
