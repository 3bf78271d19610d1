import type { ActorKind } from '@positions/domain';

/** What attribution needs of a registered actor. */
export interface RegisteredActor {
  id: string;
  name: string;
  kind: ActorKind;
  aliases: readonly string[];
}

const MAX_NAME_WORDS = 8;

const normal = (phrase: string) => phrase.toLowerCase().replace(/[’']/g, "'").replace(/\s+/g, ' ').trim();
const withoutThe = (phrase: string) => phrase.replace(/^the /, '');

/**
 * Finds the registered actor a phrase of an article names: by its name or an alias ("Moscow",
 * "the Kremlin"), a name or alias at the end of a longer phrase ("US Secretary of State Marco
 * Rubio"), or a person's family name alone ("Rubio") where only one registered person has it.
 */
export class ActorMatcher {
  private readonly byName = new Map<string, RegisteredActor>();
  private readonly byFamilyName = new Map<string, RegisteredActor | null>();

  constructor(actors: readonly RegisteredActor[]) {
    for (const actor of actors) {
      for (const name of [actor.name, ...actor.aliases]) this.byName.set(withoutThe(normal(name)), actor);
      if (actor.kind !== 'person') continue;
      const family = normal(actor.name).split(' ').at(-1) ?? '';
      this.byFamilyName.set(family, this.byFamilyName.has(family) ? null : actor);
    }
  }

  match(phrase: string): RegisteredActor | null {
    // Names are a few words long: the last ones of a long run are enough.
    const words = withoutThe(normal(phrase)).split(' ').slice(-MAX_NAME_WORDS);
    for (let i = 0; i < words.length; i++) {
      const found = this.byName.get(words.slice(i).join(' '));
      if (found) return found;
    }
    return this.byFamilyName.get(words.at(-1) ?? '') ?? null;
  }
}
