/*
 * Articles for the intake's tests, written for this project. The first retells, in other words,
 * the report the service started from, keeping its quotes, its attributions and its date wording;
 * the others are news-style reports written to cover the forms attribution and dates take.
 */

/** The actors the articles name, as registered in the tests (the demo data set's, plus a few). */
export const INTAKE_ACTORS = [
  { id: 'us-government', name: 'United States government', kind: 'government', aliases: ['Washington'] },
  { id: 'russian-government', name: 'Government of the Russian Federation', kind: 'government', aliases: ['Moscow', 'the Kremlin'] },
  { id: 'european-union', name: 'European Union', kind: 'organization', aliases: ['the EU', 'Brussels'] },
  { id: 'ukrainian-government', name: 'Government of Ukraine', kind: 'government', aliases: ['Kyiv'] },
  { id: 'donald-trump', name: 'Donald Trump', kind: 'person', aliases: [] },
  { id: 'marco-rubio', name: 'Marco Rubio', kind: 'person', aliases: [] },
  { id: 'valdis-dombrovskis', name: 'Valdis Dombrovskis', kind: 'person', aliases: [] },
  { id: 'vladimir-putin', name: 'Vladimir Putin', kind: 'person', aliases: [] },
  { id: 'kaja-kallas', name: 'Kaja Kallas', kind: 'person', aliases: [] },
  { id: 'sergey-lavrov', name: 'Sergey Lavrov', kind: 'person', aliases: ['Sergei Lavrov'] },
  { id: 'dmitry-peskov', name: 'Dmitry Peskov', kind: 'person', aliases: [] },
  { id: 'olaf-scholz', name: 'Olaf Scholz', kind: 'person', aliases: [] },
  { id: 'viktor-orban', name: 'Viktor Orbán', kind: 'person', aliases: ['Viktor Orban'] },
  { id: 'ursula-von-der-leyen', name: 'Ursula von der Leyen', kind: 'person', aliases: [] },
  { id: 'janet-yellen', name: 'Janet Yellen', kind: 'person', aliases: [] },
  { id: 'volodymyr-zelensky', name: 'Volodymyr Zelensky', kind: 'person', aliases: [] },
] as const;

/**
 * A candidate a reader would expect: `speaker` is the registered actor's id, else the name the
 * article gives, else null (nobody named); `words` are the quote, or a piece of the reported clause.
 */
export interface ExpectedCandidate {
  speaker: string | null;
  words: string;
  statedOn: string;
}

export interface IntakeArticle {
  name: string;
  publishedOn: string;
  text: string;
  expected: ExpectedCandidate[];
}

/** The seed report, retold (published Wednesday 2025-02-26; "last week" is 2025-02-17 to 2025-02-23). */
export const SEED_ARTICLE: IntakeArticle = {
  name: 'seed report: Trump, Rubio, Dombrovskis and Putin on sanctions',
  publishedOn: '2025-02-26',
  text: [
    'Since the conflict in Ukraine escalated in 2022, the US and its Western allies have imposed more economic restrictions on Russia than on any other country. ' +
      'Moscow regards the measures as unlawful and keeps calling for them to be scrapped.',
    '“No, we haven’t lifted any sanctions on anybody… I guess it will be at some point, but right now we haven’t agreed to lift sanctions on anybody,” ' +
      'Trump said at a press briefing, when asked whether the matter had come up in the talks between Russia and the US so far.',
    'US Secretary of State Marco Rubio recently suggested that the West would have to consider easing sanctions on Russia to reach an “enduring, sustainable” settlement of the Ukraine conflict. ' +
      'Speaking after Russian and American delegations met in Saudi Arabia last week, he indicated that to end the conflict “there has to be concessions made by all sides,” sanctions included. ' +
      'Rubio noted, however, that the EU would also have to be “at the table” for any talk of relief, since it has imposed restrictions of its own on Russia.',
    'Brussels has indicated it is ready to keep a sanctions policy of its own whatever Washington decides. ' +
      'EU Commissioner Valdis Dombrovskis said last week that the bloc has no plans to lift sanctions against Moscow even if the US does so. ' +
      'Earlier this week, the EU adopted its 16th package of restrictions, aimed mostly at Russia’s military-industrial complex and its energy projects, along with new steps against circumvention.',
    'Moscow has often noted that the sanctions have neither destabilized nor isolated the country and have instead hurt those who imposed them. ' +
      'Russian President Vladimir Putin said last week that Western sanctions have unintentionally strengthened Russia’s development. ' +
      'Speaking at the Future Technologies Forum in Moscow, he stated that whatever difficulties the measures caused, they played a “stimulating role,” pushing Russian businesses and scientists to work more closely together.',
  ].join('\n\n'),
  expected: [
    { speaker: 'donald-trump', words: 'No, we haven’t lifted any sanctions on anybody… I guess it will be at some point, but right now we haven’t agreed to lift sanctions on anybody', statedOn: '2025-02-26' },
    { speaker: 'marco-rubio', words: 'enduring, sustainable', statedOn: '2025-02-26' },
    { speaker: 'marco-rubio', words: 'there has to be concessions made by all sides', statedOn: '2025-02-17/2025-02-23' },
    { speaker: 'marco-rubio', words: 'at the table', statedOn: '2025-02-17/2025-02-23' },
    { speaker: 'european-union', words: 'it is ready to keep a sanctions policy of its own', statedOn: '2025-02-26' },
    { speaker: 'valdis-dombrovskis', words: 'the bloc has no plans to lift sanctions against Moscow', statedOn: '2025-02-17/2025-02-23' },
    { speaker: 'russian-government', words: 'the sanctions have neither destabilized nor isolated the country', statedOn: '2025-02-26' },
    { speaker: 'vladimir-putin', words: 'Western sanctions have unintentionally strengthened Russia’s development', statedOn: '2025-02-17/2025-02-23' },
    { speaker: 'vladimir-putin', words: 'stimulating role', statedOn: '2025-02-17/2025-02-23' },
  ],
};

