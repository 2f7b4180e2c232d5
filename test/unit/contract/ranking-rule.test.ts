import { describe, expect, it } from 'vitest';
import { RANKING_RULE, wrapText } from '../../../contract';
import { reportCommand } from '../../../runner/commands/report';

describe('the ranking rule in words', () => {
  it('wraps at the width without losing or reordering a word', () => {
    const text = wrapText(RANKING_RULE, 60, '    ');
    for (const line of text.split('\n')) {
      expect(line.startsWith('    ')).toBe(true);
      expect(line.length).toBeLessThanOrEqual(60);
    }
    expect(text.split(/\s+/).filter(Boolean).join(' ')).toBe(RANKING_RULE);
    expect(wrapText('a verylongword b', 5)).toBe('a\nverylongword\nb');
  });

  it('is the text `headprep report --help` shows', () => {
    const help = reportCommand.usage.replace(/\s+/g, ' ');
    expect(help).toContain(RANKING_RULE);
  });
});
