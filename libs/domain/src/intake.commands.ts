import type { ArticleTaken } from './intake.events';

/** `today` is the day of taking it (UTC, `YYYY-MM-DD`): an article cannot be published later. */
export type TakeArticle = { type: 'TakeArticle'; today: string } & ArticleTaken['data'];
export type AcceptCandidate = { type: 'AcceptCandidate'; draftId: string; candidateId: string; statementId: string };
export type RejectCandidate = { type: 'RejectCandidate'; draftId: string; candidateId: string; reason: string };

export type IntakeCommand = TakeArticle | AcceptCandidate | RejectCandidate;
