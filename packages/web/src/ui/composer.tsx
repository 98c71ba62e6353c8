import { useRef, useState, type SubmitEvent, type KeyboardEvent } from 'react';
import {
  acceptedImageTypes,
  imageProblem,
  maxImagesPerMessage,
  readAsBase64,
  type AttachedImage,
} from './attach-images.ts';
import { PaperclipIcon } from './icons.tsx';

let nextKey = 0;

/** The message box: Enter sends, Shift+Enter is a new line; images attach with previews. */
export function Composer({
  streaming,
  disabled,
  maxImageBytes,
  onSend,
  onStop,
}: {
  streaming: boolean;
  disabled: boolean;
  maxImageBytes: number;
  onSend: (text: string, images: AttachedImage[]) => boolean | Promise<boolean>;
  onStop: () => void;
}) {
  const [text, setText] = useState('');
  const [images, setImages] = useState<AttachedImage[]>([]);
  const [problem, setProblem] = useState<string | undefined>();
  const fileInput = useRef<HTMLInputElement>(null);

  const send = async () => {
    if (streaming || disabled || !text.trim()) return;
    const sent = await onSend(text.trim(), images);
    if (sent) {
      // The sent turn keeps showing the previews, so their URLs stay alive with it.
      setText('');
      setImages([]);
      setProblem(undefined);
    }
  };
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    void send();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };
  const attach = async (files: FileList | null) => {
    if (!files) return;
    const problems: string[] = [];
    const added: AttachedImage[] = [];
    for (const file of Array.from(files)) {
      if (images.length + added.length >= maxImagesPerMessage) {
        problems.push(`At most ${maxImagesPerMessage} images per message.`);
        break;
      }
      const refused = imageProblem(file, maxImageBytes);
      if (refused) {
        problems.push(refused);
        continue;
      }
      added.push({
        key: `image-${nextKey++}`,
        name: file.name,
        mediaType: file.type,
        data: await readAsBase64(file),
        previewUrl: URL.createObjectURL(file),
        bytes: file.size,
      });
    }
    setImages((current) => [...current, ...added]);
    setProblem(problems.length > 0 ? problems.join(' ') : undefined);
    if (fileInput.current) fileInput.current.value = '';
  };
  const remove = (key: string) =>
    setImages((current) =>
      current.filter((image) => {
        if (image.key === key) URL.revokeObjectURL(image.previewUrl);
        return image.key !== key;
      }),
    );

  return (
    <form className="composer" onSubmit={onSubmit} aria-label="Send a message">
      {images.length > 0 ? (
        <ul className="attachments" aria-label="Attached images">
          {images.map((image) => (
            <li key={image.key}>
              <img src={image.previewUrl} alt={`Preview of ${image.name}`} />
              <span className="attachment-name">{image.name}</span>
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove ${image.name}`}
                onClick={() => remove(image.key)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {problem ? (
        <p className="attach-problem" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="composer-row">
        <input
          ref={fileInput}
          id="attach-input"
          type="file"
          accept={acceptedImageTypes.join(',')}
          multiple
          className="visually-hidden"
          onChange={(event) => void attach(event.target.files)}
        />
        <label htmlFor="attach-input" className="attach-button" title="Attach an image">
          <PaperclipIcon />
          <span className="visually-hidden">Attach an image</span>
        </label>
        <label htmlFor="message-input" className="visually-hidden">
          Message
        </label>
        <textarea
          id="message-input"
          rows={2}
          placeholder="Ask about an order, a return, or attach a photo… (Enter to send, Shift+Enter for a new line)"
          value={text}
          disabled={disabled}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        {streaming ? (
          <button type="button" className="stop" onClick={onStop}>
            ■ Stop
          </button>
        ) : (
          <button type="submit" className="primary" disabled={disabled || !text.trim()}>
            Send
          </button>
        )}
      </div>
    </form>
  );
}
