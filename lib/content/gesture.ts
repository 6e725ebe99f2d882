/**
 * The overlay's actions run only on a person's own click or key press. The PSA page's scripts
 * cannot reach the overlay's buttons (closed shadow root), and an event a script dispatches is
 * never trusted: this check is the second wall, should the first ever fall.
 */
export function onTrusted<E extends { nativeEvent: Event }>(act: (event: E) => void): (event: E) => void {
  return (event) => {
    if (event.nativeEvent.isTrusted) act(event);
  };
}
