/** First Tab stop of the page: past the header's tabs straight to the selected view. */
export function SkipLink({ target }: { target: string }) {
  return (
    <a className="skip-link" href={`#${target}`}>
      Skip to main content
    </a>
  );
}