/** Further reports, each with the candidates a careful reader would list. */
export const INTAKE_ARTICLES: IntakeArticle[] = [
  {
    name: 'pronouns and a quote continued in its own sentence (Wednesday 2025-03-05; Monday is 03-03)',
    publishedOn: '2025-03-05',
    text:
      'EU foreign policy chief Kaja Kallas on Monday ruled out any easing of sanctions before a ceasefire. “We are not going to lift anything,” she said. “Not while the bombs keep falling on Ukrainian cities.”\n\n' +
      'She added that the bloc was already preparing a 17th package of measures.',
    expected: [
      { speaker: 'kaja-kallas', words: 'We are not going to lift anything', statedOn: '2025-03-03' },
      { speaker: 'kaja-kallas', words: 'Not while the bombs keep falling on Ukrainian cities.', statedOn: '2025-03-03' },
      { speaker: 'kaja-kallas', words: 'the bloc was already preparing a 17th package of measures', statedOn: '2025-03-05' },
    ],
  },
  {
    name: 'inverted attribution, a title and "according to" (Wednesday 2025-03-12; Tuesday is 03-11)',
    publishedOn: '2025-03-12',
    text:
      'Russia will not beg for relief from Western restrictions, said Foreign Minister Sergey Lavrov on Tuesday. “We have learned to live with them, and we will live without their goodwill,” Lavrov told reporters in Moscow.\n\n' +
      'According to Kremlin spokesman Dmitry Peskov, sanctions relief was not discussed at the talks in Riyadh.',
    expected: [
      { speaker: 'sergey-lavrov', words: 'Russia will not beg for relief from Western restrictions', statedOn: '2025-03-11' },
      { speaker: 'sergey-lavrov', words: 'We have learned to live with them, and we will live without their goodwill', statedOn: '2025-03-11' },
      { speaker: 'dmitry-peskov', words: 'sanctions relief was not discussed at the talks in Riyadh', statedOn: '2025-03-12' },
    ],
  },
  {
    name: 'two speakers in one sentence (Wednesday 2025-04-02; Monday is 03-31)',
    publishedOn: '2025-04-02',
    text:
      'Germany and Hungary clashed over the next round of measures. German Chancellor Olaf Scholz said on Monday that Europe “must keep up the pressure until Russia stops this war,” while Hungarian Prime Minister Viktor Orbán warned that the sanctions were “hurting Europe more than Moscow.”\n\n' +
      '“Brussels keeps making the same mistake,” Orbán added.',
    expected: [
      { speaker: 'olaf-scholz', words: 'must keep up the pressure until Russia stops this war', statedOn: '2025-03-31' },
      { speaker: 'viktor-orban', words: 'hurting Europe more than Moscow.', statedOn: '2025-03-31' },
      { speaker: 'viktor-orban', words: 'Brussels keeps making the same mistake', statedOn: '2025-04-02' },
    ],
  },
  {
    name: 'a quote with no speaker, a scare quote and "yesterday" (Wednesday 2025-05-14)',
    publishedOn: '2025-05-14',
    text:
      'Protesters outside the parliament carried banners reading “Sanctions hurt ordinary people, not oligarchs.” The so-called “shadow fleet” of tankers keeps carrying Russian oil.\n\n' +
      'Treasury Secretary Janet Yellen said yesterday that enforcement against the shadow fleet would be stepped up.',
    expected: [
      { speaker: null, words: 'Sanctions hurt ordinary people, not oligarchs.', statedOn: '2025-05-14' },
      { speaker: 'janet-yellen', words: 'enforcement against the shadow fleet would be stepped up', statedOn: '2025-05-13' },
    ],
  },
  {
    name: 'an unregistered speaker, a pronoun and "in January" (Monday 2025-02-10)',
    publishedOn: '2025-02-10',
    text:
      'Finnish President Alexander Stubb said in January that Europe could not afford to loosen its grip. “Any relief now would be a gift to the Kremlin,” he told a security conference.',
    expected: [
      { speaker: 'Alexander Stubb', words: 'Europe could not afford to loosen its grip', statedOn: '2025-01' },
      { speaker: 'Alexander Stubb', words: 'Any relief now would be a gift to the Kremlin', statedOn: '2025-01' },
    ],
  },
  {
    name: 'governments by their capitals and "earlier this week" (Thursday 2025-03-20; Wednesday is 03-19)',
    publishedOn: '2025-03-20',
    text:
      'The Kremlin said earlier this week that any deal would have to include the lifting of restrictions on Russian banks. Kyiv has warned that easing sanctions now would reward aggression.\n\n' +
      'Speaking in Brussels on Wednesday, NATO Secretary General Mark Rutte said allies “should not blink first.”',
    expected: [
      { speaker: 'russian-government', words: 'any deal would have to include the lifting of restrictions on Russian banks', statedOn: '2025-03-17/2025-03-19' },
      { speaker: 'ukrainian-government', words: 'easing sanctions now would reward aggression', statedOn: '2025-03-20' },
      { speaker: 'Mark Rutte', words: 'should not blink first.', statedOn: '2025-03-19' },
    ],
  },
  {
    name: 'a quote split around "he said" (Wednesday 2025-06-04; Tuesday is 06-03)',
    publishedOn: '2025-06-04',
    text:
      'Ukrainian President Volodymyr Zelensky urged partners to hold firm. “If you ease the pressure now,” he said on Tuesday, “you are telling Moscow that waiting works.”',
    expected: [
      { speaker: 'volodymyr-zelensky', words: 'If you ease the pressure now', statedOn: '2025-06-03' },
      { speaker: 'volodymyr-zelensky', words: 'you are telling Moscow that waiting works.', statedOn: '2025-06-03' },
    ],
  },
  {
    name: 'a role for the person named before ("the minister"; Wednesday 2025-07-09, Monday is 07-07)',
    publishedOn: '2025-07-09',
    text:
      'French Foreign Minister Jean-Noël Barrot met his counterparts in Warsaw on Monday. The minister said the EU should “go further and target the banks that still finance the war.”',
    expected: [{ speaker: 'Jean-Noël Barrot', words: 'go further and target the banks that still finance the war.', statedOn: '2025-07-07' }],
  },
  {
    name: 'a title, "she" and a family name in the next paragraph ("last month"; 2025-04-16)',
    publishedOn: '2025-04-16',
    text:
      'European Commission President Ursula von der Leyen said last month that a new package was “ready to go.” She stressed that the EU would not wait for Washington.\n\n' +
      '“Our unity is our strength,” von der Leyen said.',
    expected: [
      { speaker: 'ursula-von-der-leyen', words: 'ready to go.', statedOn: '2025-03' },
      { speaker: 'ursula-von-der-leyen', words: 'the EU would not wait for Washington', statedOn: '2025-03' },
      { speaker: 'ursula-von-der-leyen', words: 'Our unity is our strength', statedOn: '2025-04-16' },
    ],
  },
  {
    name: 'straight quotes, a trailing "according to" and a written date (2025-02-05)',
    publishedOn: '2025-02-05',
    text:
      'Sanctions on Russian aluminium will stay in place, according to UK Foreign Secretary David Lammy. "We will keep tightening the screws," Lammy told MPs on Feb. 3.',
    expected: [
      { speaker: 'David Lammy', words: 'Sanctions on Russian aluminium will stay in place', statedOn: '2025-02-05' },
      { speaker: 'David Lammy', words: 'We will keep tightening the screws', statedOn: '2025-02-03' },
    ],
  },
  {
    name: 'organizations: "Washington", an unregistered department and "the bloc" (Wednesday 2025-08-20; Friday is 08-15)',
    publishedOn: '2025-08-20',
    text:
      'Washington signalled on Friday that it could ease some restrictions if a ceasefire holds. The State Department said it was “open to a step-by-step approach.”\n\n' +
      'The EU responded more cautiously. The bloc said that any relief must be “reversible and conditional.”',
    expected: [
      { speaker: 'us-government', words: 'it could ease some restrictions if a ceasefire holds', statedOn: '2025-08-15' },
      { speaker: 'State Department', words: 'open to a step-by-step approach.', statedOn: '2025-08-20' },
      { speaker: 'european-union', words: 'reversible and conditional.', statedOn: '2025-08-20' },
    ],
  },
];

