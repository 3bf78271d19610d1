import { escapeControls, messageLine } from './watch-lines';

describe('watch lines', () => {
  it('shows control characters as escapes, so recorded text cannot drive the terminal', () => {
    expect(escapeControls('a\u001b[2Jb\nc\u009bd')).toBe('a\\u001b[2Jb\\u000ac\\u009bd');
    expect(escapeControls('Zürich — “ok”')).toBe('Zürich — “ok”');
  });

  it('prints a position change, and a retraction with its reason escaped, one line each', () => {
    const stance = (code: string, score: number) => ({ code, label: code, score });
    const changed = messageLine({ position: 7, type: 'position-changed', data: { actorId: 'a', topicId: 't', before: stance('x', 0), after: stance('y', 2), shift: 'full-flop', direction: 'toward', statementId: 's', certainty: 'certain' } });
    expect(changed).toBe('#7 position-changed a on t: x -> y (full-flop, toward)');
    const retracted = messageLine({ position: 8, type: 'statement-retracted', data: { statementId: 's', actorId: 'a', topicId: 't', reason: 'bad\r\nline' } });
    expect(retracted).toBe('#8 statement-retracted s by a on t: bad\\u000d\\u000aline');
  });
});
