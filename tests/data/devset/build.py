"""Writes articles.jsonl and labels.json of the development set from the table below.

The articles are short, written for this set, German and English. Run
``python tests/data/devset/build.py`` after editing the table.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent

STORIES = {
    "merz-macron-paris": {"type": "meeting", "actors": ["Macron", "Merz"], "location": "Paris", "transitions": [[None, "planned"], ["planned", "postponed"], ["postponed", "took_place"]]},
    "xi-modi-delhi": {"type": "summit", "actors": ["Modi", "Xi"], "location": "New Delhi", "transitions": [[None, "planned"], ["planned", "on_hold"], ["on_hold", "cancelled"]]},
    "trump-kim-rumour": {"type": "meeting", "actors": ["Kim Jong Un", "Trump"], "location": None, "transitions": []},
    "erdogan-putin-istanbul": {"type": "meeting", "actors": ["Erdoğan", "Putin"], "location": "Istanbul", "transitions": [[None, "took_place"]]},
    "erdogan-putin-ankara": {"type": "meeting", "actors": ["Erdoğan", "Putin"], "location": "Ankara", "transitions": [[None, "planned"]]},
    "starmer-macron-london": {"type": "summit", "actors": ["Macron", "Starmer"], "location": "London", "transitions": [[None, "planned"], ["planned", "cancelled"], ["cancelled", "postponed"]]},
    "bayern-dortmund": {"type": "match", "actors": ["Bayern Munich", "Borussia Dortmund"], "location": None, "transitions": [[None, "planned"], ["planned", "postponed"], ["postponed", "took_place"]]},
    "rmt-strike": {"type": "strike", "actors": ["Network Rail", "RMT"], "location": None, "transitions": [[None, "planned"], ["planned", "cancelled"]]},
    "verdi-lufthansa": {"type": "strike", "actors": ["Lufthansa", "Verdi"], "location": None, "transitions": [[None, "planned"], ["planned", "took_place"]]},
    "trump-putin-budapest": {"type": "meeting", "actors": ["Putin", "Trump"], "location": "Budapest", "transitions": [[None, "planned"]]},
    "trump-putin-helsinki": {"type": "meeting", "actors": ["Putin", "Trump"], "location": "Helsinki", "transitions": [[None, "took_place"]]},
    "wadephul-wang-berlin": {"type": "talks", "actors": ["Wadephul", "Wang Yi"], "location": "Berlin", "transitions": [[None, "planned"], ["planned", "took_place"]]},
    "merz-zelensky-call": {"type": "call", "actors": ["Merz", "Zelensky"], "location": None, "transitions": [[None, "took_place"]]},
    "modi-tokyo-visit": {"type": "visit", "actors": ["Modi"], "location": "Tokyo", "transitions": [[None, "planned"], ["planned", "postponed"], ["postponed", "took_place"]]},
    "russia-ukraine-round": {"type": "negotiation_round", "actors": ["Russia", "Ukraine"], "location": "Istanbul", "transitions": [[None, "planned"], ["planned", "postponed"], ["postponed", "took_place"]]},
    "eu-summit-brussels": {"type": "summit", "actors": ["EU"], "location": "Brussels", "transitions": [[None, "planned"], ["planned", "took_place"]]},
}

# id, language, source, agency, published (UTC), title, text, expected [(story, status)], extra labels
ROWS = [
    # Merz–Macron in Paris: planned -> postponed -> took_place; a negation; a hedge; a teaser list
    ("a1", "de", "tagesschau", "dpa", "2025-03-03 09:00", "Merz reist nach Paris", "Bundeskanzler Friedrich Merz will sich am Freitag mit Präsident Emmanuel Macron in Paris treffen. Das kündigte ein Regierungssprecher an.", [("merz-macron-paris", "planned")], {}),
    ("a2", "en", "reuters", "Reuters", "2025-03-04 10:00", "Merz to meet Macron", "German Chancellor Friedrich Merz will meet French President Emmanuel Macron in Paris on Friday, officials said.", [("merz-macron-paris", "planned")], {}),
    ("m1", "de", "faz", None, "2025-03-05 08:00", "Unklare Lage vor Pariser Treffen", "Das Treffen von Merz und Macron in Paris könnte abgesagt werden, hieß es in Berlin.", [], {"note": "hedged claim: reported, not filed"}),
    ("a3", "de", "spiegel", None, "2025-03-06 12:00", "Treffen verschoben", "Das für Freitag geplante Treffen von Merz und Macron in Paris wurde auf kommende Woche verschoben.", [("merz-macron-paris", "postponed")], {}),
    ("a4", "de", "zeit", None, "2025-03-07 09:00", "Kein Aus für Paris", "Das Treffen zwischen Merz und Macron in Paris ist nicht abgesagt, betonte ein Sprecher. Es soll am Dienstag stattfinden.", [("merz-macron-paris", "planned")], {"note": "negated cancellation; consistent with the postponement, no alert"}),
    ("a5", "en", "france24", None, "2025-03-11 18:00", "Merz and Macron meet in Paris", "Friedrich Merz and Emmanuel Macron met in Paris on Tuesday and held talks on defence.", [("merz-macron-paris", "took_place")], {}),
    ("j1", "de", "web-de", None, "2025-03-11 19:00", "Merz bei Macron", "Merz und Macron trafen sich am Dienstag in Paris.\n\nWeitere Meldungen\n\nXi-Modi-Gipfel in Neu-Delhi abgesagt Der Gipfel wurde abgesagt. (Ausland, 01.02.2026) weiterlesen...\n\nStarmer und Macron sagen Gipfel in London ab. (Ausland, 02.02.2026) weiterlesen...", [("merz-macron-paris", "took_place")], {"junk": ["Xi-Modi-Gipfel in Neu-Delhi abgesagt Der Gipfel wurde abgesagt.", "Starmer und Macron sagen Gipfel in London ab."]}),
    ("i1", "de", "tagesschau", "dpa", "2025-03-03 09:05", "Merz reist nach Paris", "Bundeskanzler Friedrich Merz will sich am Freitag mit Präsident Emmanuel Macron in Paris treffen. Das kündigte ein Regierungssprecher an.", [], {"duplicate_of": "a1"}),
    # Xi–Modi in New Delhi: planned -> on_hold -> cancelled; a question; a late report; an agency copy
    ("b1", "en", "ap", "AP", "2025-03-01 09:00", "Xi and Modi to hold summit", "Xi Jinping and Narendra Modi will hold a summit in New Delhi next month, the foreign ministry announced.", [("xi-modi-delhi", "planned")], {}),
    ("b2", "de", "sz", None, "2025-03-02 09:00", "Gipfel in Neu-Delhi", "Xi Jinping und Narendra Modi wollen sich im April zu einem Gipfel in Neu-Delhi treffen.", [("xi-modi-delhi", "planned")], {}),
    ("b3", "en", "reuters", "Reuters", "2025-03-10 09:00", "Summit in doubt", "The summit between Xi and Modi in New Delhi is now in doubt after border clashes, officials said.", [("xi-modi-delhi", "on_hold")], {}),
    ("i2", "en", "yahoo-news", "Reuters", "2025-03-10 09:30", "Xi-Modi summit in doubt", "The summit between Xi and Modi in New Delhi is now in doubt after border clashes, officials said.", [("xi-modi-delhi", "on_hold")], {"note": "agency copy at another outlet: the same source"}),
    ("q1", "de", "ntv", None, "2025-03-11 09:00", "Findet der Gipfel statt?", "Findet der Gipfel von Xi und Modi in Neu-Delhi überhaupt statt?", [], {"note": "a question claims nothing"}),
    ("l1", "en", "scmp", None, "2025-03-05 09:00", "Diplomats prepare summit", "Xi and Modi are set to hold their summit in New Delhi in April, diplomats said.", [("xi-modi-delhi", "planned")], {"received": "2025-03-13 09:00", "note": "older report arriving late: fills in, no alert"}),
    ("b5", "de", "dlf", "dpa", "2025-03-15 09:00", "Gipfel abgesagt", "Der Gipfel von Xi und Modi in Neu-Delhi wurde abgesagt, teilte das Außenministerium mit.", [("xi-modi-delhi", "cancelled")], {}),
    ("b6", "en", "times-of-india", "PTI", "2025-03-15 11:00", "Summit called off", "The New Delhi summit of Xi and Modi has been called off, India's foreign ministry said.", [("xi-modi-delhi", "cancelled")], {}),
    # a rumour that never becomes planned
    ("c1", "en", "politico", None, "2025-04-02 09:00", "Trump-Kim speculation", "Speculation is growing about a meeting between Donald Trump and Kim Jong Un, floated by aides.", [], {}),
    ("c2", "de", "welt", None, "2025-04-03 09:00", "Trump und Kim", "Trump hat ein Treffen mit Kim Jong Un ins Spiel gebracht.", [], {}),
    ("c3", "en", "cnn", None, "2025-04-04 09:00", "Rumours of a summit", "There are rumours of a Trump-Kim summit in Singapore.", [], {}),
    # same actors, different places
    ("d1", "de", "tagesschau", "dpa", "2025-04-01 09:00", "Erdoğan empfängt Putin", "Erdoğan und Putin trafen sich am Montag in Istanbul.", [("erdogan-putin-istanbul", "took_place")], {}),
    ("d2", "en", "bbc", None, "2025-04-02 09:00", "Erdogan and Putin meet", "Turkish President Recep Tayyip Erdogan and Vladimir Putin met in Istanbul on Monday.", [("erdogan-putin-istanbul", "took_place")], {}),
    ("d3", "en", "aljazeera", None, "2025-04-05 09:00", "Next stop Ankara", "Erdogan will host Putin in Ankara in May for another meeting, the Kremlin said. The two leaders had met in Istanbul earlier this month.", [("erdogan-putin-ankara", "planned"), ("erdogan-putin-istanbul", "took_place")], {}),
    ("d4", "de", "nzz", None, "2025-04-06 09:00", "Putin nach Ankara", "Putin soll im Mai zu einem Treffen mit Erdoğan nach Ankara reisen.", [("erdogan-putin-ankara", "planned")], {}),
    ("d5", "de", "taz", None, "2025-04-07 09:00", "Wieder Ankara", "Putin und Erdoğan hatten sich zuletzt in Istanbul getroffen. Ein weiteres Treffen der beiden in Ankara ist geplant.", [("erdogan-putin-istanbul", "took_place"), ("erdogan-putin-ankara", "planned")], {}),
    # conflicting sources, resolved without flapping
    ("e1", "en", "bbc", None, "2025-05-01 09:00", "London summit", "Keir Starmer and Emmanuel Macron will hold a summit in London on 20 May.", [("starmer-macron-london", "planned")], {}),
    ("e2", "en", "guardian", None, "2025-05-10 09:00", "Summit cancelled", "The London summit between Starmer and Macron has been cancelled, a Downing Street source said.", [("starmer-macron-london", "cancelled")], {}),
    ("e3", "de", "spiegel", None, "2025-05-10 12:00", "Nur verschoben", "Der Gipfel von Starmer und Macron in London ist nur verschoben, nicht abgesagt, hieß es aus Paris.", [("starmer-macron-london", "postponed")], {}),
    ("e4", "en", "lemonde-en", None, "2025-05-10 18:00", "Postponed, not cancelled", "The summit of Starmer and Macron in London has been postponed, not cancelled, the Elysee said.", [("starmer-macron-london", "postponed")], {}),
    ("e5", "en", "guardian", None, "2025-05-11 09:00", "Downing Street insists", "The Starmer-Macron summit in London is cancelled, Downing Street insisted.", [("starmer-macron-london", "cancelled")], {"note": "one source repeating itself does not flip the story back"}),
    # a football match
    ("f1", "de", "kicker", None, "2025-09-01 09:00", "Topspiel am Samstag", "Das Spiel zwischen Bayern München und Borussia Dortmund findet am Samstag statt.", [("bayern-dortmund", "planned")], {}),
    ("f2", "de", "sport1", None, "2025-09-06 09:00", "Unwetter", "Das Spiel zwischen dem FC Bayern und Borussia Dortmund wurde wegen eines Unwetters verschoben.", [("bayern-dortmund", "postponed")], {}),
    ("f4", "en", "espn", None, "2025-09-06 10:00", "Der Klassiker postponed", "Bayern Munich's match against Borussia Dortmund has been postponed because of a storm.", [("bayern-dortmund", "postponed")], {}),
    ("f3", "de", "kicker", None, "2025-09-20 20:00", "Bayern siegt", "Im nachgeholten Spiel gewann Bayern München gegen Borussia Dortmund mit 3:1.", [("bayern-dortmund", "took_place")], {}),
    ("j3", "de", "tz", None, "2025-09-01 12:00", "Vorfreude auf den Klassiker", "Foto: Erdoğan und Putin trafen sich in Ankara\nDas Spiel zwischen Bayern München und Borussia Dortmund findet am Samstag statt.\nBild: Der Gipfel in London wurde abgesagt", [("bayern-dortmund", "planned")], {"junk": ["Foto: Erdoğan und Putin trafen sich in Ankara", "Bild: Der Gipfel in London wurde abgesagt"]}),
    # strikes
    ("g1", "en", "guardian", None, "2025-06-01 09:00", "Rail strike", "The RMT union announced a strike at Network Rail for next Monday.", [("rmt-strike", "planned")], {}),
    ("j2", "en", "mirror", None, "2025-06-01 12:00", "Strike ahead", "Image: The London summit of Starmer and Macron was cancelled\nThe RMT announced a strike at Network Rail for next Monday.\nRead more: Xi and Modi met in New Delhi read more...", [("rmt-strike", "planned")], {"junk": ["Image: The London summit of Starmer and Macron was cancelled", "Read more: Xi and Modi met in New Delhi read more..."]}),
    ("g2", "en", "bbc", None, "2025-06-05 09:00", "Strike called off", "The RMT has called off the strike at Network Rail after a new pay offer.", [("rmt-strike", "cancelled")], {}),
    ("g3", "en", "independent", None, "2025-06-05 11:00", "Rail strike off", "The rail strike at Network Rail has been cancelled, the RMT said.", [("rmt-strike", "cancelled")], {}),
    ("h1", "de", "hr", None, "2025-02-03 09:00", "Warnstreik bei Lufthansa", "Verdi hat zu einem Warnstreik bei der Lufthansa am Mittwoch aufgerufen.", [("verdi-lufthansa", "planned")], {}),
    ("h2", "de", "fr", None, "2025-02-05 15:00", "Streik legt Flughafen lahm", "Verdi-Mitglieder streikten am Mittwoch bei der Lufthansa.", [("verdi-lufthansa", "took_place")], {}),
    ("h3", "en", "dw", None, "2025-02-05 16:00", "Lufthansa strike", "Lufthansa staff went on strike on Wednesday, Verdi said.", [("verdi-lufthansa", "took_place")], {}),
    # English background
    ("k1", "en", "cnn", None, "2025-07-01 09:00", "Budapest summit", "Trump and Putin will meet in Budapest next week, the White House announced. The two leaders had previously met in Helsinki in 2018.", [("trump-putin-budapest", "planned"), ("trump-putin-helsinki", "took_place")], {}),
    # ministers' talks, a phone call, a visit, a negotiation round, an EU summit
    ("n1", "de", "tagesspiegel", None, "2025-08-01 09:00", "Gespräche in Berlin", "Johann Wadephul und Wang Yi wollen am Montag in Berlin Gespräche führen.", [("wadephul-wang-berlin", "planned")], {}),
    ("n2", "en", "scmp", None, "2025-08-04 18:00", "Talks in Berlin", "Wadephul and Wang Yi held talks in Berlin on Monday.", [("wadephul-wang-berlin", "took_place")], {}),
    ("n3", "de", "ard", None, "2025-08-03 20:00", "Telefonat", "Merz telefonierte am Sonntag mit Selenskyj.", [("merz-zelensky-call", "took_place")], {}),
    ("n4", "en", "kyiv-independent", None, "2025-08-03 21:00", "Zelensky and Merz speak", "Zelensky and Merz spoke by phone on Sunday.", [("merz-zelensky-call", "took_place")], {}),
    ("n5", "en", "nikkei", None, "2025-08-10 09:00", "Modi to visit Tokyo", "Narendra Modi will visit Tokyo next week.", [("modi-tokyo-visit", "planned")], {}),
    ("n6", "de", "handelsblatt", None, "2025-08-14 09:00", "Besuch verschoben", "Modi hat seinen Besuch in Tokio verschoben.", [("modi-tokyo-visit", "postponed")], {}),
    ("n7", "en", "japantimes", None, "2025-08-29 18:00", "Modi in Tokyo", "Modi visited Tokyo on Friday and met business leaders.", [("modi-tokyo-visit", "took_place")], {}),
    ("n8", "en", "ft", None, "2025-06-10 09:00", "New round", "A new round of talks between Russia and Ukraine is scheduled in Istanbul on Monday.", [("russia-ukraine-round", "planned")], {}),
    ("n9", "de", "dlf", None, "2025-06-15 09:00", "Runde vertagt", "Die Verhandlungsrunde zwischen Russland und der Ukraine in Istanbul wurde vertagt.", [("russia-ukraine-round", "postponed")], {}),
    ("n10", "en", "ap", None, "2025-06-26 18:00", "Istanbul round held", "The round of negotiations between Russia and Ukraine took place in Istanbul on Thursday.", [("russia-ukraine-round", "took_place")], {}),
    ("n11", "de", "tagesschau", None, "2025-06-23 09:00", "EU-Gipfel", "Der EU-Gipfel in Brüssel soll am Donnerstag beginnen.", [("eu-summit-brussels", "planned")], {}),
    ("n12", "en", "politico", None, "2025-06-26 19:00", "EU summit", "The EU summit in Brussels took place on Thursday.", [("eu-summit-brussels", "took_place")], {}),
    # corroboration and extra reports
    ("a6", "de", "rp", None, "2025-03-11 20:00", "Treffen in Paris", "Macron empfing Merz am Dienstag in Paris.", [("merz-macron-paris", "took_place")], {}),
    ("b7", "en", "hindu", None, "2025-03-10 12:00", "Doubts over summit", "The Xi-Modi summit in New Delhi is uncertain, officials said.", [("xi-modi-delhi", "on_hold")], {}),
    ("d6", "en", "dailysabah", None, "2025-04-08 09:00", "Ankara meeting", "Putin and Erdogan are set to meet in Ankara in May.", [("erdogan-putin-ankara", "planned")], {}),
    # no events at all
    ("z1", "de", "boerse", None, "2025-03-03 17:00", "DAX steigt", "Der DAX stieg am Montag um zwei Prozent. Anleger setzten auf sinkende Zinsen.", [], {}),
    ("z2", "en", "ft", None, "2025-03-04 17:00", "Markets", "Stock markets rallied on Friday as investors bet on lower interest rates.", [], {}),
    ("z3", "de", "lokal", None, "2025-03-05 17:00", "Radwege", "Die Stadt plant neue Radwege. Der Gemeinderat berät im Herbst.", [], {}),
    ("z4", "en", "weather", None, "2025-03-06 17:00", "Weather", "Heavy rain is expected across the region this weekend.", [], {}),
    ("z5", "de", "sport", None, "2025-03-07 17:00", "Saisonstart", "Die neue Bundesliga-Saison beginnt im August.", [], {}),
]


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text + ":00+00:00")


def main() -> None:
    articles, labels = [], {"stories": STORIES, "articles": {}}
    for aid, lang, source, agency, published, title, text, events, extra in ROWS:
        at = _when(published)
        received = _when(extra["received"]) if "received" in extra else at + timedelta(minutes=5)
        articles.append({"id": f"dev-{aid}", "url": f"https://{source}.example/{aid}", "source": source, "agency": agency, "published_at": at.isoformat(), "received_at": received.isoformat(), "language": lang, "title": title, "text": text})
        entry = {"events": [{"story": s, "status": st} for s, st in events]}
        entry |= {k: (f"dev-{v}" if k == "duplicate_of" else v) for k, v in extra.items() if k != "received"}
        labels["articles"][f"dev-{aid}"] = entry
    (HERE / "articles.jsonl").write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    (HERE / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(articles)} articles, {len(STORIES)} stories")


if __name__ == "__main__":
    main()
