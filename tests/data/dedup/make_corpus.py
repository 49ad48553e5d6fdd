"""A deterministic test set of wire copies and independent articles, German and English.

Every event gets an agency original, copies of it with the edits outlets make (other
headline, byline, cut last paragraphs, photo caption, Swiss spelling, an update an
hour later, boilerplate, light rewording) and independent articles on the same event
by other writers, which share names, numbers and a verbatim quote but not the prose;
plus a follow-up that reuses one background paragraph. Copies must be caught,
independent articles and follow-ups must not.

    python -m tests.data.dedup.make_corpus > corpus.jsonl
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import asdict, dataclass

SEED = 4

BANK: dict[str, dict[str, list[str]]] = {
    "de": {
        "first": ["Anna", "Jonas", "Petra", "Markus", "Sabine", "Thomas", "Claudia", "Stefan", "Julia", "Andreas", "Katrin", "Michael"],
        "last": ["Müller", "Schmidt", "Weißmann", "Becker", "Hoffmann", "Schäfer", "Koch", "Richter", "Wagner", "Strauß", "Krüger", "Lehmann"],
        "role": ["Innenministerin", "Bürgermeister", "Sprecherin der Polizei", "Gewerkschaftschef", "Vorstandschef", "Landrat", "Gesundheitsminister", "Präsidentin des Verbands"],
        "city": ["Hamburg", "Köln", "Dresden", "Zürich", "Bern", "Leipzig", "Graz", "Straßburg", "Kassel", "Rostock", "Basel", "Würzburg"],
        "topic": ["Streik im Nahverkehr", "Hochwasser an der Elbe", "Haushaltsstreit im Landtag", "Brand in einer Lagerhalle", "Tarifeinigung in der Chemieindustrie", "Schließung eines Krankenhauses", "Sperrung der Autobahnbrücke", "Gipfel der Innenminister", "Cyberangriff auf die Stadtverwaltung", "Übernahme eines Maschinenbauers"],
        "noun": ["die Verhandlungen", "der Einsatz", "die Gespräche", "die Lage", "die Entscheidung", "das Verfahren", "die Bilanz", "der Plan", "die Kritik", "die Frist", "der Vorschlag", "die Untersuchung", "die Regelung", "der Streit", "die Maßnahme", "das Ergebnis"],
        "verb": ["zog sich bis in den Abend hin", "sorgte für Unmut", "wurde zunächst vertagt", "stieß auf Widerstand", "gilt als schwierig", "soll bis Freitag abgeschlossen sein", "wurde am Morgen fortgesetzt", "bleibt umstritten", "kostete mehrere Millionen Euro", "überraschte viele Beobachter", "dürfte sich verzögern", "wurde scharf kritisiert"],
        "adv": ["Nach Angaben der Behörden", "Am Dienstag", "Zuvor", "Inzwischen", "Bereits am Wochenende", "Laut einem Bericht", "Unterdessen", "Am späten Nachmittag", "Nach ersten Schätzungen", "Wie ein Sprecher mitteilte", "Offiziell", "Seit Wochen"],
        "group": ["Anwohner", "Pendler", "Beschäftigte", "Unternehmen", "Schulen", "Kliniken", "Behörden", "Händler", "Landwirte", "Feuerwehrleute", "Eltern", "Fahrgäste"],
        "effect": ["mussten mit Einschränkungen rechnen", "warteten auf eine Entscheidung", "forderten mehr Unterstützung", "zeigten sich erleichtert", "wurden vorsorglich informiert", "kritisierten die Informationspolitik", "rechneten mit weiteren Verzögerungen", "stellten sich auf längere Ausfälle ein"],
        "says": ["sagte", "erklärte", "betonte", "kündigte an", "räumte ein", "warnte"],
        "quote": ["Wir werden alles tun, damit {x} schnell geklärt wird", "Die Sicherheit der Menschen hat für uns oberste Priorität", "Niemand kann ausschließen, dass sich {x} weiter zuspitzt", "Wir haben aus den Fehlern der vergangenen Jahre gelernt", "Das ist ein guter Tag für {city}", "Ich erwarte, dass alle Beteiligten an einen Tisch zurückkehren"],
        "num": ["{n} Menschen", "{n} Millionen Euro", "{n} Prozent", "{n} Einsatzkräfte", "{n} Kilometer", "{n} Haushalte"],
        "byline": ["Von {name}, dpa", "{city} (dpa) -", "Von unserem Korrespondenten {name}", "({agency}) -"],
        "caption": ["Foto: {name}/dpa. Einsatzkräfte am Mittwoch in {city}.", "Bildunterschrift: Blick auf die Lage in {city}. Foto: Keystone", "Das Bild zeigt {name} bei einer Pressekonferenz. (Archivbild)"],
        "boiler": ["Dieser Artikel wurde automatisch aus dem Angebot der Deutschen Presse-Agentur übernommen und nicht redaktionell bearbeitet.", "Mehr zum Thema: Alle aktuellen Nachrichten aus der Region finden Sie auf unserer Themenseite.", "Sie haben einen Fehler gefunden? Schreiben Sie uns an die Redaktion.", "© dpa-infocom, dpa:240604-99-123456/3"],
        "update": ["Aktualisiert um {h} Uhr:", "Update:", "Neu: Weitere Einzelheiten zur Lage"],
        "swap": ["sagte:erklärte", "am Dienstag:am Dienstagabend", "zunächst:vorerst", "mehrere:zahlreiche", "Behörden:Behördenvertreter", "Einschränkungen:Beeinträchtigungen"],
        "follow": ["Einen Tag danach ist die Lage in {city} weiter angespannt.", "Die Aufarbeitung hat begonnen, die Fragen bleiben."],
    },
    "en": {
        "first": ["Sarah", "James", "Emily", "Daniel", "Laura", "Robert", "Grace", "Peter", "Helen", "Mark", "Alice", "Simon"],
        "last": ["Thompson", "Walker", "Patel", "Hughes", "Clarke", "Bennett", "Fraser", "Morgan", "Reid", "Gallagher", "Okafor", "Lindqvist"],
        "role": ["interior minister", "mayor", "police spokeswoman", "union leader", "chief executive", "county commissioner", "health secretary", "committee chair"],
        "city": ["Leeds", "Boston", "Dublin", "Toronto", "Glasgow", "Denver", "Cardiff", "Auckland", "Bristol", "Ottawa", "Perth", "Seattle"],
        "topic": ["transit strike", "river flooding", "budget standoff", "warehouse fire", "pay deal for chemical workers", "hospital closure", "motorway bridge closure", "interior ministers' summit", "cyberattack on city hall", "takeover of an engineering group"],
        "noun": ["the talks", "the operation", "the negotiations", "the situation", "the decision", "the inquiry", "the balance sheet", "the plan", "the criticism", "the deadline", "the proposal", "the investigation", "the rule", "the dispute", "the measure", "the outcome"],
        "verb": ["dragged on into the evening", "caused frustration", "was initially postponed", "met resistance", "is seen as difficult", "is due to be completed by Friday", "resumed in the morning", "remains disputed", "cost several million dollars", "surprised many observers", "is likely to be delayed", "drew sharp criticism"],
        "adv": ["According to officials", "On Tuesday", "Earlier", "Meanwhile", "Over the weekend", "According to a report", "At the same time", "Late in the afternoon", "By initial estimates", "A spokesman said", "Officially", "For weeks"],
        "group": ["residents", "commuters", "employees", "businesses", "schools", "hospitals", "authorities", "retailers", "farmers", "firefighters", "parents", "passengers"],
        "effect": ["faced disruption", "waited for a decision", "called for more support", "expressed relief", "were informed as a precaution", "criticised the lack of information", "expected further delays", "prepared for longer outages"],
        "says": ["said", "told reporters", "stressed", "announced", "conceded", "warned"],
        "quote": ["We will do everything to get {x} resolved quickly", "The safety of people is our top priority", "Nobody can rule out that {x} gets worse", "We have learned from the mistakes of past years", "This is a good day for {city}", "I expect everyone involved to come back to the table"],
        "num": ["{n} people", "{n} million dollars", "{n} percent", "{n} emergency workers", "{n} miles", "{n} households"],
        "byline": ["By {name}, Reuters", "{city} (AP) -", "By our correspondent {name}", "({agency}) -"],
        "caption": ["Photo: {name}/AP. Emergency crews in {city} on Wednesday.", "Caption: A view of the scene in {city}. Photo: Getty Images", "The picture shows {name} at a press conference. (File photo)"],
        "boiler": ["This story was generated from a wire feed and has not been edited by our staff.", "Read more: all the latest news from the region on our topic page.", "Spotted a mistake? Write to the newsroom.", "Copyright 2024 The Associated Press. All rights reserved."],
        "update": ["Updated at {h} p.m.:", "Update:", "New: further details on the situation"],
        "swap": ["said:stated", "on Tuesday:on Tuesday evening", "initially:at first", "several:numerous", "officials:authorities", "disruption:delays"],
        "follow": ["A day later, the situation in {city} remains tense.", "The clean-up has begun, but questions remain."],
    },
}


@dataclass
class Item:
    id: str
    language: str
    event: str
    role: str
    """``original``, ``copy`` (of ``copy_of``) or ``independent`` / ``followup`` (not a copy)."""
    edit: str
    title: str
    text: str
    copy_of: str | None = None


class Writer:
    """Writes paragraphs about one event in the style of one writer (its own random stream)."""

    def __init__(self, bank: dict[str, list[str]], facts: dict[str, str], rng: random.Random) -> None:
        self.bank, self.facts, self.rng = bank, facts, rng

    def pick(self, name: str) -> str:
        return self.rng.choice(self.bank[name])

    def number(self) -> str:
        return self.pick("num").format(n=self.rng.randint(3, 950))

    def sentence(self) -> str:
        kind = self.rng.randrange(6)
        if kind == 0:
            return f"{self.pick('adv')} {self.pick('noun')} {self.pick('verb')}."
        if kind == 1:
            return f"{self.pick('adv')}, {self.pick('group')} in {self.facts['city']} {self.pick('effect')}."
        if kind == 2:
            return f"{self.pick('noun').capitalize()} um {self.facts['topic']} {self.pick('verb')}, {self.pick('adv').lower()} waren {self.number()} betroffen." if self.facts["lang"] == "de" else f"{self.pick('noun').capitalize()} over the {self.facts['topic']} {self.pick('verb')}, with {self.number()} affected {self.pick('adv').lower()}."
        if kind == 3:
            return f"{self.facts['name']}, {self.facts['role']}, {self.pick('says')}, {self.pick('noun')} {self.pick('verb')}."
        if kind == 4:
            return f"{self.pick('group').capitalize()} und {self.pick('group')} {self.pick('effect')}." if self.facts["lang"] == "de" else f"{self.pick('group').capitalize()} and {self.pick('group')} {self.pick('effect')}."
        return f"{self.pick('adv')} {self.pick('verb').split()[0]} {self.pick('noun')} {self.number()}, {self.pick('group')} {self.pick('effect')}."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 4)))

    def article(self, paragraphs: int) -> list[str]:
        body = [self.paragraph() for _ in range(paragraphs)]
        quote = f"„{self.facts['quote']}“, {self.pick('says')} {self.facts['name']}." if self.facts["lang"] == "de" else f"\"{self.facts['quote']},\" {self.facts['name']} {self.pick('says')}."
        body.insert(min(2, len(body)), quote + " " + self.paragraph())
        return body


def facts_for(lang: str, event: int, rng: random.Random) -> dict[str, str]:
    bank = BANK[lang]
    city = rng.choice(bank["city"])
    topic = rng.choice(bank["topic"])
    name = f"{rng.choice(bank['first'])} {rng.choice(bank['last'])}"
    quote = rng.choice(bank["quote"]).format(x=rng.choice(bank["noun"]), city=city)
    return {"lang": lang, "city": city, "topic": topic, "name": name, "role": rng.choice(bank["role"]), "quote": quote, "event": f"{lang}-{event}"}


def swiss(text: str) -> str:
    return text.replace("ß", "ss")


def reword(paragraphs: list[str], bank: dict[str, list[str]], rng: random.Random) -> list[str]:
    """Light sub-editing: a few phrases swapped, one sentence dropped."""
    out = []
    for p in paragraphs:
        for pair in rng.sample(bank["swap"], 3):
            old, new = pair.split(":")
            p = p.replace(old, new, 1)
        out.append(p)
    victim = rng.randrange(len(out))
    sentences = out[victim].split(". ")
    if len(sentences) > 1:
        sentences.pop(rng.randrange(len(sentences)))
        out[victim] = ". ".join(sentences)
    return out


def copies(original: list[str], writer: Writer, rng: random.Random) -> list[tuple[str, list[str]]]:
    """The edits outlets make to a wire story: each result is still a copy."""
    bank, facts = writer.bank, writer.facts
    name = f"{rng.choice(bank['first'])} {rng.choice(bank['last'])}"
    fill = {"name": name, "city": facts["city"], "agency": rng.choice(["dpa", "AFP", "Reuters", "SDA"]), "h": str(rng.randint(9, 22))}
    byline = rng.choice(bank["byline"]).format(**fill)
    caption = rng.choice(bank["caption"]).format(**fill)
    boiler = rng.sample(bank["boiler"], 2)
    keep = max(3, round(len(original) * rng.uniform(0.45, 0.75)))
    short = max(2, round(len(original) * 0.3))
    mid = len(original) // 2
    update = [rng.choice(bank["update"]).format(**fill) + " " + writer.paragraph(), *original[:-1], writer.paragraph()]
    return [
        ("headline", [f"{facts['topic'].capitalize()}: {facts['name']} äußert sich" if facts["lang"] == "de" else f"{facts['name']} speaks out on {facts['topic']}", *original]),
        ("byline", [byline, *original]),
        ("cut", original[:keep]),
        ("cut_hard", original[:short]),
        ("caption", [*original[:mid], caption, *original[mid:]]),
        ("swiss_byline", [byline, *(swiss(p) for p in original)]),
        ("update", update),
        ("boilerplate", [*original, *boiler]),
        ("reworded", reword(original, bank, rng)),
        ("cut_byline_boiler", [byline, *original[:keep], boiler[0]]),
    ]


def event_items(lang: str, event: int, rng: random.Random) -> list[Item]:
    facts = facts_for(lang, event, rng)
    bank = BANK[lang]
    wire = Writer(bank, facts, random.Random(rng.random()))
    original = wire.article(rng.randint(12, 20))
    eid = facts["event"]
    items = [Item(f"{eid}-orig", lang, eid, "original", "none", facts["topic"], "\n\n".join(original))]
    for edit, paragraphs in copies(original, wire, rng):
        items.append(Item(f"{eid}-{edit}", lang, eid, "copy", edit, facts["topic"], "\n\n".join(paragraphs), copy_of=f"{eid}-orig"))
    for k in range(2):
        other = Writer(bank, facts, random.Random(rng.random()))
        items.append(Item(f"{eid}-indep{k}", lang, eid, "independent", "other_writer", facts["topic"], "\n\n".join(other.article(rng.randint(8, 18)))))
    background = rng.choice(original[1:])
    follow = wire.article(rng.randint(10, 16))
    follow.insert(0, rng.choice(bank["follow"]).format(city=facts["city"]))
    follow.insert(len(follow) // 2, background)
    items.append(Item(f"{eid}-followup", lang, eid, "followup", "reused_background", facts["topic"], "\n\n".join(follow)))
    return items


def build(events_per_language: int = 60, seed: int = SEED) -> list[Item]:
    rng = random.Random(seed)
    return [item for lang in ("de", "en") for event in range(events_per_language) for item in event_items(lang, event, rng)]


def main() -> None:
    for item in build():
        sys.stdout.write(json.dumps(asdict(item), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
