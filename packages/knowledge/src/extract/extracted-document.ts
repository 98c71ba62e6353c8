/** One structural piece of a document, in reading order. */
export type DocumentBlock =
  /** A heading; `level` 1 is the top. */
  | { kind: 'heading'; level: number; text: string }
  /** Prose: a paragraph, a list item run, a table flattened to text. */
  | { kind: 'paragraph'; text: string; page?: number }
  /** Preformatted text that must not be re-flowed or split mid-line when avoidable. */
  | { kind: 'code'; text: string; language?: string };

/** What an extractor returns: the document's title and its blocks. */
export interface ExtractedDocument {
  /** The document's own title (first heading, <title>, PDF metadata), or null when it has none. */
  title: string | null;
  /** The content, in reading order. */
  blocks: DocumentBlock[];
}

/** The formats the knowledge base reads. */
export type DocumentFormat = 'markdown' | 'text' | 'html' | 'pdf' | 'docx';
