/**
 * Limits on images and documents, checked before a request is sent. The API's own figures; pass
 * different ones where a deployment (a gateway, a future model) has its own.
 */
export interface MediaLimits {
  /** Largest image, counted on the base64 data as sent. */
  maxImageBytes: number;
  /** Longest image side in pixels. */
  maxImageSide: number;
  /** Images in one request. */
  maxImagesPerRequest: number;
  /** Above this many images in one request, each image's sides must fit `manyImagesMaxSide`. */
  manyImagesThreshold: number;
  /** Longest side allowed when a request carries more than `manyImagesThreshold` images. */
  manyImagesMaxSide: number;
  /** Largest PDF, counted on the base64 data as sent (the request limit). */
  maxDocumentBytes: number;
  /**
   * Largest whole request body: history, images and tools together. Above it the API answers
   * 413 `request_too_large` before any model sees the request.
   */
  maxRequestBytes: number;
}

export const defaultMediaLimits: MediaLimits = {
  maxImageBytes: 5 * 1024 * 1024,
  maxImageSide: 8000,
  maxImagesPerRequest: 100,
  manyImagesThreshold: 20,
  manyImagesMaxSide: 2000,
  maxDocumentBytes: 32 * 1024 * 1024,
  // "there is a 32MB request size limit for standard endpoints" (docs.claude.com/en/docs/vision;
  // the API overview adds that Cloudflare answers 413 request_too_large above it). Read in decimal
  // megabytes, the stricter reading: the emulator refuses above 32 MiB.
  maxRequestBytes: 32_000_000,
};
