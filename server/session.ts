// What the language server keeps between reviews of one tree: the texts of the files read
// (checked against the disk by size and modification time), and the files parsed with what the
// analysis learned from them (kept per text, so a changed file is read and parsed afresh). A
// second review of the same patch, or of the next version of it, reads and parses only what
// changed. Everything kept is forgotten at once when it grows past a bound.
import { ParsedFiles } from './impact/c-syntax';
import { FunctionLocator } from './patch/locate';
import { TextCache } from './tree';

/** Default bound of the text kept, in characters: a wide review reads a few thousand files. */
export const DEFAULT_SESSION_CHARS = 256 * 1024 * 1024;

export class ReviewSession {
  readonly texts = new TextCache();
  readonly files = new ParsedFiles();
  /** The changed files' parses that name the function around each change. */
  readonly locator = new FunctionLocator();
  private active = 0;
  /** How many times the kept state was forgotten for its size. */
  trims = 0;

  constructor(private readonly maxChars = DEFAULT_SESSION_CHARS) {}

  /**
   * Runs one review with the session. Parsed trees are freed only when no review is running:
   * a syntax node handed to one must stay valid until it ends.
   */
  async use<T>(run: (s: ReviewSession) => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await run(this);
    } finally {
      if (--this.active === 0) {
        if (this.files.trim(this.maxChars)) {
          this.texts.clear();
          this.locator.clear();
          this.trims++;
        }
      }
    }
  }

  dispose(): void {
    this.files.dispose();
    this.locator.dispose();
    this.texts.clear();
  }
}