/**
 * Reports written after the first rules were settled, held out at first (precision 0.91, recall
 * 0.77), then read for their misses: reported speech without "that" and an appositive title were
 * handled after them, so they no longer say how the rules do on unseen text.
 */
export const FORMER_HELD_OUT_ARTICLES: IntakeArticle[] = [
  {
    name: 'held out: a press conference in Kyiv (Friday 2025-09-12; Thursday is 09-11)',
    publishedOn: '2025-09-12',
    text:
      'President Volodymyr Zelensky told reporters on Thursday that new restrictions on Russian oil were “long overdue.” ' +
      'He said Ukraine expected the G7 to lower the price cap again.\n\n' +
      '“Every barrel they sell pays for another missile,” Zelensky said.',
    expected: [
      { speaker: 'volodymyr-zelensky', words: 'long overdue.', statedOn: '2025-09-11' },
      { speaker: 'volodymyr-zelensky', words: 'Ukraine expected the G7 to lower the price cap again', statedOn: '2025-09-11' },
      { speaker: 'volodymyr-zelensky', words: 'Every barrel they sell pays for another missile', statedOn: '2025-09-12' },
    ],
  },
  {
    name: 'held out: Kremlin reaction (Tuesday 2025-10-07)',
    publishedOn: '2025-10-07',
    text:
      'Kremlin spokesman Dmitry Peskov dismissed the new measures. “This is nothing new for us,” Peskov said on Monday, adding that Russia had “adapted long ago.”\n\n' +
      'Moscow warned last month that it would respond to any seizure of its frozen assets.',
    expected: [
      { speaker: 'dmitry-peskov', words: 'This is nothing new for us', statedOn: '2025-10-06' },
      { speaker: 'dmitry-peskov', words: 'adapted long ago.', statedOn: '2025-10-06' },
      { speaker: 'russian-government', words: 'it would respond to any seizure of its frozen assets', statedOn: '2025-09' },
    ],
  },
  {
    name: 'held out: a budget dispute in Brussels (Thursday 2025-11-20; "last week" is 11-10 to 11-16)',
    publishedOn: '2025-11-20',
    text:
      'Hungary’s prime minister Viktor Orbán said last week that his country would veto the renewal of sanctions unless energy imports were exempted. ' +
      'Kaja Kallas, the EU’s top diplomat, replied that “no single member can hold the whole union hostage.”\n\n' +
      'Diplomats said a compromise was likely before the December summit.',
    expected: [
      { speaker: 'viktor-orban', words: 'his country would veto the renewal of sanctions unless energy imports were exempted', statedOn: '2025-11-10/2025-11-16' },
      { speaker: 'kaja-kallas', words: 'no single member can hold the whole union hostage.', statedOn: '2025-11-20' },
      { speaker: 'Diplomats', words: 'a compromise was likely before the December summit', statedOn: '2025-11-20' },
    ],
  },
  {
    name: 'held out: Washington and the Treasury (Monday 2025-12-01)',
    publishedOn: '2025-12-01',
    text:
      'Secretary of State Marco Rubio said on Sunday that the United States would not ease sanctions “as a reward for talks.” ' +
      '“Talks are not a ceasefire,” he said. “A ceasefire is not peace.”\n\n' +
      'The Treasury Department said it had added 40 entities to its list.',
    expected: [
      { speaker: 'marco-rubio', words: 'as a reward for talks.', statedOn: '2025-11-30' },
      { speaker: 'marco-rubio', words: 'Talks are not a ceasefire', statedOn: '2025-11-30' },
      { speaker: 'marco-rubio', words: 'A ceasefire is not peace.', statedOn: '2025-11-30' },
      { speaker: 'Treasury Department', words: 'it had added 40 entities to its list', statedOn: '2025-12-01' },
    ],
  },
];

