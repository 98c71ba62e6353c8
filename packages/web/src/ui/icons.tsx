/**
 * Inline SVG icons: emoji are not in every system font (a headless or minimal Linux shows boxes),
 * and the page loads no icon font.
 */
const common = {
  width: 18,
  height: 18,
  viewBox: '0 0 24 24',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 2,
  strokeLinecap: 'round' as const,
  strokeLinejoin: 'round' as const,
  'aria-hidden': true,
  focusable: false,
};

export function PaperclipIcon() {
  return (
    <svg {...common}>
      <path d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9" />
    </svg>
  );
}

export function TrashIcon() {
  return (
    <svg {...common}>
      <path d="M3 6h18M8 6V4h8v2M6 6l1 14h10l1-14" />
    </svg>
  );
}

export function PencilIcon() {
  return (
    <svg {...common}>
      <path d="M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4" />
    </svg>
  );
}

export function ImageIcon() {
  return (
    <svg {...common}>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <circle cx="9" cy="10" r="2" />
      <path d="M21 17l-5-5-8 8" />
    </svg>
  );
}

export function ToolIcon({ state }: { state: 'running' | 'done' | 'error' }) {
  if (state === 'running') {
    return (
      <svg {...common} className="spin">
        <path d="M12 3a9 9 0 1 0 9 9" />
      </svg>
    );
  }
  if (state === 'error') {
    return (
      <svg {...common}>
        <path d="M12 4l9 16H3z" />
        <path d="M12 10v4M12 17v.5" />
      </svg>
    );
  }
  return (
    <svg {...common}>
      <path d="M5 12.5l4.5 4.5L19 7" />
    </svg>
  );
}
