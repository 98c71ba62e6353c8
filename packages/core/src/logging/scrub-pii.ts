/**
 * Replaces personal data and secrets in free text before it is logged: API keys (Anthropic
 * `sk-ant-...` and other `sk-`/bearer-style keys), emails, card numbers (13-19 digits passing
 * the Luhn check), and phone numbers. It errs towards redacting: a log loses a number, not a secret.
 */
const patterns: Array<[RegExp, string | ((match: string) => string)]> = [
  [/\bsk-ant-[A-Za-z0-9_-]{8,}/g, '[REDACTED_API_KEY]'],
  [/\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}/g, '[REDACTED_API_KEY]'],
  [/\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/g, 'Bearer [REDACTED_TOKEN]'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[REDACTED_EMAIL]'],
  [/\b(?:\d[ -]?){12,18}\d\b/g, (match) => (luhnValid(match) ? '[REDACTED_CARD]' : match)],
  [
    /(?<![\w-])\+?\d{1,3}?[ .-]?\(?\d{2,4}\)?[ .-]?\d{3,4}[ .-]?\d{3,4}(?![\w-])/g,
    '[REDACTED_PHONE]',
  ],
];

function luhnValid(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The text with emails, phone numbers, card numbers and API keys replaced by markers. */
export function scrubPii(text: string): string {
  let result = text;
  for (const [pattern, replacement] of patterns) {
    result = result.replace(pattern, replacement as string);
  }
  return result;
}

/** The text with every occurrence of the given secrets (e.g. the configured API key) replaced. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && result.includes(secret))
      result = result.split(secret).join('[REDACTED]');
  }
  return result;
}
