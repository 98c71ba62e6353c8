import { describe, expect, it } from 'vitest';
import { pdfText } from './pdf-text.ts';
import { testPdf } from './test-pdf.ts';

describe('pdfText', () => {
  it('reads the text layer of plain and Flate-compressed content streams, line by line', () => {
    const pages = [['Quarterly report (draft)', 'Revenue grew 12% to $4.1M.'], ['Page two.']];
    const expected = 'Quarterly report (draft)\nRevenue grew 12% to $4.1M.\nPage two.';
    expect(pdfText(testPdf(pages))).toBe(expected);
    expect(pdfText(testPdf(pages, { compress: true }))).toBe(expected);
  });

  it('reads TJ arrays, with wide kerning as a word gap, and octal escapes', () => {
    const stream = 'BT /F1 12 Tf 72 720 Td [(Hel) 20 (lo) -300 (w\\157rld)] TJ ET';
    const pdf = `%PDF-1.4\n1 0 obj\n<< /Length ${stream.length} >>\nstream\n${stream}\nendstream\nendobj\n%%EOF`;
    expect(pdfText(Buffer.from(pdf, 'latin1').toString('base64'))).toBe('Hello world');
  });

  it('gives nothing for bytes that are not a PDF or have no text layer', () => {
    expect(pdfText(Buffer.from('hello').toString('base64'))).toBe('');
    expect(pdfText('JVBERi0xLjQK')).toBe('');
  });
});