/**
 * Reports written before the rules for reported speech without "that" and for appositive titles,
 * scored before those rules were written, and never used to tune them: their scores say how the
 * rules do on text they were not fitted to (the README reports each set).
 */
export const HELD_OUT_ARTICLES: IntakeArticle[] = [
  {
    name: 'held out: Berlin on banks and frozen assets (Wednesday 2025-12-10; Tuesday is 12-09)',
    publishedOn: '2025-12-10',
    text:
      'German Foreign Minister Johann Wadephul said on Tuesday that Berlin would back a new round of measures against Russia’s banking sector. ' +
      '“We cannot let up now,” he told reporters in Berlin. ' +
      'Wadephul added the government was ready to discuss using frozen Russian assets for Ukraine’s reconstruction.\n\n' +
      'Sergey Lavrov, Russia’s foreign minister, called the plan “theft, plain and simple.”',
    expected: [
      { speaker: 'Johann Wadephul', words: 'Berlin would back a new round of measures against Russia’s banking sector', statedOn: '2025-12-09' },
      { speaker: 'Johann Wadephul', words: 'We cannot let up now', statedOn: '2025-12-09' },
      { speaker: 'Johann Wadephul', words: 'the government was ready to discuss using frozen Russian assets for Ukraine’s reconstruction', statedOn: '2025-12-09' },
      { speaker: 'sergey-lavrov', words: 'theft, plain and simple.', statedOn: '2025-12-10' },
    ],
  },
  {
    name: 'held out: Helsinki and the Commission (Thursday 2026-01-15; Wednesday is 01-14)',
    publishedOn: '2026-01-15',
    text:
      'Finland’s president, Alexander Stubb, warned on Wednesday that any easing of sanctions would “only embolden Moscow.” ' +
      'Speaking in Helsinki, he said Europe had to prepare for a long confrontation.\n\n' +
      'The European Commission said earlier this week it would propose a 20th package by February. ' +
      '“We are on track,” Commission spokeswoman Paula Pinho said.',
    expected: [
      { speaker: 'Alexander Stubb', words: 'only embolden Moscow.', statedOn: '2026-01-14' },
      { speaker: 'Alexander Stubb', words: 'Europe had to prepare for a long confrontation', statedOn: '2026-01-14' },
      { speaker: 'European Commission', words: 'it would propose a 20th package by February', statedOn: '2026-01-12/2026-01-14' },
      { speaker: 'Paula Pinho', words: 'We are on track', statedOn: '2026-01-15' },
    ],
  },
  {
    name: 'held out: Kyiv, Budapest and the Kremlin (Tuesday 2026-02-03; Saturday is 01-31)',
    publishedOn: '2026-02-03',
    text:
      'Ukraine’s foreign minister Andrii Sybiha urged the European Union on Monday to close loopholes that let Russian oil reach European markets. ' +
      '“The sanctions work only if they are enforced,” Sybiha said.\n\n' +
      'In Budapest, Prime Minister Viktor Orbán told a rally on Saturday that sanctions had cost Hungary billions. ' +
      'The Hungarian leader said his government would keep blocking “pointless” measures.\n\n' +
      'Kremlin spokesman Dmitry Peskov said Moscow was “not impressed” by the debate.',
    expected: [
      { speaker: 'Andrii Sybiha', words: 'close loopholes that let Russian oil reach European markets', statedOn: '2026-02-02' },
      { speaker: 'Andrii Sybiha', words: 'The sanctions work only if they are enforced', statedOn: '2026-02-02' },
      { speaker: 'viktor-orban', words: 'sanctions had cost Hungary billions', statedOn: '2026-01-31' },
      { speaker: 'viktor-orban', words: 'his government would keep blocking “pointless” measures', statedOn: '2026-01-31' },
      { speaker: 'dmitry-peskov', words: 'not impressed', statedOn: '2026-02-03' },
    ],
  },
];
