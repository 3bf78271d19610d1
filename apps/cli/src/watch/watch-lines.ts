import type { WatchMessage } from '@positions/application';
import type { Stance } from '@positions/domain';

/**
 * Control characters (escape sequences included) shown as `\u001b`, so text recorded by
 * anyone cannot move the cursor, clear the screen or forge lines on the watcher's terminal.
 */
export function escapeControls(text: string): string {
  let out = '';
  for (const c of text) out += isControl(c.charCodeAt(0)) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c;
  return out;
}

const isControl = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;

const code = (stance: Stance | null) => stance?.code ?? '(none)';

/** One line per message for a terminal: its log position, its type, then what changed. */
export function messageLine(message: WatchMessage): string {
  const head = `#${message.position} ${message.type}`;
  switch (message.type) {
    case 'position-changed': {
      const d = message.data;
      const how = [d.shift, d.direction].filter(Boolean).join(', ');
      return escapeControls(`${head} ${d.actorId} on ${d.topicId}: ${code(d.before)} -> ${code(d.after)}${how ? ` (${how})` : ''}`);
    }
    case 'voice-diverged':
    case 'voice-converged': {
      const d = message.data;
      return escapeControls(`${head} ${d.orgId} on ${d.topicId}: ${d.voices.map((v) => `${v.actorId}=${code(v.stance)}`).join(', ')}`);
    }
    default: {
      const d = message.data;
      return escapeControls(`${head} ${d.statementId} by ${d.actorId} on ${d.topicId}: ${d.reason}`);
    }
  }
}
