// Lägesbild — the scenario editor's words for the server's problem texts: the scenario loader
// writes them in English, for the log (docs/scenarios.md: "file: $.json.path: problem"); the
// editor shows them in Swedish next to the field. A text it has no words for is shown as the server
// wrote it, marked as the server's. Pure: no DOM.

const PROBLEM_WORDS = [
  [/^is missing$/, 'saknas'],
  [/^is empty$/, 'är tom'],
  [/^unknown field$/, 'okänt fält – hör inte hit'],
  [/^must be "MM:SS" or "HH:MM:SS"$/, 'ska vara MM:SS eller TT:MM:SS (t.ex. 07:00 för sju minuter)'],
  [/^is after the planned duration$/, 'ligger efter scenariots planerade längd'],
  [/^must be "HH:MM"/, 'ska vara klockslag TT:MM'],
  [/^must be 1-40 of a-z, 0-9, -$/, 'ska vara 1–40 tecken: a–z, 0–9 och bindestreck'],
  [/^must be a text of at most (\d+) characters, not empty$/, (m) => `får inte vara tom (högst ${m[1]} tecken)`],
  [/^must be a text of at most (\d+)/, (m) => `ska vara en text på högst ${m[1]} tecken`],
  [/^(P[123]|deceased) adds up to (\d+), casualties say (\d+)$/,
    (m) => `${m[1] === 'deceased' ? 'döda' : m[1]}: fördelningen ger ${m[2]}, de skadade är ${m[3]}`],
  [/^no message inject '([^']*)'$/, (m) => `inget meddelande-inspel med id ”${m[1]}”`],
  [/^the scenario is for '([^']*)', the server runs '([^']*)'$/,
    (m) => `scenariot är skrivet för ”${m[1]}”, servern kör ”${m[2]}”`],
  [/^sets a level in ([^,]*), a participating region/,
    (m) => `sätter beredskapsläge i ${m[1]}, en deltagande region: deltagarna sätter sitt eget`],
  [/^sends patients to (.*) at (\d\d:\d\d), when its ED is closed \(open ([^)]*)\)$/,
    (m) => `skickar patienter till ${m[1]} ${m[2]}, då akuten är stängd (öppen ${m[3]})`],
  [/^more burned than casualties of that priority$/, 'fler brännskadade än skadade med den prioriteten'],
  [/^unknown field \(P1, P2, P3/, 'okänt fält – här gäller bara P1, P2, P3'],
  [/^a methane report needs its fields$/, 'en METHANE-rapport behöver sina fält'],
  [/^belongs to a methane report only$/, 'hör bara till METHANE-rapporter'],
  [/^must be true or false$/, 'ska vara ja eller nej'],
  [/^must be (P1, P2 or P3|ambulance or helicopter|immediate or on_decision|sos_alarm, scene_command)/, 'ogiltigt värde'],
  [/^must be a whole number from (\d+) to (\d+)$/, (m) => `ska vara ett heltal ${m[1]}–${m[2]}`],
  [/^must be (\d+)-(\d+)(?: minutes)?$/, (m) => `ska vara ${m[1]}–${m[2]}`],
  [/^must be at least (\d+)$/, (m) => `ska vara minst ${m[1]}`],
  [/^'([^']*)' is used twice$/, (m) => `id ”${m[1]}” används två gånger`],
  [/^no hospital '([^']*)' in (.*)$/, (m) => `sjukhuset ”${m[1]}” finns inte i ${m[2]}`],
  [/^no region '([^']*)' in (.*)$/, (m) => `regionen ”${m[1]}” finns inte i ${m[2]}`],
  [/^an alert needs a level$/, 'ett larm behöver ett beredskapsläge'],
  [/^belongs to an alert only$/, 'hör bara till larm'],
  [/^needs exactly one of region and hospital$/, 'ange antingen region eller sjukhus'],
  [/^a transfer goes to another hospital$/, 'en sekundärtransport går till ett annat sjukhus'],
  [/^a wave dispatched on decision needs the scene's region$/, 'ett skadeutfall som väntar på beslut behöver skadeplatsens region'],
  [/^(contains|reports) no figures$/, 'innehåller inga siffror'],
  [/^one rule per priority$/, 'bara en regel per prioritet'],
  [/^must be a more urgent priority or deceased$/, 'ska vara en mer brådskande prioritet eller avliden'],
  [/^must be normal, staff, reinforced or disaster$/, 'ska vara ett beredskapsläge'],
  [/^must be live or scenario$/, 'ska vara kopia av skarpt läge eller egna siffror'],
  [/^must be a non-empty list/, 'ska vara en lista med minst en post'],
  [/^must be a (region|hospital) id$/, (m) => (m[1] === 'region' ? 'ska vara en region' : 'ska vara ett sjukhus')],
  [/^no indicator of that name$/, 'ingen prestationsindikator med det namnet'],
  [/^unknown (decision|message kind)/, 'okänt värde'],
];

/** The server's problem text in Swedish; one it has no words for is shown as the server wrote it. */
export function problemWords(message) {
  const text = String(message ?? '').trim();
  for (const [re, words] of PROBLEM_WORDS) {
    const m = re.exec(text);
    if (m) return typeof words === 'function' ? words(m) : words;
  }
  return text ? `servern: ${text}` : 'fel';
}
