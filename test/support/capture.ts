/**
 * Chromium now and then refuses one capture: `Page.captureScreenshot` answers "Unable to capture
 * screenshot" when no frame of the page could be copied at that moment, and takes the same picture
 * when asked again. Seen once in CI, on a 390 px phone's full-page screenshot after the page's
 * fonts had loaded, in a run of the whole suite; never in 450 captures of the same page on a loaded
 * machine. A screenshot is the run's picture of a page for a person to look at, not what a test
 * asserts, so a refused one is asked for once more after the page has drawn a frame; any other
 * error, or a second refusal, still fails the test.
 */

/** Chromium's answer to a capture it could not take (a protocol error, as Playwright reports it). */
export const REFUSED_CAPTURE = /\bUnable to capture screenshot\b/;

/** `capture()`, and once more after `nextFrame()` if Chromium refused the first one. */
export async function captureOnceMore<T>(capture: () => Promise<T>, nextFrame: () => Promise<void>): Promise<T> {
  try {
    return await capture();
  } catch (e) {
    if (!(e instanceof Error) || !REFUSED_CAPTURE.test(e.message)) throw e;
    await nextFrame();
    return capture();
  }
}
