export { defaultMediaLimits, type MediaLimits } from './media-limits.ts';
export {
  ImageDimensionsError,
  MediaError,
  MediaReadError,
  MediaTooLargeError,
  TooManyImagesError,
  UnsupportedMediaTypeError,
} from './media-error.ts';
export {
  detectMediaType,
  type DetectedMediaType,
  type ImageMediaType,
} from './detect-media-type.ts';
export { imageDimensions, type ImageDimensions } from './image-dimensions.ts';
export {
  describeSource,
  readMedia,
  type MediaSource,
  type ReadMediaOptions,
} from './media-source.ts';
export { imageBlock, loadImage, type ImageOptions, type LoadedImage } from './image-block.ts';
export { pdfBlock, type PdfBlockOptions } from './document-block.ts';
export {
  checkRequestMedia,
  imageContent,
  type ImageContentOptions,
  type RequestMediaSummary,
} from './image-content.ts';
