// The errors of the retrieval layer. Each names the file, the line (1-based) and the field, so a
// user who brought their own BEIR folder or embedding file can go straight to the fault.

import { EntangleError } from '../util/errors.js';

/** Where in a file a problem was found; `line` and `field` are omitted when they do not apply. */
export interface FileLocation {
  file: string;
  line?: number;
  field?: string;
}

function where(at: FileLocation): string {
  return `${at.file}${at.line !== undefined ? `, line ${at.line}` : ''}${at.field !== undefined ? `, field "${at.field}"` : ''}`;
}

/** A BEIR folder (corpus.jsonl, queries.jsonl, qrels/*.tsv) that does not follow the layout. */
export class BeirFormatError extends EntangleError {
  override name = 'BeirFormatError';
  readonly file: string;
  readonly line: number | undefined;
  readonly field: string | undefined;
  constructor(at: FileLocation, problem: string) {
    super('E_BEIR', `${where(at)}: ${problem}`);
    this.file = at.file;
    this.line = at.line;
    this.field = at.field;
  }
}

/** An embedding file (.npy + ids, .jsonl, .csv) that cannot be read, or whose vectors disagree. */
export class EmbeddingFileError extends EntangleError {
  override name = 'EmbeddingFileError';
  readonly file: string;
  readonly line: number | undefined;
  readonly field: string | undefined;
  constructor(at: FileLocation, problem: string) {
    super('E_EMBEDDING_FILE', `${where(at)}: ${problem}`);
    this.file = at.file;
    this.line = at.line;
    this.field = at.field;
  }
}

/** A bad argument to a retrieval function (a k below 1, mismatched lengths, a duplicate id). */
export class RetrievalInputError extends EntangleError {
  override name = 'RetrievalInputError';
  constructor(message: string) {
    super('E_RETRIEVAL', message);
  }
}
