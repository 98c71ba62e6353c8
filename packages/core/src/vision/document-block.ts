import type { DocumentBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { detectMediaType } from './detect-media-type.ts';
import { MediaTooLargeError, UnsupportedMediaTypeError } from './media-error.ts';
import { defaultMediaLimits, type MediaLimits } from './media-limits.ts';
import {
  base64Length,
  readMedia,
  toBase64,
  type MediaSource,
  type ReadMediaOptions,
} from './media-source.ts';

/** Options for {@link pdfBlock}. */
export interface PdfBlockOptions extends ReadMediaOptions {
  /** A title the model sees (and citations name). */
  title?: string;
  /** Context about the document that is not quoted in citations. */
  context?: string;
  /** Let answers cite passages of the document. */
  citations?: boolean;
  limits?: Partial<MediaLimits>;
}

/** A PDF document block from a path, URL, buffer or base64; the bytes must start with `%PDF-`. */
export async function pdfBlock(
  source: MediaSource,
  options: PdfBlockOptions = {},
): Promise<DocumentBlockParam> {
  const limits = { ...defaultMediaLimits, ...options.limits };
  const media = await readMedia(source, options);
  const extras = {
    ...(options.title === undefined ? {} : { title: options.title }),
    ...(options.context === undefined ? {} : { context: options.context }),
    ...(options.citations === undefined ? {} : { citations: { enabled: options.citations } }),
  };
  if (media.kind === 'url') {
    return { type: 'document', source: { type: 'url', url: media.url }, ...extras };
  }
  if (detectMediaType(media.bytes) !== 'application/pdf') {
    throw new UnsupportedMediaTypeError(media.label, ['application/pdf']);
  }
  const size = base64Length(media.bytes.byteLength);
  if (size > limits.maxDocumentBytes) {
    throw new MediaTooLargeError(media.label, 'document', size, limits.maxDocumentBytes);
  }
  return {
    type: 'document',
    source: {
      type: 'base64',
      media_type: 'application/pdf',
      data: toBase64(media.bytes),
    },
    ...extras,
  };
}
