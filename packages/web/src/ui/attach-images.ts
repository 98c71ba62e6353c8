/** Image types the model accepts. */
export const acceptedImageTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/** At most this many images per message (the server's limit too). */
export const maxImagesPerMessage = 4;

/** An image ready to send, with a local preview. */
export interface AttachedImage {
  /** A stable key for the list. */
  key: string;
  name: string;
  mediaType: string;
  /** Base64 without a data: prefix. */
  data: string;
  /** An object URL for the preview; revoke it when the image is dropped. */
  previewUrl: string;
  bytes: number;
}

/** Why a file cannot be attached, or undefined when it can. */
export function imageProblem(
  file: { name: string; type: string; size: number },
  maxBytes: number,
): string | undefined {
  if (!(acceptedImageTypes as readonly string[]).includes(file.type)) {
    return `${file.name} is not a PNG, JPEG, GIF or WebP image.`;
  }
  if (file.size > maxBytes) {
    const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;
    return `${file.name} is ${megabytes(file.size)}; the limit is ${megabytes(maxBytes)}.`;
  }
  if (file.size === 0) return `${file.name} is empty.`;
  return undefined;
}

/** Reads a file as base64 (without the data: prefix). */
export function readAsBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.readAsDataURL(file);
  });
}
